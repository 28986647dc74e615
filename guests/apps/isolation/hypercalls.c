/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercalls: bad arguments must come back as the errors
 * docs/hypercalls.md documents, in the order it gives, and change nothing.
 *
 * hc-args   checks chosen edge cases one by one.
 * hc-fuzz   makes FUZZ_CALLS pseudo-random calls (fixed seed, so a failure
 *           repeats) and checks each result against what the document
 *           says that call returns for those arguments.
 *
 * Both print "PASS ..."/"FAIL ..." lines and a summary, and exit 0 only if
 * every check passed. The calls are made with a VMCALL of this file's own,
 * not the runtime's typed wrappers: the tests need numbers and argument
 * registers no wrapper would send, and check that the registers the
 * convention preserves come back unchanged.
 */
#include "isolation.h"

#define FUZZ_CALLS  100000u
#define FUZZ_SEED   0x9e3779b97f4a7c15ull
#define FUZZ_NR_MAX 64u         /* numbers drawn from [0, FUZZ_NR_MAX) */
#define MAX_REPORTS 10u         /* FAIL lines printed per kind of mismatch */

struct regs {
	uint64_t nr, arg[6];        /* RAX; RDI, RSI, RDX, R10, R8, R9 */
};

/*
 * One VMCALL with every argument register set as given and the registers
 * the convention preserves (RBX, RCX, R11, the argument registers, RFLAGS)
 * holding known values. Returns RAX; *preserved says whether all of them
 * came back unchanged.
 */
static int64_t hypercall(const struct regs *in, bool *preserved)
{
	register uint64_t r10 asm("r10") = in->arg[3];
	register uint64_t r8 asm("r8") = in->arg[4];
	register uint64_t r9 asm("r9") = in->arg[5];
	register uint64_t r11 asm("r11") = 0x1111111111111111ull ^ in->nr;
	uint64_t rax = in->nr, rdi = in->arg[0], rsi = in->arg[1], rdx = in->arg[2];
	uint64_t rcx = 0xcccccccccccccccc ^ in->arg[0], rbx = 0xbbbbbbbbbbbbbbbb ^ in->arg[1];
	uint64_t flags_before, flags_after;

	asm volatile("pushfq\n\tpopq %[f0]\n\tvmcall\n\tpushfq\n\tpopq %[f1]"
	             : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+c"(rcx), "+b"(rbx),
	               "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r11),
	               [f0] "=&r"(flags_before), [f1] "=&r"(flags_after)
	             :
	             : "memory", "cc");
	*preserved = rdi == in->arg[0] && rsi == in->arg[1] && rdx == in->arg[2] &&
	             r10 == in->arg[3] && r8 == in->arg[4] && r9 == in->arg[5] &&
	             r11 == (0x1111111111111111ull ^ in->nr) &&
	             rcx == (0xcccccccccccccccc ^ in->arg[0]) &&
	             rbx == (0xbbbbbbbbbbbbbbbb ^ in->arg[1]) &&
	             flags_before == flags_after;
	return (int64_t)rax;
}

static int64_t hc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const struct regs in = { nr, { a0, a1, a2, 0, 0, 0 } };
	bool preserved;

	return hypercall(&in, &preserved);
}

static uint64_t mem_size(void)
{
	return bh_start_info()->mem_size;
}

/* docs/hypercalls.md, "Guest buffers". */
static bool buffer_ok(uint64_t buf, uint64_t len)
{
	return len == 0 || (buf <= mem_size() && len <= mem_size() - buf);
}

static const char *err_name(int64_t r)
{
	switch (r) {
	case -BH_EPERM:     return "-EPERM";
	case -BH_E2BIG:     return "-E2BIG";
	case -BH_EFAULT:    return "-EFAULT";
	case -BH_ERANGE:    return "-ERANGE";
	case -BH_ENOSYS:    return "-ENOSYS";
	case -BH_ETIMEDOUT: return "-ETIMEDOUT";
	default:            return r >= 0 ? "success" : "other";
	}
}

/* ---- hc-args ------------------------------------------------------------- */

static void expect_result(struct bh_tally *t, int64_t got, int64_t want, const char *what)
{
	bh_check(t, got == want, "%s: %ld (%s), want %ld (%s)", what, (long)got, err_name(got),
	         (long)want, err_name(want));
}

