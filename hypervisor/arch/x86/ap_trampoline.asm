; SPDX-License-Identifier: GPL-2.0-only
; The application processors' first instructions (smp.c copies this to a
; page-aligned place below 1 MiB and points the start-up IPI at it). An AP
; wakes in real mode at CS = page >> 4, IP = 0, and is taken through
; protected mode into long mode on page tables built for the purpose next
; to the copy (an identity map of the first 4 GiB in 2 MiB pages: the
; trampoline and the kernel's text, which must lie below 4 GiB), then jumps
; to the kernel's ap_entry, which loads the kernel's own page tables.
; Everything that depends on where the copy is lives in the parameter
; block at AP_PARAMS, filled in by smp.c (struct ap_params there).
bits 16
default abs

%define AP_PARAMS        0xf00     ; = AP_PARAMS_OFFSET in smp.c
%define P_GDTR           (AP_PARAMS + 0x00)   ; limit (2), base (4)
%define P_JUMP32         (AP_PARAMS + 0x08)   ; offset (4), selector (2)
%define P_JUMP64         (AP_PARAMS + 0x10)   ; offset (4), selector (2)
%define P_BASE           (AP_PARAMS + 0x18)   ; the copy's physical address
%define P_TABLES         (AP_PARAMS + 0x1c)   ; the temporary PML4's address
%define P_ENTRY          (AP_PARAMS + 0x20)   ; ap_entry
%define P_STACK          (AP_PARAMS + 0x28)   ; the AP's stack top
%define P_KERNEL_CR3     (AP_PARAMS + 0x30)
%define P_CPU            (AP_PARAMS + 0x38)   ; the AP's index
%define P_GDT            (AP_PARAMS + 0x40)   ; four descriptors

%define EFER             0xc0000080
%define EFER_LME         (1 << 8)
%define EFER_NXE         (1 << 11)
%define CR4_PAE          (1 << 5)
%define SEL_CODE32       0x08
%define SEL_DATA         0x10

section .rodata

global ap_trampoline_start:data hidden
global ap_trampoline_end:data hidden
global ap_trampoline_pm32:data hidden
global ap_trampoline_lm64:data hidden

ap_trampoline_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	mov ebx, [P_BASE]            ; kept through the mode switches
	lgdt [P_GDTR]
	mov eax, cr0
	or al, 1                     ; PE
	mov cr0, eax
	jmp dword far [P_JUMP32]

bits 32
ap_trampoline_pm32:
	mov ax, SEL_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, [ebx + P_TABLES]
	mov cr3, eax
	mov ecx, EFER
	rdmsr
	or eax, EFER_LME | EFER_NXE  ; NXE: the kernel's tables use the NX bit
	wrmsr
	mov eax, cr0
	or eax, 0x80000001           ; PG, PE
	mov cr0, eax
	jmp far [ebx + P_JUMP64]

bits 64
ap_trampoline_lm64:
	mov ebx, ebx                 ; the upper half is undefined after the switch
	mov rsp, [rbx + P_STACK]
	mov edi, [rbx + P_CPU]
	mov rsi, [rbx + P_KERNEL_CR3]
	mov rax, [rbx + P_ENTRY]
	jmp rax
ap_trampoline_end:
