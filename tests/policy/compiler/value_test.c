/* SPDX-License-Identifier: GPL-2.0-only */
/* The policy language's scalar words (policy/compiler/value.c). */
#include "check.h"

#include <bulkhead/errno.h>
#include <bulkhead/policy_blob.h>

#include "value.h"

static const char *why;

#define W(s) s, sizeof(s) - 1

TEST(sizes)
{
	uint64_t v;
	CHECK_EQ(value_size(W("64K"), &v, &why), 0);
	CHECK_EQ(v, 64 << 10);
	CHECK_EQ(value_size(W("2M"), &v, &why), 0);
	CHECK_EQ(v, 2 << 20);
	CHECK_EQ(value_size(W("1G"), &v, &why), 0);
	CHECK_EQ(v, 1ull << 30);
	CHECK_EQ(value_size(W("0M"), &v, &why), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(value_size(W("0017179869183G"), &v, &why), 0);   /* 2^34 - 1 GiB fits */
	CHECK_EQ(value_size(W("17179869184G"), &v, &why), -BH_ERANGE);   /* 2^64 bytes */
	CHECK_EQ(value_size(W("99999999999999999999K"), &v, &why), -BH_ERANGE);
	static const char *const bad[] = { "", "M", "2", "2m", "2MB", "2 M", "-2M", "2.5M", "0x2M", "2T" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(value_size(bad[i], strlen(bad[i]), &v, &why), -BH_EINVAL);
}

TEST(counts_percents_durations)
{
	uint64_t v;
	CHECK_EQ(value_count(W("8"), &v, &why), 0);
	CHECK_EQ(v, 8);
	CHECK_EQ(value_count(W("8x"), &v, &why), -BH_EINVAL);
	CHECK_EQ(value_count(W(""), &v, &why), -BH_EINVAL);
	CHECK_EQ(value_percent(W("20%"), &v, &why), 0);
	CHECK_EQ(v, 20);
	CHECK_EQ(value_percent(W("20"), &v, &why), -BH_EINVAL);
	CHECK_EQ(value_percent(W("%"), &v, &why), -BH_EINVAL);
	CHECK_EQ(value_duration(W("1500us"), &v, &why), 0);
	CHECK_EQ(v, 1500);
	CHECK_EQ(value_duration(W("2ms"), &v, &why), 0);
	CHECK_EQ(v, 2000);
	CHECK_EQ(value_duration(W("1s"), &v, &why), 0);
	CHECK_EQ(v, 1000000);
	CHECK_EQ(value_duration(W("1m"), &v, &why), -BH_EINVAL);
	CHECK_EQ(value_duration(W("ms"), &v, &why), -BH_EINVAL);
	CHECK_EQ(value_duration(W("18446744073709551615s"), &v, &why), -BH_ERANGE);
}

TEST(cpus_and_cpu_ranges)
{
	uint64_t v;
	uint32_t first, last;
	CHECK_EQ(value_cpu(W("0"), &v, &why), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(value_cpu(W("31"), &v, &why), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(value_cpu(W("0031"), &v, &why), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(value_cpu(W("32"), &v, &why), -BH_ERANGE);
	CHECK_EQ(value_cpu(W("99999999999999999999999"), &v, &why), -BH_ERANGE);
	CHECK_EQ(value_cpu(W(""), &v, &why), -BH_EINVAL);
	CHECK_EQ(value_cpu(W("1%"), &v, &why), -BH_EINVAL);
	CHECK_EQ(value_cpu(W("-1"), &v, &why), -BH_EINVAL);

	CHECK_EQ(value_cpu_range(W("5"), &first, &last, &why), 0);
	CHECK(first == 5 && last == 5);
	CHECK_EQ(value_cpu_range(W("0-31"), &first, &last, &why), 0);
	CHECK(first == 0 && last == 31);
	CHECK_EQ(value_cpu_range(W("2-2"), &first, &last, &why), 0);
	CHECK(first == 2 && last == 2);
	CHECK_EQ(value_cpu_range(W("3-1"), &first, &last, &why), -BH_EINVAL);
	CHECK(strstr(why, "goes up") != NULL);
	CHECK_EQ(value_cpu_range(W("0-32"), &first, &last, &why), -BH_ERANGE);
	CHECK_EQ(value_cpu_range(W("32-33"), &first, &last, &why), -BH_ERANGE);
	static const char *const bad[] = { "", "-", "1-", "-3", "1--3", "1-2-3", "a", "1-b", "1,3" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(value_cpu_range(bad[i], strlen(bad[i]), &first, &last, &why), -BH_EINVAL);
}

TEST(pci_addresses)
{
	uint32_t a;
	CHECK_EQ(value_pci(W("00:03.0"), &a, &why), 0);
	CHECK_EQ(a, BH_POLICY_PCI(0, 0, 3, 0));
	CHECK_EQ(value_pci(W("ff:1f.7"), &a, &why), 0);
	CHECK_EQ(a, BH_POLICY_PCI(0, 0xff, 0x1f, 7));
	CHECK_EQ(value_pci(W("0001:02:1F.3"), &a, &why), 0);
	CHECK_EQ(a, BH_POLICY_PCI(1, 2, 0x1f, 3));
	CHECK_EQ(BH_POLICY_PCI_SEG(a), 1);
	CHECK_EQ(BH_POLICY_PCI_BUS(a), 2);
	CHECK_EQ(BH_POLICY_PCI_DEV(a), 0x1f);
	CHECK_EQ(BH_POLICY_PCI_FN(a), 3);
	CHECK_EQ(value_pci(W("0:3.0"), &a, &why), 0);
	CHECK_EQ(a, BH_POLICY_PCI(0, 0, 3, 0));
	CHECK_EQ(value_pci(W("00:20.0"), &a, &why), -BH_ERANGE);
	CHECK_EQ(value_pci(W("00:03.8"), &a, &why), -BH_ERANGE);
	static const char *const bad[] = {
		"", "00", "00:03", "00.03.0", "00:03:0", "00:03.0.1", "000:03.0", "00:003.0",
		"00:03.00", "10000:00:03.0", "0:0:0:03.0", "g0:03.0", ":03.0", "00:.0", "00:03.",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (value_pci(bad[i], strlen(bad[i]), &a, &why) != -BH_EINVAL)
			check_fail(__FILE__, __LINE__, "'%s' accepted", bad[i]);
}
