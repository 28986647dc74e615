UNIT_TESTS += heap_test
heap_test_SRCS := tests/guests/runtime/heap_test.c guests/runtime/heap.c
heap_test_CFLAGS := -Iguests/runtime
