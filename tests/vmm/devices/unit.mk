UNIT_TESTS += uart16550_test
uart16550_test_SRCS := tests/vmm/devices/uart16550_test.c vmm/devices/uart16550.c \
                       common/lib/byte_fifo.c
uart16550_test_CFLAGS := -Ivmm
