; SPDX-License-Identifier: GPL-2.0-only
; Kernel entry from the UEFI stage (see kernel/kernel.h for the contract).
bits 64
default rel

section .text

; kernel_entry(struct bh_boot_info *bi)
;   in:  rdi = boot info; interrupts off; firmware page tables and stack.
;   out: never returns. Switches to the boot stack, clears rbp so backtraces
;        end here, and calls kernel_main(rdi).
global kernel_entry:function hidden
extern kernel_main
kernel_entry:
	cli
	lea rsp, [boot_stack_top]
	xor ebp, ebp
	call kernel_main
.stop:	cli
	hlt
	jmp .stop

section .bss nobits alloc noexec write align=4096
; One unmapped guard page below the boot stack turns a stack overflow into a
; page fault (reported on the #DF IST stack) instead of silent corruption.
alignb 4096
global boot_stack_guard:data hidden
boot_stack_guard:
	resb 4096
boot_stack:
	resb 16384
boot_stack_top:
