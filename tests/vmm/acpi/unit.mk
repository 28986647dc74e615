UNIT_TESTS += acpi_tables_test
acpi_tables_test_SRCS := tests/vmm/acpi/acpi_tables_test.c vmm/acpi/tables.c \
                         vmm/acpi/platform_check.c vmm/acpi/dsdt.c vmm/acpi/aml.c
acpi_tables_test_CFLAGS := -Ivmm
