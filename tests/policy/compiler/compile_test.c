/* SPDX-License-Identifier: GPL-2.0-only */
/* The compiler's stages on small texts: lexing, one run reporting every
 * error, determinism, and what emit() lays out. */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "checks.h"
#include "compile.h"
#include "emit.h"
#include "lex.h"
#include "model.h"
#include "parse.h"
#include "policy/blob.h"

static const char small[] =
	"pool runtime memory 8M;\n"
	"vm a { kind native; image a.elf; memory 2M; boot yes; rights console, channel; }\n"
	"vm b { kind native; image b.elf; memory 4M; cpu 25%; boot yes; rights channel; }\n"
	"channel ab { between a and b; size 8K; direction b -> a; events both; }\n";

struct want_token {
	enum tok_kind kind;
	const char *text;
	unsigned line, col;
};

/* The n tokens t are exactly the nwant of want. */
static void check_tokens(const struct token *t, size_t n, const struct want_token *want,
                         size_t nwant)
{
	CHECK_EQ(n, nwant);
	for (size_t i = 0; i < n && i < nwant; i++) {
		CHECK_EQ(t[i].kind, want[i].kind);
		CHECK_EQ(t[i].len, strlen(want[i].text));
		CHECK(memcmp(t[i].text, want[i].text, t[i].len) == 0);
		CHECK_EQ(t[i].at.line, want[i].line);
		CHECK_EQ(t[i].at.col, want[i].col);
	}
}

TEST(lexer_tokens_and_positions)
{
	static const char text[] = "vm a->b # comment -> { }\n\t{x,y;}-> 2M 00:03.0 é";
	struct diag d = { 0 };
	size_t n;
	struct token *t = lex(text, sizeof(text) - 1, &d, &n);
	static const struct want_token want[] = {
		{ TOK_WORD, "vm", 1, 1 }, { TOK_WORD, "a", 1, 4 }, { TOK_ARROW, "->", 1, 5 },
		{ TOK_WORD, "b", 1, 7 }, { TOK_LBRACE, "{", 2, 2 }, { TOK_WORD, "x", 2, 3 },
		{ TOK_COMMA, ",", 2, 4 }, { TOK_WORD, "y", 2, 5 }, { TOK_SEMI, ";", 2, 6 },
		{ TOK_RBRACE, "}", 2, 7 }, { TOK_ARROW, "->", 2, 8 }, { TOK_WORD, "2M", 2, 11 },
		{ TOK_WORD, "00:03.0", 2, 14 }, { TOK_WORD, "é", 2, 22 }, { TOK_EOF, "", 2, 24 },
	};
	check_tokens(t, n, want, sizeof(want) / sizeof(want[0]));
	CHECK(t[0].line_start && !t[1].line_start && t[4].line_start);
	CHECK_EQ(d.n, 0);
	free(t);
}

TEST(lexer_reports_each_run_of_bad_bytes_once)
{
	static const char text[] = "vm $$ a \x01\x02 b\0c";
	struct diag d = { 0 };
	size_t n;
	struct token *t = lex(text, sizeof(text) - 1, &d, &n);
	CHECK_EQ(d.errors, 3);
	CHECK_EQ(n, 5);   /* vm a b c EOF */
	free(t);
	diag_free(&d);
}

TEST(compiles_and_validates)
{
	struct diag d = { 0 };
	uint8_t *blob;
	size_t size;
	const char *why;

	CHECK_EQ(policy_compile(small, strlen(small), &d, &blob, &size), 0);
	CHECK_EQ(d.n, 0);
	CHECK_EQ(policy_blob_validate(blob, size, &why), 0);
	CHECK_EQ(policy_vm_count(blob), 2);
	CHECK_EQ(policy_vm(blob, 1)->cpu_budget_us, 2500);
	CHECK_EQ(policy_channel(blob, 0)->flags,
	         BH_POLICY_CH_WRITE_10 | BH_POLICY_CH_EVENT_01 | BH_POLICY_CH_EVENT_10);
	CHECK_EQ(policy_header(blob)->pool_memory, 8 << 20);
	CHECK_EQ(policy_header(blob)->machine_memory, BH_POLICY_MACHINE_DEFAULT);

	/* The same text, the same bytes. */
	uint8_t *again;
	size_t size2;
	CHECK_EQ(policy_compile(small, strlen(small), &d, &again, &size2), 0);
	CHECK_EQ(size2, size);
	CHECK(memcmp(blob, again, size) == 0);
	free(blob);
	free(again);
	diag_free(&d);
}

