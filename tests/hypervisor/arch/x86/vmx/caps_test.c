/* SPDX-License-Identifier: GPL-2.0-only */
/* VT-x capability decoding, against values measured on Bochs (docs/platforms.md). */
#include "check.h"

#include "arch/x86/vmx/caps.h"

/* Bochs corei7_skylake_x; the TRUE_* values set the bits decoding looks at. */
static struct vmx_msrs bochs_skylake(void)
{
	struct vmx_msrs m = { .vendor = "GenuineIntel", .cpuid_vmx = true };
	m.feature_control = 0x5;                    /* locked, VMX outside SMX */
	m.basic = 0x00d810000000002bull;
	m.true_procbased = 0xfff9fffe04006172ull;   /* allowed-1 bit 31 set */
	m.true_pinbased = 0x0000007f00000016ull;    /* allowed-1 bit 6 set */
	m.procbased = 0;                            /* must be ignored: TRUE exists */
	m.pinbased = 0;
	m.procbased2 = 0x02177fff00000000ull;
	m.ept_vpid_cap = 0x00000f0106334141ull;
	m.misc = 0x5;
	return m;
}

TEST(bochs_skylake_has_everything)
{
	struct vmx_msrs m = bochs_skylake();
	struct vmx_caps c;
	vmx_caps_decode(&m, &c);
	CHECK(c.vmx && c.true_controls && c.secondary_controls);
	CHECK_EQ(c.vmcs_revision, 0x2b);
	CHECK(c.ept && c.ept_walk4 && c.ept_wb && c.ept_2m && c.ept_1g);
	CHECK(c.invept && c.invept_single && c.invept_global);
	CHECK(c.vpid && c.invvpid && c.unrestricted_guest && c.preemption_timer);
	CHECK_EQ(c.preemption_timer_rate, 5);
	CHECK(vmx_caps_missing(&c) == NULL);
}

TEST(format_is_one_line_with_every_feature)
{
	struct vmx_msrs m = bochs_skylake();
	struct vmx_caps c;
	char line[512];
	vmx_caps_decode(&m, &c);
	int n = vmx_caps_format(&m, &c, line, sizeof(line));
	CHECK(n > 0 && (size_t)n < sizeof(line));
	CHECK(strchr(line, '\n') == NULL);
	CHECK(strncmp(line, "cpu: GenuineIntel vmx=yes ept=yes", 33) == 0);
	CHECK(strstr(line, "invept=single+global"));
	CHECK(strstr(line, "vpid=yes"));
	CHECK(strstr(line, "unrestricted=yes"));
	CHECK(strstr(line, "preempt-timer=yes"));
	CHECK(strstr(line, "ept-2m=yes"));
}

TEST(no_vmx_reports_vtx_missing_and_reads_nothing_else)
{
	struct vmx_msrs m = bochs_skylake();
	struct vmx_caps c;
	m.cpuid_vmx = false;
	vmx_caps_decode(&m, &c);
	CHECK(!c.vmx && !c.ept && !c.vpid);
	CHECK(strstr(vmx_caps_missing(&c), "VT-x not available"));
	char line[512];
	vmx_caps_format(&m, &c, line, sizeof(line));
	CHECK(strstr(line, "vmx=no"));
}

TEST(firmware_lock_without_vmx_is_reported)
{
	struct vmx_msrs m = bochs_skylake();
	struct vmx_caps c;
	m.feature_control = 0x1;   /* locked, VMX off */
	vmx_caps_decode(&m, &c);
	CHECK(c.firmware_locked_off);
	CHECK(strstr(vmx_caps_missing(&c), "disabled by firmware"));
	m.feature_control = 0x0;   /* unlocked: the kernel can enable VMX itself */
	vmx_caps_decode(&m, &c);
	CHECK(!c.firmware_locked_off);
	CHECK(vmx_caps_missing(&c) == NULL);
}

TEST(non_true_controls_are_used_without_basic_bit_55)
{
	struct vmx_msrs m = bochs_skylake();
	struct vmx_caps c;
	m.basic &= ~(1ull << 55);
	vmx_caps_decode(&m, &c);          /* procbased = 0: no secondary controls */
	CHECK(!c.true_controls && !c.secondary_controls && !c.ept);
	CHECK(strstr(vmx_caps_missing(&c), "secondary"));
	m.procbased = 1ull << (32 + 31);
	m.pinbased = 1ull << (32 + 6);
	vmx_caps_decode(&m, &c);
	CHECK(c.secondary_controls && c.ept && c.preemption_timer);
}

TEST(each_missing_ept_feature_is_named)
{
	static const struct { uint64_t clear_proc2, clear_cap; const char *want; } cases[] = {
		{ 1ull << 33, 0, "'enable EPT'" },
		{ 0, 1ull << 6, "4-level" },
		{ 0, 1ull << 14, "write-back" },
		{ 0, (1ull << 25) | (1ull << 26), "INVEPT" },
		{ 0, 1ull << 20, "INVEPT" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmx_msrs m = bochs_skylake();
		struct vmx_caps c;
		m.procbased2 &= ~cases[i].clear_proc2;
		m.ept_vpid_cap &= ~cases[i].clear_cap;
		vmx_caps_decode(&m, &c);
		const char *why = vmx_caps_missing(&c);
		CHECK(why != NULL);
		CHECK(strstr(why, cases[i].want));
	}
}

TEST(missing_preemption_timer_is_fatal_but_vpid_is_optional)
{
	struct vmx_msrs m = bochs_skylake();
	struct vmx_caps c;
	m.procbased2 &= ~(1ull << 37);     /* no VPID */
	vmx_caps_decode(&m, &c);
	CHECK(!c.vpid && !c.invvpid);
	CHECK(vmx_caps_missing(&c) == NULL);
	m.true_pinbased &= ~(1ull << 38);  /* no preemption timer */
	vmx_caps_decode(&m, &c);
	CHECK(strstr(vmx_caps_missing(&c), "preemption timer"));
}
