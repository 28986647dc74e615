UNIT_TESTS += virtio_mmio_test
virtio_mmio_test_SRCS := tests/vmm/virtio/virtio_mmio_test.c vmm/virtio/mmio.c
virtio_mmio_test_CFLAGS := -Ivmm

UNIT_TESTS += virtqueue_test
virtqueue_test_SRCS := tests/vmm/virtio/virtqueue_test.c vmm/virtio/virtqueue.c \
                       vmm/mem/flat_memory.c
virtqueue_test_CFLAGS := -Ivmm

UNIT_TESTS += virtio_echo_test
virtio_echo_test_SRCS := tests/vmm/virtio/virtio_echo_test.c vmm/virtio/mmio.c \
                         vmm/virtio/virtqueue.c vmm/mem/flat_memory.c
virtio_echo_test_CFLAGS := -Ivmm

UNIT_TESTS += chan_port_test
chan_port_test_SRCS := tests/vmm/virtio/chan_port_test.c vmm/virtio/chan_port.c \
                       common/lib/channel_ring.c
chan_port_test_CFLAGS := -Ivmm

# The channel-backed devices, against fake guests (fake_driver.c) and a
# fake channel in host memory.
VIRTIO_CHAN_DEVICE_SRCS := tests/vmm/virtio/fake_driver.c vmm/virtio/chan_device.c \
                           vmm/virtio/chan_port.c vmm/virtio/mmio.c vmm/virtio/virtqueue.c \
                           vmm/mem/flat_memory.c common/lib/channel_ring.c

UNIT_TESTS += virtio_net_test
virtio_net_test_SRCS := tests/vmm/virtio/virtio_net_test.c vmm/virtio/net.c \
                        common/lib/sha256.c common/lib/hex.c $(VIRTIO_CHAN_DEVICE_SRCS)
virtio_net_test_CFLAGS := -Ivmm

UNIT_TESTS += virtio_console_test
virtio_console_test_SRCS := tests/vmm/virtio/virtio_console_test.c vmm/virtio/console.c \
                            $(VIRTIO_CHAN_DEVICE_SRCS)
virtio_console_test_CFLAGS := -Ivmm
