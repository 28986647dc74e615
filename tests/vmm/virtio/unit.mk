UNIT_TESTS += virtio_mmio_test
virtio_mmio_test_SRCS := tests/vmm/virtio/virtio_mmio_test.c vmm/virtio/mmio.c
virtio_mmio_test_CFLAGS := -Ivmm
