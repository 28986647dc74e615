; SPDX-License-Identifier: GPL-2.0-only
; The guest the monitor probe loads (tests/system/test_monitor.py assembles
; it with nasm -f bin): a few instructions of each kind the kernel forwards
; to a monitor, started in the PVH state (32-bit protected mode, paging
; off). It reports through port writes, which the probe logs:
;   "ok" to COM1, one byte at a time;
;   port 0x80: the byte an IN of port 0x71 returned;
;   port 0x84: the dword an MMIO read of the IOAPIC window returned;
;   port 0x85: how many timer interrupts it counted before it stopped.
; Then it triple-faults (an empty IDT and INT3), which is a reset.
bits 32
org 0x100000

TIMER_VECTOR equ 0x30
TICKS_WANTED equ 3

start:
	lgdt [gdt_desc]
	jmp 0x10:.flat
.flat:
	mov ax, 0x18
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x180000

	mov dx, 0x3f8
	mov al, 'o'
	out dx, al
	mov al, 'k'
	out dx, al

	mov dx, 0x71
	in al, dx
	out 0x80, al

	mov dword [0xfee000b0], 0x12345678
	mov eax, [0xfec00010]
	mov dx, 0x84
	out dx, eax

	; The timer's gate, then wait for its interrupts.
	mov eax, timer
	mov [idt + TIMER_VECTOR * 8], ax
	shr eax, 16
	mov [idt + TIMER_VECTOR * 8 + 6], ax
	lidt [idt_desc]
	sti
.wait:
	hlt
	cmp byte [ticks], TICKS_WANTED
	jb .wait
	cli
	mov al, [ticks]
	out 0x85, al

	lidt [null_idt]
	int3

timer:
	inc byte [ticks]
	iret

align 8
gdt:
	dq 0
	dq 0
	dq 0x00cf9a000000ffff   ; 0x10: flat 32-bit code
	dq 0x00cf92000000ffff   ; 0x18: flat data
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt
idt_desc:
	dw (TIMER_VECTOR + 1) * 8 - 1
	dd idt
null_idt:
	dw 0
	dd 0
ticks:
	db 0
align 8
idt:
	times TIMER_VECTOR dq 0
	dw 0                    ; offset 15:0, written at run time
	dw 0x10                 ; code selector
	db 0, 0x8e              ; present 32-bit interrupt gate
	dw 0                    ; offset 31:16