TEST(one_run_reports_every_error_in_order)
{
	static const char text[] =
		"vm a { kind native; image a.elf; memory 3M; boot yes; }\n"   /* alignment */
		"vm a { kind linux; image a.elf; memory 2M; }\n"             /* twice, kind */
		"channel c { between a and z; size 4K; direction both }\n"   /* ';', unknown */
		"bogus;\n";                                                  /* statement */
	struct diag d = { 0 };
	uint8_t *blob = NULL;
	size_t size;

	CHECK_EQ(policy_compile(text, strlen(text), &d, &blob, &size), -1);
	CHECK(blob == NULL);
	CHECK(d.errors >= 6);
	FILE *f = tmpfile();
	diag_print(&d, "t.policy", f);
	rewind(f);
	char line[256];
	unsigned last_line = 0, last_col = 0, lines = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned l, c;
		CHECK_EQ(sscanf(line, "t.policy:%u:%u:", &l, &c), 2);
		CHECK(l > last_line || (l == last_line && c >= last_col));
		last_line = l;
		last_col = c;
		lines++;
	}
	CHECK_EQ(lines, d.n);
	CHECK_EQ(last_line, 4);
	fclose(f);
	diag_free(&d);
}

TEST(too_large_a_text_is_one_error)
{
	struct diag d = { 0 };
	char *text = calloc(1, POLICY_TEXT_MAX + 1);
	CHECK_EQ(policy_compile(text, POLICY_TEXT_MAX + 1, &d, NULL, NULL), -1);
	CHECK_EQ(d.errors, 1);
	free(text);
	diag_free(&d);
}

/* Device grants compile: the device table is laid out as specified, in
 * grant order, each record naming its grantee; the header's flags say
 * whether the machine's IOMMU is required. */
TEST(emit_lays_out_devices)
{
	static const char text[] =
		"vm net { kind linux; kernel vmlinux; initramfs initrd; memory 64M; boot yes;\n"
		"         monitor { image vmm.elf; memory 4M; } }\n"
		"vm app { kind native; image app.elf; memory 2M; boot yes; }\n"
		"device nic0 { pci 00:03.0; to net; }\n"
		"device nic1 { pci 0001:02:1f.7; to app; }\n";
	static const char unprotected[] = "machine iommu unprotected;\n";
	struct diag d = { 0 };
	size_t size;
	uint8_t *blob;

	CHECK_EQ(policy_compile(text, strlen(text), &d, &blob, &size), 0);
	CHECK_EQ(d.n, 0);
	CHECK_EQ(policy_flags(blob), 0);
	CHECK_EQ(policy_device_count(blob), 2);
	const struct bh_policy_device *dev = policy_device(blob, 0);
	CHECK_EQ(dev->kind, BH_POLICY_DEVICE_PCI);
	CHECK_EQ(dev->vm, 0);
	CHECK_EQ(dev->line, 4);
	CHECK_EQ(dev->address, BH_POLICY_PCI(0, 0, 3, 0));
	CHECK_STR_EQ(policy_string(blob, dev->name), "nic0");
	dev = policy_device(blob, 1);
	CHECK_EQ(dev->vm, 1);
	CHECK_EQ(dev->address, BH_POLICY_PCI(1, 2, 0x1f, 7));
	CHECK_STR_EQ(policy_string(blob, dev->name), "nic1");
	free(blob);

	/* "machine iommu unprotected;" sets the flag, with one warning. */
	char both[sizeof(text) + sizeof(unprotected)];
	snprintf(both, sizeof(both), "%s%s", unprotected, text);
	diag_free(&d);
	CHECK_EQ(policy_compile(both, strlen(both), &d, &blob, &size), 0);
	CHECK_EQ(d.errors, 0);
	CHECK_EQ(d.warnings, 1);
	CHECK_EQ(policy_flags(blob), BH_POLICY_F_DMA_UNPROTECTED);
	free(blob);
	diag_free(&d);
}

