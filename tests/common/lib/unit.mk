UNIT_TESTS += format_test
format_test_SRCS := tests/common/lib/format_test.c common/lib/format.c
UNIT_TESTS += sha256_test
sha256_test_SRCS := tests/common/lib/sha256_test.c common/lib/sha256.c common/lib/hex.c
UNIT_TESTS += log_ring_test
log_ring_test_SRCS := tests/common/lib/log_ring_test.c common/lib/log_ring.c
UNIT_TESTS += string_test
string_test_SRCS := tests/common/lib/string_test.c common/lib/string.c
string_test_CFLAGS := -fno-builtin -Dmemcpy=k_memcpy -Dmemmove=k_memmove -Dmemset=k_memset \
                      -Dmemcmp=k_memcmp -Dmemchr=k_memchr -Dstrlen=k_strlen -Dstrnlen=k_strnlen \
                      -Dstrcmp=k_strcmp -Dstrncmp=k_strncmp -Dstrchr=k_strchr
UNIT_TESTS += byte_fifo_test
byte_fifo_test_SRCS := tests/common/lib/byte_fifo_test.c common/lib/byte_fifo.c
UNIT_TESTS += names_test
names_test_SRCS := tests/common/lib/names_test.c common/lib/names.c common/lib/hex.c