static void console_write_args(struct bh_tally *t)
{
	const uint64_t mem = mem_size();
	static const char line[] = "a console write with good arguments\n";

	expect_result(t, hc(BH_HC_CONSOLE_WRITE, mem, 1, 0), -BH_EFAULT,
	              "console write, 1 byte at mem_size");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, mem - 1, 2, 0), -BH_EFAULT,
	              "console write ending one byte past memory");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, mem - 4095, 4096, 0), -BH_EFAULT,
	              "console write of 4096 bytes ending one byte past memory");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, ~0ull - 15, 32, 0), -BH_EFAULT,
	              "console write of a range that wraps around 2^64");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, 0x1000, ~0ull - 0xfff + 0x10, 0), -BH_E2BIG,
	              "console write whose length wraps the range around 2^64");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, 0xfee00000, 16, 0), -BH_EFAULT,
	              "console write from the LAPIC's address");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, 0x1000, 4097, 0), -BH_E2BIG,
	              "console write of 4097 bytes from inside memory");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, mem, 4097, 0), -BH_E2BIG,
	              "console write of 4097 bytes from outside memory (E2BIG is checked first)");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, ~0ull, ~0ull, 0), -BH_E2BIG,
	              "console write of 2^64-1 bytes at 2^64-1");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, mem, 0, 0), 0,
	              "console write of 0 bytes at mem_size");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, ~0ull, 0, 0), 0,
	              "console write of 0 bytes at 2^64-1 (an empty buffer is always valid)");
	expect_result(t, hc(BH_HC_CONSOLE_WRITE, (uintptr_t)line, sizeof(line) - 1, 0),
	              (int64_t)sizeof(line) - 1, "console write with good arguments");
}

static void self_args(struct bh_tally *t)
{
	const uint64_t mem = mem_size();
	const int64_t id = bh_start_info()->vm_id;
	const char *name = bh_start_info()->name;
	const size_t need = strlen(name) + 1;
	char buf[BH_GUEST_NAME_MAX];

	expect_result(t, hc(BH_HC_SELF, 0, 0, 0), id, "self with len 0");
	expect_result(t, hc(BH_HC_SELF, ~0ull, 0, 0), id, "self with len 0 and buf 2^64-1");
	expect_result(t, hc(BH_HC_SELF, mem, 32, 0), -BH_EFAULT, "self into mem_size");
	expect_result(t, hc(BH_HC_SELF, 0xfee00000, 32, 0), -BH_EFAULT,
	              "self into the LAPIC's address");
	expect_result(t, hc(BH_HC_SELF, ~0ull - 7, 32, 0), -BH_EFAULT,
	              "self into a range that wraps around 2^64");
	expect_result(t, hc(BH_HC_SELF, mem, 1, 0), -BH_EFAULT,
	              "self, 1 byte at mem_size (EFAULT is checked before ERANGE)");

	/* A range ending one byte past memory: nothing may be written into
	 * the part that is inside. */
	volatile uint8_t *top = (volatile uint8_t *)(uintptr_t)(mem - 4);
	uint8_t before[4] = { top[0], top[1], top[2], top[3] };
	int64_t r = hc(BH_HC_SELF, mem - 4, 32, 0);
	expect_result(t, r, -BH_EFAULT, "self into a buffer ending past memory");
	bh_check(t, top[0] == before[0] && top[1] == before[1] && top[2] == before[2] &&
	         top[3] == before[3], "the failed self left the last bytes of memory alone");

	memset(buf, 0xaa, sizeof(buf));
	expect_result(t, hc(BH_HC_SELF, (uintptr_t)buf, 1, 0), -BH_ERANGE,
	              "self into a 1-byte buffer");
	expect_result(t, hc(BH_HC_SELF, (uintptr_t)buf, need - 1, 0), -BH_ERANGE,
	              "self into a buffer one byte short of the name's NUL");
	bool untouched = true;
	for (size_t i = 0; i < sizeof(buf); i++)
		untouched &= (uint8_t)buf[i] == 0xaa;
	bh_check(t, untouched, "the failed self calls wrote nothing");

	expect_result(t, hc(BH_HC_SELF, (uintptr_t)buf, need, 0), id,
	              "self into a buffer of exactly the name's size");
	bh_check(t, memcmp(buf, name, need) == 0 && (uint8_t)buf[need] == 0xaa,
	         "self wrote the name and its NUL, and nothing after");

	/* The last bytes of memory are a valid buffer. They hold the return
	 * address into _start, so they are put back at once. */
	volatile char *end = (volatile char *)(uintptr_t)(mem - need);
	char saved[BH_GUEST_NAME_MAX];
	for (size_t i = 0; i < need; i++)
		saved[i] = end[i];
	r = hc(BH_HC_SELF, mem - need, need, 0);
	bool same = true;
	for (size_t i = 0; i < need; i++) {
		same &= end[i] == name[i];
		end[i] = saved[i];
	}
	expect_result(t, r, id, "self into the last bytes of memory");
	bh_check(t, same, "self wrote the name at the end of memory");
}

