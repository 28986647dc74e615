; SPDX-License-Identifier: GPL-2.0-only
; The first instruction of a native app VM (docs/guest-abi.md).

bits 64
default rel

extern bh_runtime_start
extern bh_exit
extern __bss_start
extern __bss_end

; guest.lds puts .text.start first in the text segment.
section .text.start progbits alloc exec nowrite align=16

; _start: entry point (ELF e_entry) of every native app image.
;   in:  the entry state of docs/guest-abi.md: 64-bit mode, CPL 0, IF = 0,
;        RDI = start-info address (BH_GUEST_START_INFO),
;        RSP = mem_size (top of the stack, 16-byte aligned),
;        nothing else relied upon
;   out: does not return; ends the VM with BH_HC_EXIT(status), status being
;        main's return value (bh_runtime_start's, see rt.h)
;   clobbers: everything
global _start
_start:
	cld
	mov rbx, rdi                 ; start info, in a callee-saved register

	; The ABI promises the reset x87/SSE state; setting it again costs two
	; instructions and makes C's SSE code independent of that promise.
	fninit
	ldmxcsr [mxcsr_default]

	; The kernel hands over zeroed memory, but .bss being zero is the C
	; runtime's promise, not the loader's: keep it here.
	lea rdi, [__bss_start]
	lea rcx, [__bss_end]
	sub rcx, rdi
	xor eax, eax
	rep stosb

	; SysV ABI: RSP is 16-byte aligned at the call, so the callee sees
	; RSP + 8 aligned. RBP = 0 ends frame-pointer backtraces here.
	and rsp, -16
	xor ebp, ebp
	mov rdi, rbx
	call bh_runtime_start        ; rax = int64_t status

	mov rdi, rax
	call bh_exit                 ; flushes the console, BH_HC_EXIT; noreturn
.hang:                           ; not reached: a #UD here would triple-fault
	ud2
	jmp .hang

section .rodata
align 4
mxcsr_default:
	dd 0x1f80                    ; BH_GUEST_ENTRY_MXCSR: all exceptions masked

; No executable stack (ld warns about objects that lack this note).
section .note.GNU-stack noalloc noexec nowrite progbits
