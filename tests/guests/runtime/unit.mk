UNIT_TESTS += heap_test
heap_test_SRCS := tests/guests/runtime/heap_test.c guests/runtime/heap.c
heap_test_CFLAGS := -Iguests/runtime
UNIT_TESTS += ring_test
ring_test_SRCS := tests/guests/runtime/ring_test.c guests/runtime/ring.c
ring_test_CFLAGS := -Iguests/runtime/include
