UNIT_TESTS += manifest_test pe_section_test cpio_test
manifest_test_SRCS := tests/firmware/bundle/manifest_test.c firmware/bundle/manifest.c common/lib/format.c common/lib/sha256.c common/lib/hex.c common/lib/names.c
pe_section_test_SRCS := tests/firmware/bundle/pe_section_test.c firmware/bundle/pe_section.c common/lib/string.c
cpio_test_SRCS := tests/firmware/bundle/cpio_test.c firmware/bundle/cpio.c common/lib/hex.c common/lib/string.c
