/* SPDX-License-Identifier: GPL-2.0-only */
#include "efi/efi_cpus.h"

#include <stdbool.h>

#include "arch/x86/cpu.h"
#include "efi/efi_console.h"
#include "lib/format.h"
#include "lib/string.h"

/*
 * The parts of EFI_MP_SERVICES_PROTOCOL the stage uses, which gnu-efi does
 * not declare (UEFI Platform Initialization Specification, Volume 2: DXE
 * Core Interface, section 13.4 "MP Services Protocol"). Functions the stage
 * never calls are opaque slots, so the table's layout matches the
 * specification.
 */
#define EFI_MP_SERVICES_PROTOCOL_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

/* EFI_PROCESSOR_INFORMATION.StatusFlag bits. */
#define PROCESSOR_AS_BSP_BIT        0x1u
#define PROCESSOR_ENABLED_BIT       0x2u
#define PROCESSOR_HEALTH_STATUS_BIT 0x4u

typedef struct {
	UINT32 Package, Core, Thread;
} EFI_CPU_PHYSICAL_LOCATION;

/*
 * ProcessorId is the local APIC ID on IA32 and X64. ExtendedInformation
 * (PI 1.7) is written only when asked for with CPU_V2_EXTENDED_TOPOLOGY;
 * it is declared so the buffer is large enough for a firmware that writes
 * it anyway.
 */
typedef struct {
	UINT64                    ProcessorId;
	UINT32                    StatusFlag;
	EFI_CPU_PHYSICAL_LOCATION Location;
	UINT32                    ExtendedInformation[6];
} EFI_PROCESSOR_INFORMATION;

typedef struct _EFI_MP_SERVICES_PROTOCOL EFI_MP_SERVICES_PROTOCOL;

typedef EFI_STATUS (EFIAPI *EFI_MP_SERVICES_GET_NUMBER_OF_PROCESSORS)(
	EFI_MP_SERVICES_PROTOCOL *This, UINTN *NumberOfProcessors,
	UINTN *NumberOfEnabledProcessors);

typedef EFI_STATUS (EFIAPI *EFI_MP_SERVICES_GET_PROCESSOR_INFO)(
	EFI_MP_SERVICES_PROTOCOL *This, UINTN ProcessorNumber,
	EFI_PROCESSOR_INFORMATION *ProcessorInfoBuffer);

struct _EFI_MP_SERVICES_PROTOCOL {
	EFI_MP_SERVICES_GET_NUMBER_OF_PROCESSORS GetNumberOfProcessors;
	EFI_MP_SERVICES_GET_PROCESSOR_INFO       GetProcessorInfo;
	void *StartupAllAPs;
	void *StartupThisAP;
	void *SwitchBSP;
	void *EnableDisableAP;
	void *WhoAmI;
};

/* CPUID leaf 0xB (SDM Vol. 2A, CPUID: "Extended Topology Enumeration
 * Leaf"): EDX is the full x2APIC ID; leaf 1's EBX[31:24] holds only the
 * low 8 bits. */
#define CPUID_LEAF_EXT_TOPOLOGY 0x0bu

#define MAX_PROCESSOR_ID 0xffffffffu   /* what cpu_apic_id[] can hold */

static EFI_GUID mp_services_guid = EFI_MP_SERVICES_PROTOCOL_GUID;

/* The APIC ID of the CPU running this code. */
static uint32_t own_apic_id(void)
{
	if (cpuid(CPUID_LEAF_VENDOR, 0).eax >= CPUID_LEAF_EXT_TOPOLOGY) {
		struct cpuid_regs r = cpuid(CPUID_LEAF_EXT_TOPOLOGY, 0);
		/* EBX[15:0], the logical processors at this level, is
		 * nonzero where the leaf is valid (SDM Vol. 2A, CPUID 0BH). */
		if (r.ebx & 0xffffu)
			return r.edx;
	}
	return cpuid(CPUID_LEAF_FEATURES, 0).ebx >> 24;
}

/*
 * Lists the processors the protocol reports into bi. On failure returns the
 * status and sets *why; bi's list is then not to be used.
 */
static EFI_STATUS list_processors(EFI_MP_SERVICES_PROTOCOL *mp, struct bh_boot_info *bi,
                                  const char **why)
{
	const uint32_t usable = PROCESSOR_ENABLED_BIT | PROCESSOR_HEALTH_STATUS_BIT;
	UINTN total, enabled, left_out = 0;
	bool have_bsp = false;

	EFI_STATUS s = mp->GetNumberOfProcessors(mp, &total, &enabled);
	if (EFI_ERROR(s)) {
		*why = "GetNumberOfProcessors failed";
		return s;
	}
	bi->cpu_count = 1;   /* slot 0 is kept for the boot CPU */
	for (UINTN n = 0; n < total; n++) {
		EFI_PROCESSOR_INFORMATION info;
		s = mp->GetProcessorInfo(mp, n, &info);
		if (EFI_ERROR(s)) {
			*why = "GetProcessorInfo failed";
			return s;
		}
		bool bsp = info.StatusFlag & PROCESSOR_AS_BSP_BIT;
		if (!bsp && (info.StatusFlag & usable) != usable)
			continue;
		if (info.ProcessorId > MAX_PROCESSOR_ID) {
			*why = "a processor ID does not fit 32 bits";
			return EFI_UNSUPPORTED;
		}
		if (bsp) {
			bi->cpu_apic_id[0] = (uint32_t)info.ProcessorId;
			have_bsp = true;
		} else if (bi->cpu_count == BH_BOOT_MAX_CPUS) {
			left_out++;
		} else {
			bi->cpu_apic_id[bi->cpu_count++] = (uint32_t)info.ProcessorId;
		}
	}
	if (!have_bsp) {
		*why = "no processor is marked as the boot CPU";
		return EFI_NOT_FOUND;
	}
	if (left_out)
		efi_log("%llu more CPUs left out: the kernel takes at most %u",
		        (unsigned long long)left_out, BH_BOOT_MAX_CPUS);
	return EFI_SUCCESS;
}

static void log_cpus(const struct bh_boot_info *bi)
{
	char ids[BH_BOOT_MAX_CPUS * 11 + 1];   /* " 4294967295" each */
	size_t at = 0;
	for (uint32_t i = 0; i < bi->cpu_count; i++)
		at += bh_snprintf(ids + at, sizeof(ids) - at, " %u", bi->cpu_apic_id[i]);
	efi_log("%u CPU%s (APIC IDs%s)", bi->cpu_count, bi->cpu_count == 1 ? "" : "s", ids);
}

/* Contract in efi_cpus.h. */
void efi_cpus_find(EFI_BOOT_SERVICES *bs, struct bh_boot_info *bi)
{
	EFI_MP_SERVICES_PROTOCOL *mp;
	const char *why = "the firmware has no MP Services protocol";
	EFI_STATUS s = bs->LocateProtocol(&mp_services_guid, NULL, (void **)&mp);
	if (!EFI_ERROR(s))
		s = list_processors(mp, bi, &why);
	if (!EFI_ERROR(s)) {
		log_cpus(bi);
		return;
	}
	efi_log("%s (%s): counting the boot CPU alone", why, efi_status_name(s));
	memset(bi->cpu_apic_id, 0, sizeof(bi->cpu_apic_id));
	bi->cpu_count = 1;
	bi->cpu_apic_id[0] = own_apic_id();
	log_cpus(bi);
}
