UNIT_TESTS += uart16550_test
uart16550_test_SRCS := tests/vmm/devices/uart16550_test.c vmm/devices/uart16550.c \
                       common/lib/byte_fifo.c
uart16550_test_CFLAGS := -Ivmm

UNIT_TESTS += lapic_test
lapic_test_SRCS := tests/vmm/devices/lapic_test.c vmm/devices/lapic.c
lapic_test_CFLAGS := -Ivmm

UNIT_TESTS += ioapic_test
ioapic_test_SRCS := tests/vmm/devices/ioapic_test.c vmm/devices/ioapic.c
ioapic_test_CFLAGS := -Ivmm

UNIT_TESTS += rtc_test
rtc_test_SRCS := tests/vmm/devices/rtc_test.c vmm/devices/rtc.c
rtc_test_CFLAGS := -Ivmm

UNIT_TESTS += ports_test
ports_test_SRCS := tests/vmm/devices/ports_test.c vmm/devices/ports.c vmm/devices/rtc.c vmm/devices/pci_host.c \
                   vmm/devices/uart16550.c common/lib/byte_fifo.c common/lib/format.c
ports_test_CFLAGS := -Ivmm

UNIT_TESTS += mmio_bus_test
mmio_bus_test_SRCS := tests/vmm/devices/mmio_bus_test.c vmm/devices/mmio_bus.c vmm/devices/pci_host.c \
                      vmm/devices/lapic.c vmm/devices/ioapic.c vmm/virtio/mmio.c
mmio_bus_test_CFLAGS := -Ivmm

UNIT_TESTS += pci_host_test
pci_host_test_SRCS := tests/vmm/devices/pci_host_test.c tests/vmm/devices/fake_pci_kernel.c \
                      vmm/devices/pci_host.c
pci_host_test_CFLAGS := -Ivmm
