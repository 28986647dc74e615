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

section .text
; ap_entry(unsigned cpu, uint64_t kernel_cr3)
;   in:  from ap_trampoline.asm: long mode on the trampoline's identity
;        map, rsp = this AP's stack top, interrupts off. The stack is
;        mapped only in the kernel's tables (its guarded slot,
;        mm/kernel_space.h): nothing may touch it before cr3 is loaded.
;   out: never returns. Loads the kernel's page tables (this code is
;        mapped at the same address in both) and calls ap_main(cpu).
global ap_entry:function hidden
extern ap_main
ap_entry:
	mov cr3, rsi
	xor ebp, ebp
	call ap_main
.stop:	cli
	hlt
	jmp .stop
