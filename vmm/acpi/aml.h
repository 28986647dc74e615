/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Just enough of the ACPI Machine Language encoder (ACPI 6.x §20.2) to
 * write a static DSDT: scopes, devices, named integers and strings, EISA
 * IDs and resource-template buffers with the descriptors the monitor's
 * devices need (§6.4). Everything is appended to a byte_writer; a write
 * that does not fit sets its overflow flag and nothing else.
 *
 * Objects with a PkgLength (Scope, Device, Buffer) are written open-ended:
 * aml_*_begin returns a mark, the contents follow, and the matching
 * aml_*_end inserts the length in front of them once it is known.
 */
#ifndef VMM_ACPI_AML_H
#define VMM_ACPI_AML_H

#include <stddef.h>
#include <stdint.h>

#include "acpi/byte_writer.h"

/* Scope(\NAME) { ... }: name is a 4-character NameSeg such as "_SB_". */
size_t aml_scope_begin(struct byte_writer *w, const char *root_seg);
/* Device(NAME) { ... } */
size_t aml_device_begin(struct byte_writer *w, const char *seg);
/* Closes a Scope or Device opened at mark. */
void aml_pkg_end(struct byte_writer *w, size_t mark);

/* Name(SEG, v) with the shortest integer encoding of v. */
void aml_name_integer(struct byte_writer *w, const char *seg, uint64_t v);
/* Name(SEG, "text"): text is printable ASCII. */
void aml_name_string(struct byte_writer *w, const char *seg, const char *text);
/* Name(SEG, Package() { v[0], ..., v[n-1] }) with integer elements,
 * n <= 255 (an _S5_ sleep-type package, §7.4.2). */
void aml_name_package(struct byte_writer *w, const char *seg, const uint64_t *v, unsigned n);
/* Name(SEG, EisaId("PNP0501")) */
void aml_name_eisaid(struct byte_writer *w, const char *seg, const char *id);

/* The 32-bit compressed form of a 7-character EISA ID: three letters
 * A-Z and four hexadecimal digits, as ASL's EISAID() makes it (ACPI 6.x
 * §19). 0 if id is malformed. */
uint32_t aml_eisaid(const char *id);

/* Name(SEG, ResourceTemplate() { ... }): the descriptors follow, then
 * aml_resources_end(w, mark) adds the end tag and closes the buffer. */
size_t aml_name_resources_begin(struct byte_writer *w, const char *seg);
void aml_resources_end(struct byte_writer *w, size_t mark);

/* IO(Decode16, port, port, 1, len): a fixed range of I/O ports (§6.4.2.5). */
void aml_res_io(struct byte_writer *w, uint16_t port, uint8_t len);
/* IRQNoFlags() { irq }: an ISA line, edge-triggered active-high (§6.4.2.1). */
void aml_res_irq_noflags(struct byte_writer *w, unsigned irq);
/* Memory32Fixed(ReadWrite, base, len) (§6.4.3.4). */
void aml_res_mem32_fixed(struct byte_writer *w, uint32_t base, uint32_t len);
/* WordBusNumber(ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, min,
 * max, 0, max - min + 1): the bus numbers a bridge decodes (§6.4.3.5.3). */
void aml_res_word_bus_number(struct byte_writer *w, uint16_t min, uint16_t max);
/* DWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed,
 * NonCacheable, ReadWrite, 0, min, max, 0, max - min + 1): a memory
 * window a bridge forwards (§6.4.3.5.2); max >= min. */
void aml_res_dword_memory(struct byte_writer *w, uint32_t min, uint32_t max);
/* Interrupt(ResourceConsumer, Edge|Level, ActiveHigh, Exclusive) { gsi }
 * (§6.4.3.6). */
void aml_res_interrupt(struct byte_writer *w, uint32_t gsi, int edge);

#endif