static void unknown_numbers(struct bh_tally *t)
{
	static const uint64_t numbers[] = {
		BH_HC_RESERVED_FIRST, BH_HC_RESERVED_FIRST + 1, 31, 32, 33, 63, 64, 1000,
		0xffffffffull,
		1ull << 32,              /* BH_HC_NULL if the number were cut to 32 bits */
		(1ull << 32) + BH_HC_EXIT,
		(1ull << 32) + BH_HC_CONSOLE_WRITE,
		1ull << 63, ~0ull, ~0ull - 1,
	};
	char what[64];

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		bh_snprintf(what, sizeof(what), "hypercall %#llx", (unsigned long long)numbers[i]);
		/* Arguments a console write would accept, in case the number
		 * is cut short. */
		expect_result(t, hc(numbers[i], (uintptr_t)what, 4, 0), -BH_ENOSYS, what);
	}
}

static void other_calls(struct bh_tally *t)
{
	expect_result(t, hc(BH_HC_NULL, ~0ull, ~0ull, ~0ull), 0, "null");
	expect_result(t, hc(BH_HC_YIELD, ~0ull, ~0ull, ~0ull), 0, "yield");
	expect_result(t, hc(BH_HC_WAIT, BH_WAIT_POLL, 0, 0), -BH_ETIMEDOUT,
	              "wait with timeout 0");

	int64_t t0 = hc(BH_HC_TIME, 0, 0, 0);
	int64_t r = hc(BH_HC_WAIT, BH_NS_PER_MS, 0, 0);
	int64_t t1 = hc(BH_HC_TIME, 0, 0, 0);
	expect_result(t, r, -BH_ETIMEDOUT, "wait with a 1 ms timeout");
	bh_check(t, t0 > 0 && t1 - t0 >= (int64_t)BH_NS_PER_MS,
	         "the 1 ms wait did not end early: %ld ns passed", (long)(t1 - t0));

	const struct regs calls[] = {
		{ BH_HC_NULL, { 1, 2, 3, 4, 5, 6 } },
		{ BH_HC_CONSOLE_WRITE, { ~0ull, 8, 3, 4, 5, 6 } },
		{ BH_HC_SELF, { 0x1000, 1, 0x33, 0x44, 0x55, 0x66 } },
		{ 40, { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6 } },
	};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		bool preserved;
		r = hypercall(&calls[i], &preserved);
		bh_check(t, preserved, "hypercall %lu (result %ld) preserved RBX, RCX, R11, "
		         "the argument registers and RFLAGS", (unsigned long)calls[i].nr, (long)r);
	}
}

static int args_probe(void)
{
	struct bh_tally t = { 0 };

	bh_probe_say("hypercalls with bad arguments");
	console_write_args(&t);
	self_args(&t);
	unknown_numbers(&t);
	other_calls(&t);
	return bh_tally_summary(&t);
}

/* ---- hc-fuzz ------------------------------------------------------------- */

static uint64_t rng_state = FUZZ_SEED;

/* xorshift64* (Vigna): fixed seed, same sequence every run. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* An argument: often anything at all, often near a boundary a check
 * must get right. */
static uint64_t fuzz_value(void)
{
	const uint64_t mem = mem_size();
	const uint64_t edges[] = {
		0, 1, 31, 32, 4095, 4096, 4097, BH_GUEST_IMAGE_BASE, mem - 4096, mem - 1, mem,
		mem + 1, 0xfee00000, 1ull << 32, 1ull << 63, ~0ull - 4095, ~0ull,
	};
	uint64_t r = rnd();

	switch (r & 7) {
	case 0: case 1: case 2:
		return rnd();
	case 3: case 4:
		return edges[(r >> 3) % (sizeof(edges) / sizeof(edges[0]))] + (r >> 16) % 3 - 1;
	case 5: case 6:
		return rnd() % (2 * mem);
	default:
		return rnd() % 8192;
	}
}

