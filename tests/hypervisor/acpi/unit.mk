UNIT_TESTS += acpi_test
acpi_test_SRCS := tests/hypervisor/acpi/acpi_test.c hypervisor/acpi/acpi.c
