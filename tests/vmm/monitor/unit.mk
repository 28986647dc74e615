VMM_CORE_SRCS := vmm/monitor.c vmm/boot.c vmm/cpu/decode.c vmm/cpu/gpr.c vmm/cpu/guest_walk.c \
                 vmm/devices/lapic.c vmm/devices/ioapic.c vmm/devices/rtc.c vmm/devices/ports.c \
                 vmm/devices/mmio_bus.c vmm/devices/pci_host.c vmm/devices/uart16550.c vmm/virtio/mmio.c \
                 vmm/loader/pvh.c vmm/mem/flat_memory.c $(wildcard vmm/acpi/*.c) \
                 common/lib/byte_fifo.c common/lib/format.c

UNIT_TESTS += vmm_boot_test
vmm_boot_test_SRCS := tests/vmm/monitor/boot_test.c vmm/boot.c vmm/loader/pvh.c \
                      vmm/mem/flat_memory.c $(wildcard vmm/acpi/*.c) common/lib/format.c
vmm_boot_test_CFLAGS := -Ivmm -Itests/vmm/monitor

UNIT_TESTS += monitor_core_test
monitor_core_test_SRCS := tests/vmm/monitor/monitor_test.c tests/vmm/devices/fake_pci_kernel.c \
                          $(VMM_CORE_SRCS)
monitor_core_test_CFLAGS := -Ivmm -Itests/vmm/monitor -Itests/vmm/devices
