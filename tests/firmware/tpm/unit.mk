UNIT_TESTS += tpm2_pcr_read_test
tpm2_pcr_read_test_SRCS := tests/firmware/tpm/tpm2_pcr_read_test.c firmware/tpm/tpm2_pcr_read.c common/lib/string.c
