; SPDX-License-Identifier: GPL-2.0-only
;
; pvh_rom.asm: a 64 KiB system ROM for Bochs that starts a Linux kernel
; through PVH, the way Bulkhead's monitor will, with no BIOS in between:
; the bare-metal baseline of `make bench`'s linux_bare_boot_cycles
; (tests/bench/linux_bare.py, docs/benchmarks.md).
;
; The ROM knows nothing of the kernel. The first disk (ATA, primary
; master) starts with a load table (tests/bench/pvh_disk.py): in sector 0,
; entries of three dwords, the RAM address, the first sector and the
; sector count, ended by a count of 0. The ROM copies each run of sectors
; to its address with programmed I/O. The first entry is a boot-info page
; for BOOT_INFO: it begins with the PVH entry point (a dword) and holds
; struct hvm_start_info at BOOT_INFO + START_INFO_OFFSET. Then the ROM
; jumps to the entry in 32-bit protected mode, flat segments, paging off,
; %ebx holding the start info's address: what the PVH boot ABI asks of a
; loader (Xen's public hvm/start_info.h).
;
; (Bochs's optramimage would load files into RAM without a disk, but Bochs
; 2.7 did not load a 58 MB kernel image intact: the kernel's GDT, 34 MB in,
; read back wrong. Bochs allocates RAM in 128 KiB blocks as they are first
; touched, and the loader writes the file as if they were contiguous.)
;
; Bochs maps a 64 KiB ROM at 0xffff0000 (and at 0xf0000). At reset, CS's
; base is 0xffff0000 and IP 0xfff0: the reset vector is this file's last
; 16 bytes, and CS-relative offsets are offsets into the file.

BOOT_INFO         equ 0x10000   ; keep in step with tests/bench/pvh_disk.py
START_INFO_OFFSET equ 0x40
LOAD_TABLE        equ 0x8000    ; sector 0 is read here
ROM_BASE          equ 0xffff0000
ATA_DATA          equ 0x1f0
ATA_STATUS        equ 0x1f7     ; read: status; write: command
ATA_READ_SECTORS  equ 0x20
ATA_BSY           equ 0x80
ATA_DRQ           equ 0x08
ATA_ERR           equ 0x01
CODE32            equ 0x08
DATA32            equ 0x10

        bits 16
        org 0

start16:
        cli
        cld
        in al, 0x92             ; "fast A20": the kernel's odd megabytes
        or al, 2
        and al, ~1              ; bit 0 would reset the CPU
        out 0x92, al
        o32 lgdt [cs:gdt_pointer]
        mov eax, cr0
        or eax, 1               ; PE; paging stays off
        mov cr0, eax
        jmp dword CODE32:(ROM_BASE + start32)

        bits 32
start32:
        mov eax, DATA32
        mov ds, eax
        mov es, eax
        mov ss, eax
        mov fs, eax
        mov gs, eax
        mov esp, LOAD_TABLE     ; a stack below the table, for the calls
        mov edi, LOAD_TABLE
        xor eax, eax
        mov ecx, 1
        call read_sectors
        mov esi, LOAD_TABLE
.next:
        mov edi, [esi]
        mov eax, [esi + 4]
        mov ecx, [esi + 8]
        test ecx, ecx
        jz .loaded
        push esi
        call read_sectors
        pop esi
        add esi, 12
        jmp .next
.loaded:
        mov ebx, BOOT_INFO + START_INFO_OFFSET
        jmp [BOOT_INFO]

; Reads ecx sectors from LBA eax to edi, at most 256 per command (LBA28).
; Clobbers eax, ebx, ecx, edx, edi. Stops the CPU on a drive error.
read_sectors:
        mov ebx, ecx
        cmp ebx, 256
        jbe .count
        mov ebx, 256
.count:
        push eax
        push ecx
        mov ecx, eax            ; LBA
        call wait_not_busy
        mov dx, 0x1f6
        mov eax, ecx
        shr eax, 24
        and al, 0x0f
        or al, 0xe0             ; LBA mode, master
        out dx, al
        mov dx, 0x1f2
        mov al, bl              ; 256 is written as 0
        out dx, al
        inc dx
        mov al, cl
        out dx, al
        inc dx
        mov al, ch
        out dx, al
        inc dx
        mov eax, ecx
        shr eax, 16
        out dx, al
        mov dx, ATA_STATUS
        mov al, ATA_READ_SECTORS
        out dx, al
        mov ecx, ebx
.sector:
        call wait_not_busy
        test al, ATA_ERR
        jnz .failed
        test al, ATA_DRQ
        jz .sector
        push ecx
        mov dx, ATA_DATA
        mov ecx, 256
        rep insw
        pop ecx
        dec ecx
        jnz .sector
        pop ecx
        pop eax
        add eax, ebx
        sub ecx, ebx
        jnz read_sectors
        ret
.failed:
        cli
        hlt
        jmp .failed

; Returns the status in al once BSY is clear.
wait_not_busy:
        mov dx, ATA_STATUS
.poll:
        in al, dx
        test al, ATA_BSY
        jnz .poll
        ret

        align 8
gdt:
        dq 0
        dq 0x00cf9a000000ffff   ; CODE32: base 0, limit 4 GiB, execute/read
        dq 0x00cf92000000ffff   ; DATA32: base 0, limit 4 GiB, read/write
gdt_end:
gdt_pointer:
        dw gdt_end - gdt - 1
        dd ROM_BASE + gdt

        times 0xfff0 - ($ - $$) db 0xf4     ; hlt
reset_vector:
        bits 16
        jmp start16
        times 0x10000 - ($ - $$) db 0xf4