TEST(lexer_strings)
{
	static const char text[] = "cmdline \"a=1 b\"; \"\" \"open\n\"x\ty\"";
	struct diag d = { 0 };
	size_t n;
	struct token *t = lex(text, sizeof(text) - 1, &d, &n);
	static const struct want_token want[] = {
		{ TOK_WORD, "cmdline", 1, 1 }, { TOK_STRING, "\"a=1 b\"", 1, 9 },
		{ TOK_SEMI, ";", 1, 16 }, { TOK_STRING, "\"\"", 1, 18 },
		{ TOK_STRING, "\"open", 1, 21 }, { TOK_STRING, "\"x\ty\"", 2, 1 },
		{ TOK_EOF, "", 2, 6 },
	};
	check_tokens(t, n, want, sizeof(want) / sizeof(want[0]));
	CHECK_EQ(d.errors, 2);   /* the string not closed on line 1, the tab */
	free(t);
	diag_free(&d);
}

/* A Linux VM's records: its kernel as the VM's image, the Linux record
 * with initramfs, command line and monitor, its virtio list in order. */
TEST(emit_lays_out_linux_vms)
{
	static const char text[] =
		"vm c { kind control; image cli.elf; memory 4M; boot yes; rights channel; }\n"
		"vm l {\n"
		"  kind linux; kernel vmlinux; initramfs initrd; memory 32M; boot yes;\n"
		"  cmdline \"console=hvc0\";\n"
		"  monitor { image vmm.elf; memory 4M; }\n"
		"  virtio-net n2, n1;\n"
		"  virtio-console con;\n"
		"}\n"
		"vm m { kind linux; kernel vmlinux; initramfs initrd; memory 32M; boot yes;\n"
		"       monitor { image vmm.elf; memory 2M; } virtio-net n1; }\n"
		"channel con { between c and l; size 4K; direction both; }\n"
		"channel n1 { between l and m; size 64K; direction both; }\n"
		"channel n2 { between c and l; size 64K; direction l -> c; }\n";
	struct diag d = { 0 };
	uint8_t *blob;
	size_t size;

	CHECK_EQ(policy_compile(text, strlen(text), &d, &blob, &size), 0);
	CHECK_EQ(d.n, 0);
	CHECK_EQ(policy_linux_count(blob), 2);
	const struct bh_policy_linux *l = policy_linux_for(blob, 1), *m = policy_linux_for(blob, 2);
	CHECK(l && m && !policy_linux_for(blob, 0));
	CHECK_STR_EQ(policy_vm_image(blob, policy_vm(blob, 1)), "vmlinux");
	CHECK_STR_EQ(policy_string(blob, policy_image(blob, l->initramfs)->name), "initrd");
	CHECK_STR_EQ(policy_string(blob, policy_image(blob, l->monitor_image)->name), "vmm.elf");
	CHECK_STR_EQ(policy_string(blob, l->cmdline), "console=hvc0");
	CHECK_EQ(m->cmdline, BH_POLICY_NO_STRING);
	CHECK_EQ(l->line, 5);
	CHECK_EQ(l->monitor_memory, 4ull << 20);
	CHECK_EQ(policy_vm_total_memory(blob, 2), 34ull << 20);
	CHECK_EQ(l->first_virtio, 0);
	CHECK_EQ(l->virtio_count, 3);
	CHECK_EQ(m->first_virtio, 3);
	CHECK_EQ(m->virtio_count, 1);
	static const struct { uint32_t kind, channel, line; } want[] = {
		{ BH_POLICY_VIRTIO_NET, 2, 6 }, { BH_POLICY_VIRTIO_NET, 1, 6 },
		{ BH_POLICY_VIRTIO_CONSOLE, 0, 7 },
	};
	for (uint32_t j = 0; j < 3; j++) {
		const struct bh_policy_virtio *v = policy_virtio(blob, l, j);
		CHECK_EQ(v->kind, want[j].kind);
		CHECK_EQ(v->channel, want[j].channel);
		CHECK_EQ(v->line, want[j].line);
	}
	CHECK_EQ(policy_virtio(blob, m, 0)->channel, 1);
	free(blob);
	diag_free(&d);
}

/* Each form of the cpu property, and 'machine cpus', in the blob: a pin
 * (or BH_POLICY_CPU_ANY) in each VM record, the CPU set as the header's
 * mask (0 without the statement). */
