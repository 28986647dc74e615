UNIT_TESTS += cmdline_test
cmdline_test_SRCS := tests/hypervisor/kernel/cmdline_test.c hypervisor/kernel/cmdline.c
UNIT_TESTS += vm_copy_test
vm_copy_test_SRCS := tests/hypervisor/kernel/vm_copy_test.c hypervisor/kernel/vm_copy.c
UNIT_TESTS += hypercall_gate_test
hypercall_gate_test_SRCS := tests/hypervisor/kernel/hypercall_gate_test.c
UNIT_TESTS += hypercall_doc_test
hypercall_doc_test_SRCS := tests/hypervisor/kernel/hypercall_doc_test.c
UNIT_TESTS += launch_check_test
launch_check_test_SRCS := tests/hypervisor/kernel/launch_check_test.c \
                          hypervisor/kernel/launch_check.c hypervisor/kernel/vm_live.c
UNIT_TESTS += vm_config_test
vm_config_test_SRCS := tests/hypervisor/kernel/vm_config_test.c hypervisor/kernel/vm_config.c \
                       common/policy/blob.c common/lib/names.c $(HOSTB)/gen/policy/test_blobs.c
UNIT_TESTS += channel_rights_test
channel_rights_test_SRCS := tests/hypervisor/kernel/channel_rights_test.c \
                            hypervisor/kernel/channel_rights.c
UNIT_TESTS += channel_state_test
channel_state_test_SRCS := tests/hypervisor/kernel/channel_state_test.c \
                           hypervisor/kernel/channel_state.c
UNIT_TESTS += log_limit_test
log_limit_test_SRCS := tests/hypervisor/kernel/log_limit_test.c hypervisor/kernel/log_limit.c
UNIT_TESTS += ksym_test
ksym_test_SRCS := tests/hypervisor/kernel/ksym_test.c hypervisor/kernel/ksym.c
UNIT_TESTS += vm_table_test
vm_table_test_SRCS := tests/hypervisor/kernel/vm_table_test.c hypervisor/kernel/vm_table.c \
                      hypervisor/kernel/vm_history.c
UNIT_TESTS += console_attach_test
console_attach_test_SRCS := tests/hypervisor/kernel/console_attach_test.c
UNIT_TESTS += monitor_test
monitor_test_SRCS := tests/hypervisor/kernel/monitor_test.c tests/hypervisor/kernel/monitor_fakes.c \
                     hypervisor/kernel/monitor.c
UNIT_TESTS += device_config_test
device_config_test_SRCS := tests/hypervisor/kernel/device_config_test.c \
                           hypervisor/kernel/device_config.c
UNIT_TESTS += vm_cpu_test
vm_cpu_test_SRCS := tests/hypervisor/kernel/vm_cpu_test.c hypervisor/kernel/vm_cpu.c \
                    common/policy/blob.c common/lib/names.c $(HOSTB)/gen/policy/test_blobs.c
