; SPDX-License-Identifier: GPL-2.0-only
; IDT entry stubs and the common trap path (contract in arch/x86/trap.h).
bits 64
default rel

section .text

; Vectors for which the CPU pushes an error code (SDM Vol. 3A Table 6-1).
%define HAS_ERROR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
                      (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || \
                      (v) == 29 || (v) == 30)

global isr_stubs:data hidden
extern trap_dispatch

align 16
isr_stubs:
%assign v 0
%rep 256
	align 16
%if !HAS_ERROR(v)
	push 0
%endif
	push v
	jmp trap_common
%assign v v+1
%endrep

; trap_common
;   in:  stack = [vector, error, rip, cs, rflags, rsp, ss]
;   out: returns to the interrupted context with all registers restored.
;   The frame is 22 quadwords on a 16-byte aligned stack, so rsp is aligned
;   for the C call as the SysV ABI requires.
trap_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp
	call trap_dispatch
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16          ; vector and error code
	iretq
