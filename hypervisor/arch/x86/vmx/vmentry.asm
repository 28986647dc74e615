; SPDX-License-Identifier: GPL-2.0-only
; VM entry and exit (contract in arch/x86/vmx/guest_regs.h).
bits 64
default rel

%include "asm_offsets.inc"

section .text

%macro pop_callee_saved 0
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
%endmacro

; int vmx_enter(struct guest_regs *regs, uint64_t launched)
;   in:  rdi = regs, rsi = launched (0: VMLAUNCH, else VMRESUME)
;   out: eax = 0 after a VM exit (guest registers saved in *regs),
;        eax = 1 if VMLAUNCH/VMRESUME failed.
;   Preserves the SysV callee-saved registers; clobbers the rest.
global vmx_enter:function hidden
vmx_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdi                        ; regs, found again at [rsp] on exit

	mov rax, VMCS_HOST_RSP
	vmwrite rax, rsp

	mov rax, [rdi + GR_CR2]
	mov cr2, rax
	test rsi, rsi                   ; flags survive the moves below
	mov rax, [rdi + GR_RAX]
	mov rbx, [rdi + GR_RBX]
	mov rcx, [rdi + GR_RCX]
	mov rdx, [rdi + GR_RDX]
	mov rsi, [rdi + GR_RSI]
	mov rbp, [rdi + GR_RBP]
	mov r8,  [rdi + GR_R8]
	mov r9,  [rdi + GR_R9]
	mov r10, [rdi + GR_R10]
	mov r11, [rdi + GR_R11]
	mov r12, [rdi + GR_R12]
	mov r13, [rdi + GR_R13]
	mov r14, [rdi + GR_R14]
	mov r15, [rdi + GR_R15]
	mov rdi, [rdi + GR_RDI]
	jnz .resume
	vmlaunch
	jmp .failed
.resume:
	vmresume
.failed:
	pop rdi
	pop_callee_saved
	mov eax, 1
	ret

; VM exits land here (HOST_RIP) with rsp = HOST_RSP, i.e. pointing at the
; regs pointer pushed above, and every general register still the guest's.
global vmx_exit_entry:data hidden
vmx_exit_entry:
	xchg rdi, [rsp]                 ; rdi = regs, [rsp] = guest rdi
	mov [rdi + GR_RAX], rax
	mov [rdi + GR_RBX], rbx
	mov [rdi + GR_RCX], rcx
	mov [rdi + GR_RDX], rdx
	mov [rdi + GR_RSI], rsi
	mov [rdi + GR_RBP], rbp
	mov [rdi + GR_R8],  r8
	mov [rdi + GR_R9],  r9
	mov [rdi + GR_R10], r10
	mov [rdi + GR_R11], r11
	mov [rdi + GR_R12], r12
	mov [rdi + GR_R13], r13
	mov [rdi + GR_R14], r14
	mov [rdi + GR_R15], r15
	pop rax
	mov [rdi + GR_RDI], rax
	mov rax, cr2
	mov [rdi + GR_CR2], rax
	pop_callee_saved
	xor eax, eax
	ret
