/* SPDX-License-Identifier: GPL-2.0-only */
/* Decoding CR writes (contract in cr_decode.h). Pure. */
#include "arch/x86/svm/cr_decode.h"

#define REX_B (1u << 0)
#define REX_R (1u << 2)

bool cr_write_decode(const uint8_t *insn, size_t n, struct cr_write *out)
{
	size_t i = 0;
	unsigned rex = 0;

	if (n > 0 && (insn[0] & 0xf0) == 0x40)
		rex = insn[i++];
	if (n < i + 2 || insn[i] != 0x0f)
		return false;
	if (insn[i + 1] == 0x06 && !rex) {
		*out = (struct cr_write){ .kind = CR_WRITE_CLTS, .cr = 0, .gpr = 0, .len = 2 };
		return true;
	}
	if (insn[i + 1] != 0x22 || n < i + 3)
		return false;
	uint8_t modrm = insn[i + 2];
	*out = (struct cr_write){
		.kind = CR_WRITE_MOV,
		.cr = ((modrm >> 3) & 7) | (rex & REX_R ? 8 : 0),
		.gpr = (modrm & 7) | (rex & REX_B ? 8 : 0),
		.len = (unsigned)i + 3,
	};
	return true;
}