TEST(emit_lays_out_cpu_pins)
{
	static const char text[] =
		"machine cpus 0-2, 5, 31;\n"
		"vm a { kind native; image a.elf; memory 2M; boot yes; cpu 1; }\n"
		"vm b { kind native; image a.elf; memory 2M; boot yes; cpu 1 20%; }\n"
		"vm c { kind native; image a.elf; memory 2M; boot yes; cpu 0 2ms per 4ms; }\n"
		"vm d { kind native; image a.elf; memory 2M; boot yes; cpu 20%; }\n"
		"vm e { kind native; image a.elf; memory 2M; boot yes; }\n"
		"vm f { kind native; image a.elf; memory 2M; boot yes; cpu 31 3ms per 10ms; }\n";
	static const struct { uint32_t cpu, budget_us, period_us; } want[] = {
		{ 1, 0, 0 }, { 1, 2000, 10000 }, { 0, 2000, 4000 }, { BH_POLICY_CPU_ANY, 2000, 10000 },
		{ BH_POLICY_CPU_ANY, 0, 0 }, { 31, 3000, 10000 },
	};
	struct diag d = { 0 };
	uint8_t *blob;
	size_t size;

	CHECK_EQ(policy_compile(text, strlen(text), &d, &blob, &size), 0);
	CHECK_EQ(d.n, 0);
	CHECK_EQ(policy_header(blob)->cpus, 0x80000027u);
	CHECK_EQ(policy_vm_count(blob), 6);
	for (uint32_t i = 0; i < 6; i++) {
		const struct bh_policy_vm *vm = policy_vm(blob, i);
		CHECK_EQ(vm->cpu, want[i].cpu);
		CHECK_EQ(vm->cpu_budget_us, want[i].budget_us);
		CHECK_EQ(vm->cpu_period_us, want[i].period_us);
		CHECK_EQ(vm->reserved2, 0);
	}
	free(blob);
	diag_free(&d);

	/* Without the statement: every CPU, header cpus 0. */
	CHECK_EQ(policy_compile(small, strlen(small), &d, &blob, &size), 0);
	CHECK_EQ(policy_header(blob)->cpus, 0);
	free(blob);
	diag_free(&d);
}

/* The budget sums: each pinned CPU, and the VMs without a pin, may reach
 * 100% but no more; templates do not count. */
TEST(cpu_totals_per_pinned_cpu)
{
	static const char *const fits[] = {
		"vm a { kind native; image a.elf; memory 2M; boot yes; cpu 0 100%; }\n"
		"vm b { kind native; image a.elf; memory 2M; boot yes; cpu 1 100%; }\n"
		"vm c { kind native; image a.elf; memory 2M; boot yes; cpu 100%; }\n"
		"vm t { kind native; image a.elf; memory 2M; cpu 0 50%; }\n",
		"machine cpus 3;\n"   /* a pin outside the set is fine */
		"vm a { kind native; image a.elf; memory 2M; boot yes; cpu 7 50%; }\n"
		"vm b { kind native; image a.elf; memory 2M; boot yes; cpu 7 5ms per 10ms; }\n",
	};
	static const char *const over[] = {
		"vm a { kind native; image a.elf; memory 2M; boot yes; cpu 4 50%; }\n"
		"vm b { kind native; image a.elf; memory 2M; boot yes; cpu 4 51%; }\n",
		"vm a { kind native; image a.elf; memory 2M; boot yes; cpu 4 100%; }\n"
		"vm b { kind native; image a.elf; memory 2M; boot yes; cpu 50%; }\n"
		"vm c { kind native; image a.elf; memory 2M; boot yes; cpu 6ms per 10ms; }\n",
	};
	struct diag d = { 0 };
	uint8_t *blob;
	size_t size;

	for (size_t i = 0; i < sizeof(fits) / sizeof(fits[0]); i++) {
		CHECK_EQ(policy_compile(fits[i], strlen(fits[i]), &d, &blob, &size), 0);
		CHECK_EQ(d.errors, 0);
		free(blob);
		diag_free(&d);
	}
	for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
		blob = NULL;
		CHECK_EQ(policy_compile(over[i], strlen(over[i]), &d, &blob, &size), -1);
		CHECK(blob == NULL);
		CHECK_EQ(d.errors, 1);
		diag_free(&d);
	}
}

TEST(check_table_names_each_rule_once)
{
	for (size_t i = 0; i < policy_check_count; i++) {
		CHECK(strncmp(policy_checks[i].name, "check_", 6) == 0);
		CHECK(policy_checks[i].fn && policy_checks[i].rule[0]);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(policy_checks[i].name, policy_checks[j].name) != 0);
	}
}