/* Memory the fuzzer watches: filled with a pattern, checksummed before and
 * after. No valid call writes there. */
static uint8_t watched[64 * 1024];
/* Where a BH_HC_SELF that would succeed is sent instead of its random
 * buffer, which might be this VM's own stack or code. */
static char self_scratch[256];

static uint64_t checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t memory_checksum(void)
{
	return checksum(watched, sizeof(watched)) ^
	       checksum((const void *)(uintptr_t)BH_GUEST_START_INFO, BH_GUEST_PAGE_SIZE);
}

/* A self into self_scratch (zeroed before the call) that returned got wrote
 * the name and its NUL if it succeeded, and nothing if it failed. */
static bool self_wrote_right(int64_t got)
{
	const char *name = bh_start_info()->name;
	size_t n = got >= 0 ? strlen(name) + 1 : 0;

	if (memcmp(self_scratch, name, n) != 0)
		return false;
	for (size_t i = n; i < sizeof(self_scratch); i++)
		if (self_scratch[i])
			return false;
	return true;
}

enum { R_SUCCESS, R_E2BIG, R_EFAULT, R_ERANGE, R_ENOSYS, R_ETIMEDOUT, R_EPERM, R_OTHER,
       R_COUNT };

static unsigned result_class(int64_t r)
{
	switch (r) {
	case -BH_E2BIG:     return R_E2BIG;
	case -BH_EFAULT:    return R_EFAULT;
	case -BH_ERANGE:    return R_ERANGE;
	case -BH_ENOSYS:    return R_ENOSYS;
	case -BH_ETIMEDOUT: return R_ETIMEDOUT;
	case -BH_EPERM:     return R_EPERM;
	default:            return r >= 0 ? R_SUCCESS : R_OTHER;
	}
}

/*
 * Makes the call in *c safe to make (no console output, no writes outside
 * self_scratch, no sleeping) without leaving the documented paths, and
 * returns what docs/hypercalls.md says it returns. TIME returns a value not
 * known in advance: *any_time is set instead.
 */
static int64_t fuzz_prepare(struct regs *c, bool *any_time)
{
	const int64_t id = bh_start_info()->vm_id;
	const uint64_t need = strlen(bh_start_info()->name) + 1;

	*any_time = false;
	switch (c->nr) {
	case BH_HC_NULL:
	case BH_HC_YIELD:
		return 0;
	case BH_HC_CONSOLE_WRITE:
		if (c->arg[1] > BH_CONSOLE_WRITE_MAX)
			return -BH_E2BIG;
		if (!buffer_ok(c->arg[0], c->arg[1]))
			return -BH_EFAULT;
		c->arg[1] = 0;   /* would print: make it an empty write */
		return 0;
	case BH_HC_WAIT:
		c->arg[0] = BH_WAIT_POLL;   /* never sleep; this VM holds no channel */
		return -BH_ETIMEDOUT;
	case BH_HC_TIME:
		*any_time = true;
		return 0;
	case BH_HC_CHANNEL_FIND:
	case BH_HC_CHANNEL_NOTIFY:
	case BH_HC_VM_LAUNCH:
	case BH_HC_VM_STOP:
	case BH_HC_VM_LIST:
	case BH_HC_LOG_READ:
	case BH_HC_STATS:
	case BH_HC_IMAGES:
	case BH_HC_CHANNELS:
	case BH_HC_SHUTDOWN:
	case BH_HC_CONSOLE_ATTACH:
	case BH_HC_CONSOLE_SEND:
		/* The test policy grants no channel or control right. */
		return -BH_EPERM;
	case BH_HC_MONITOR_RUN:
		/* It has the wait right, but it is nobody's monitor. */
		return -BH_EPERM;
	case BH_HC_DEVICE_CONFIG: {
		/* Arguments first, then: it holds no device. */
		uint64_t devfn = c->arg[0], off = c->arg[1], size = c->arg[2];
		if ((size != 1 && size != 2 && size != 4) || off >= 4096 || off % size ||
		    devfn > 0xff)
			return -BH_EINVAL;
		return -BH_EPERM;
	}
	case BH_HC_DEVICE_MMIO:
		return c->arg[1] != 4 || c->arg[0] % 4 ? -BH_EINVAL : -BH_EPERM;
	case BH_HC_CONSOLE_READ:
		/* Not the console's owner: its own input queue, which no
		 * one fills, so nothing is written. */
		return buffer_ok(c->arg[0], c->arg[1]) ? 0 : -BH_EFAULT;
	case BH_HC_SELF:
		if (c->arg[1] == 0)
			return id;
		if (!buffer_ok(c->arg[0], c->arg[1]))
			return -BH_EFAULT;
		c->arg[0] = (uintptr_t)self_scratch;
		if (c->arg[1] > sizeof(self_scratch))
			c->arg[1] = sizeof(self_scratch);
		return c->arg[1] < need ? -BH_ERANGE : id;
	default:
		return -BH_ENOSYS;
	}
}

