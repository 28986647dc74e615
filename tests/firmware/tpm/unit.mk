UNIT_TESTS += tpm2_pcr_read_test tcg2_event_log_test
tpm2_pcr_read_test_SRCS := tests/firmware/tpm/tpm2_pcr_read_test.c firmware/tpm/tpm2_pcr_read.c common/lib/string.c
tcg2_event_log_test_SRCS := tests/firmware/tpm/tcg2_event_log_test.c firmware/tpm/tcg2_event_log.c
