/* SPDX-License-Identifier: GPL-2.0-only */
/* Hexadecimal digits, parsed once for the kernel, the UEFI stage and the
 * policy compiler (bundle hashes, PCI addresses). */
#ifndef BULKHEAD_LIB_HEX_H
#define BULKHEAD_LIB_HEX_H

/* The value 0..15 of hex digit c (either case), or -1 if c is not one. */
int hex_digit_value(char c);

#endif
