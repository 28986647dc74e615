UNIT_TESTS += heap_test
heap_test_SRCS := tests/guests/runtime/heap_test.c guests/runtime/heap.c
heap_test_CFLAGS := -Iguests/runtime
UNIT_TESTS += ring_test
ring_test_SRCS := tests/guests/runtime/ring_test.c guests/runtime/ring.c common/lib/channel_ring.c
ring_test_CFLAGS := -Iguests/runtime/include
UNIT_TESTS += check_test
check_test_SRCS := tests/guests/runtime/check_test.c tests/guests/runtime/fake_console.c \
                   guests/runtime/check.c
check_test_CFLAGS := -Iguests/runtime/include
UNIT_TESTS += role_test
role_test_SRCS := tests/guests/runtime/role_test.c tests/guests/runtime/fake_console.c \
                  guests/runtime/role.c
role_test_CFLAGS := -Iguests/runtime/include
UNIT_TESTS += samples_test
samples_test_SRCS := tests/guests/runtime/samples_test.c guests/runtime/samples.c \
                     guests/runtime/sort.c
samples_test_CFLAGS := -Iguests/runtime/include
UNIT_TESTS += vformat_test
vformat_test_SRCS := tests/guests/runtime/vformat_test.c guests/runtime/vformat.c \
                     common/lib/format.c
vformat_test_CFLAGS := -Iguests/runtime/include
