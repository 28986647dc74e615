/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading integers of a fixed byte order from unaligned bytes: formats
 * defined byte by byte (PE/COFF and the TCG event log are little-endian,
 * TPM 2.0 commands big-endian), read without casting to wider pointers.
 */
#ifndef BULKHEAD_LIB_BYTEORDER_H
#define BULKHEAD_LIB_BYTEORDER_H

#include <stdint.h>

static inline uint32_t load_le16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static inline uint32_t load_le32(const uint8_t *p) { return load_le16(p) | load_le16(p + 2) << 16; }
static inline uint32_t load_be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static inline uint32_t load_be32(const uint8_t *p) { return load_be16(p) << 16 | load_be16(p + 2); }

#endif
