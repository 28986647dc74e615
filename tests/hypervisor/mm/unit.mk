UNIT_TESTS += memmap_test
memmap_test_SRCS := tests/hypervisor/mm/memmap_test.c hypervisor/mm/memmap.c
UNIT_TESTS += frame_test
frame_test_SRCS := tests/hypervisor/mm/frame_test.c hypervisor/mm/frame.c hypervisor/mm/memmap.c