static int fuzz_probe(void)
{
	struct bh_tally t = { 0 };
	unsigned count[R_COUNT] = { 0 };
	unsigned mismatches = 0, clobbers = 0, scratch_bad = 0, calls = 0;
	int64_t last_time = 0;

	for (size_t i = 0; i < sizeof(watched); i++)
		watched[i] = (uint8_t)(i * 131 + 7);
	const uint64_t sum = memory_checksum();

	bh_probe_say("%u pseudo-random hypercalls, seed %#llx", FUZZ_CALLS,
	             (unsigned long long)FUZZ_SEED);
	while (calls < FUZZ_CALLS) {
		struct regs c = { rnd() % FUZZ_NR_MAX, { 0 } };
		if (c.nr == BH_HC_EXIT)
			continue;
		for (int a = 0; a < 6; a++)
			c.arg[a] = fuzz_value();
		const struct regs drawn = c;
		bool any_time, preserved;
		int64_t want = fuzz_prepare(&c, &any_time);
		memset(self_scratch, 0, sizeof(self_scratch));
		int64_t got = hypercall(&c, &preserved);
		calls++;
		count[result_class(got)]++;

		bool ok = any_time ? got > 0 && got >= last_time : got == want;
		if (any_time && got > 0)
			last_time = got;
		/* Kept under the kernel's 160-byte console line. */
		if (!ok && mismatches++ < MAX_REPORTS)
			bh_printf("FAIL call %u: nr %lu (%#lx, %#lx, %#lx) gave %ld %s, want %s%ld\n",
			          calls, (unsigned long)c.nr, (unsigned long)drawn.arg[0],
			          (unsigned long)drawn.arg[1], (unsigned long)drawn.arg[2], (long)got,
			          err_name(got), any_time ? "a time >= " : "",
			          any_time ? (long)last_time : (long)want);
		if (!preserved && clobbers++ < MAX_REPORTS)
			bh_printf("FAIL call %u: hypercall %lu changed a register it must preserve\n",
			          calls, (unsigned long)c.nr);
		if (c.nr == BH_HC_SELF && c.arg[0] == (uintptr_t)self_scratch &&
		    !self_wrote_right(got) && scratch_bad++ < MAX_REPORTS)
			bh_printf("FAIL call %u: self returned %ld but wrote %s\n", calls, (long)got,
			          self_scratch[0] ? "something" : "nothing");
	}

	bh_printf("results of %u calls: success %u, -E2BIG %u, -EFAULT %u, -ERANGE %u, "
	          "-ENOSYS %u, -ETIMEDOUT %u, -EPERM %u, other %u\n", calls, count[R_SUCCESS],
	          count[R_E2BIG], count[R_EFAULT], count[R_ERANGE], count[R_ENOSYS],
	          count[R_ETIMEDOUT], count[R_EPERM], count[R_OTHER]);
	bh_check(&t, mismatches == 0, "every result was the documented one (%u were not)",
	         mismatches);
	bh_check(&t, clobbers == 0, "every call preserved the registers (%u did not)", clobbers);
	bh_check(&t, scratch_bad == 0, "every self wrote its name if it succeeded, nothing if "
	         "it failed (%u did not)", scratch_bad);
	bh_check(&t, memory_checksum() == sum, "the watched memory and start-info page are intact");
	return bh_tally_summary(&t);
}

int hypercall_probe(void)
{
	static const struct bh_role probes[] = {
		{ "hc-args", args_probe },
		{ "hc-fuzz", fuzz_probe },
	};
	const struct bh_role *p = bh_role_find(probes, sizeof(probes) / sizeof(probes[0]),
	                                       probe_name());

	return p ? p->run() : probe_unknown();
}
