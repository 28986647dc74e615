/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recursive descent over the grammar in docs/policy.md. Each block
 * statement (vm, channel, launch, device) is a name and a list of
 * properties; a table per block maps property words to their parsers.
 *
 * Error recovery: a property whose value is wrong is reported once and
 * skipped up to its ';'; a missing ';' before the next property or '}' is
 * reported and the parse goes on as if it were there; a statement keyword
 * at the start of a line inside an unclosed block closes the block.
 */
#include "parse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util.h"
#include "value.h"

const struct token *cur(struct parser *ps) { return &ps->t[ps->i]; }

const struct token *ahead(struct parser *ps, size_t k)
{
	return &ps->t[ps->i + k < ps->n ? ps->i + k : ps->n - 1];
}

void advance(struct parser *ps)
{
	if (ps->i + 1 < ps->n)
		ps->i++;
}

const char *desc(struct parser *ps, const struct token *t)
{
	return tok_describe(t, ps->buf, sizeof(ps->buf));
}

struct loc after_prev(struct parser *ps)
{
	if (ps->i == 0)
		return cur(ps)->at;
	const struct token *p = &ps->t[ps->i - 1];
	return (struct loc){ p->at.line, p->at.col + (unsigned)p->len };
}

char *word_dup(const struct token *t) { return xstrndup(t->text, t->len); }

bool statement_here(struct parser *ps)
{
	const struct token *t = cur(ps);
	if (t->kind != TOK_WORD || !t->line_start)
		return false;
	if (tok_is(t, "vm") || tok_is(t, "channel") || tok_is(t, "launch") || tok_is(t, "device"))
		return ahead(ps, 1)->kind == TOK_WORD && ahead(ps, 2)->kind == TOK_LBRACE;
	if (tok_is(t, "pool"))
		return tok_is(ahead(ps, 1), "runtime");
	if (tok_is(t, "machine"))
		return tok_is(ahead(ps, 1), "memory") || tok_is(ahead(ps, 1), "iommu") ||
		       tok_is(ahead(ps, 1), "cpus");
	return false;
}

/* Skips the rest of a broken top-level statement: through its ';' or its
 * block's '}', or up to the next statement. Always moves on at least one
 * token. */
static void skip_statement(struct parser *ps)
{
	int depth = 0;
	do {
		const struct token *t = cur(ps);
		if (t->kind == TOK_EOF)
			return;
		advance(ps);
		if (t->kind == TOK_LBRACE)
			depth++;
		else if (t->kind == TOK_RBRACE && --depth <= 0)
			return;
		else if (t->kind == TOK_SEMI && depth == 0)
			return;
	} while (!statement_here(ps));
}

/* Skips the rest of a broken property: through its ';', or up to the
 * block's '}' or the next statement. */
static void skip_property(struct parser *ps)
{
	for (;;) {
		const struct token *t = cur(ps);
		if (t->kind == TOK_EOF || t->kind == TOK_RBRACE || statement_here(ps))
			return;
		advance(ps);
		if (t->kind == TOK_SEMI)
			return;
	}
}

static int find_prop(const struct block_def *b, const struct token *t)
{
	for (unsigned i = 0; i < b->nprops; i++)
		if (tok_is(t, b->props[i].word))
			return (int)i;
	return -1;
}

/* After a property's value: its ';'. When it is missing but a property or
 * the block's end follows, says so and goes on as if it were there. */
static void end_property(struct parser *ps, const struct block_def *b)
{
	const struct token *t = cur(ps);
	if (t->kind == TOK_SEMI) {
		advance(ps);
		return;
	}
	diag_error(ps->d, after_prev(ps), "expected ';' before %s", desc(ps, t));
	if (t->kind == TOK_RBRACE || t->kind == TOK_EOF || find_prop(b, t) >= 0 || statement_here(ps))
		return;
	skip_property(ps);
}

void block(struct parser *ps, const struct block_def *b, const char *name,
                  struct props *props, void *obj)
{
	const struct token *open = cur(ps);
	const char *shown = name ? name : "(unnamed)";

	if (open->kind != TOK_LBRACE) {
		if (name)   /* else the missing name was reported */
			diag_error(ps->d, open->at, "expected '{' after %s '%s', found %s", b->what,
			           shown, desc(ps, open));
		skip_statement(ps);
		return;
	}
	advance(ps);
	for (;;) {
		const struct token *t = cur(ps);
		if (t->kind == TOK_RBRACE) {
			advance(ps);
			return;
		}
		if (t->kind == TOK_EOF) {
			diag_error(ps->d, open->at, "the '{' of %s '%s' is never closed", b->what, shown);
			return;
		}
		if (statement_here(ps)) {
			diag_error(ps->d, after_prev(ps), "expected '}' to close %s '%s' before %s",
			           b->what, shown, desc(ps, t));
			return;
		}
		if (t->kind != TOK_WORD) {
			diag_error(ps->d, t->at, "expected a property of %s '%s' (%s), found %s",
			           b->what, shown, b->expected, desc(ps, t));
			advance(ps);
			continue;
		}
		int i = find_prop(b, t);
		if (i < 0) {
			diag_error(ps->d, t->at, "unknown property %s in %s '%s' (expected %s)",
			           desc(ps, t), b->what, shown, b->expected);
			advance(ps);
			skip_property(ps);
			continue;
		}
		if (props->given & (1u << i)) {
			diag_error(ps->d, t->at, "%s is given twice in %s '%s' (first at line %u)",
			           desc(ps, t), b->what, shown, props->at[i].line);
		} else {
			props->given |= 1u << i;
			props->at[i] = ahead(ps, 1)->at;   /* the value's */
		}
		advance(ps);
		if (b->props[i].parse(ps, obj)) {
			/* A property that ends in a block of its own ('monitor { ... }')
			 * needs no ';' after it. */
			if (ps->t[ps->i - 1].kind == TOK_RBRACE && cur(ps)->kind != TOK_SEMI)
				continue;
			end_property(ps, b);
		} else {
			props->bad |= 1u << i;
			skip_property(ps);
		}
	}
}

/* ---- Statements ---------------------------------------------------------- */

/* The name after a block keyword, or NULL (reported). */
static char *decl_name(struct parser *ps, const char *keyword, struct loc *at)
{
	const struct token *t = cur(ps);
	*at = t->at;
	if (t->kind != TOK_WORD) {
		diag_error(ps->d, t->at, "expected a name after '%s', found %s", keyword, desc(ps, t));
		return NULL;
	}
	advance(ps);
	return word_dup(t);
}

static void vm_statement(struct parser *ps)
{
	struct policy *p = ps->pol;
	struct vm_decl *vm = VEC_PUSH(p->vms, p->nvms, p->capvms);
	vm->image_index = -1;
	vm->name = decl_name(ps, "vm", &vm->at);
	/* obj may move if a nested push reallocates: none does. */
	block(ps, &vm_block, vm->name, &vm->p, vm);
}

static void channel_statement(struct parser *ps)
{
	struct policy *p = ps->pol;
	struct channel_decl *ch = VEC_PUSH(p->channels, p->nchannels, p->capchannels);
	ch->end[0].vm = ch->end[1].vm = -1;
	ch->name = decl_name(ps, "channel", &ch->at);
	block(ps, &channel_block, ch->name, &ch->p, ch);
}

static void launch_statement(struct parser *ps)
{
	struct policy *p = ps->pol;
	struct launch_decl *l = VEC_PUSH(p->launches, p->nlaunches, p->caplaunches);
	l->vm.vm = -1;
	l->vm.name = decl_name(ps, "launch", &l->vm.at);
	block(ps, &launch_block, l->vm.name, &l->p, l);
}

static void device_statement(struct parser *ps)
{
	struct policy *p = ps->pol;
	struct device_decl *dev = VEC_PUSH(p->devices, p->ndevices, p->capdevices);
	dev->to.vm = -1;
	dev->name = decl_name(ps, "device", &dev->at);
	block(ps, &device_block, dev->name, &dev->p, dev);
}

/* The ';' that ends a one-line statement; if it is missing, reported, and
 * the rest skipped up to the next statement. */
static void end_statement(struct parser *ps)
{
	if (cur(ps)->kind == TOK_SEMI) {
		advance(ps);
		return;
	}
	diag_error(ps->d, after_prev(ps), "expected ';' before %s", desc(ps, cur(ps)));
	if (!statement_here(ps))
		skip_statement(ps);
}

/* "machine memory SIZE;" and "pool runtime memory SIZE;" after the
 * keyword; words[] are the words that must follow it. */
static void setting_statement(struct parser *ps, struct setting *s, const char *keyword,
                              const char *const words[], const char *usage)
{
	struct loc at = ps->t[ps->i - 1].at;

	for (size_t i = 0; words[i]; i++) {
		if (!tok_is(cur(ps), words[i])) {
			diag_error(ps->d, cur(ps)->at, "expected '%s' in '%s', found %s", words[i],
			           usage, desc(ps, cur(ps)));
			skip_statement(ps);
			return;
		}
		advance(ps);
	}
	if (s->given)
		diag_error(ps->d, at, "'%s' is given twice (first at line %u)", keyword, s->at.line);
	else
		s->at = at;
	s->given = true;
	s->value_at = cur(ps)->at;
	s->bad = !size_value(ps, &s->value);
	if (s->bad) {
		skip_statement(ps);
		return;
	}
	end_statement(ps);
}

/* "machine iommu required;" or "machine iommu unprotected;", at "iommu". */
static void iommu_statement(struct parser *ps, struct iommu_setting *s)
{
	struct loc at = ps->t[ps->i - 1].at;

	advance(ps);
	const struct token *t = cur(ps);
	if (!tok_is(t, "required") && !tok_is(t, "unprotected")) {
		diag_error(ps->d, t->at, "expected 'required' or 'unprotected' after 'machine iommu', "
		           "found %s", desc(ps, t));
		if (!statement_here(ps))
			skip_statement(ps);
		return;
	}
	if (s->given) {
		diag_error(ps->d, at, "'machine iommu' is given twice (first at line %u)", s->at.line);
	} else {
		*s = (struct iommu_setting){ .given = true, .at = at,
		                             .unprotected = tok_is(t, "unprotected") };
	}
	advance(ps);
	end_statement(ps);
}

/* "machine cpus LIST;" at "cpus": LIST is CPUs and ranges of them, "0-3"
 * or "1, 3". A CPU listed twice is a warning; the rest are errors, and a
 * statement with one sets nothing. */
static void cpus_statement(struct parser *ps, struct cpus_setting *s)
{
	struct loc at = ps->t[ps->i - 1].at;
	uint32_t mask = 0;
	bool ok = true;

	advance(ps);
	bool first_time = !s->given;
	if (first_time)
		*s = (struct cpus_setting){ .given = true, .at = at };
	else
		diag_error(ps->d, at, "'machine cpus' is given twice (first at line %u)", s->at.line);
	if (cur(ps)->kind != TOK_WORD || statement_here(ps)) {
		diag_error(ps->d, cur(ps)->at, "expected the CPUs after 'machine cpus' (like 0-3 or "
		           "1, 3), found %s", desc(ps, cur(ps)));
		if (!statement_here(ps))
			skip_statement(ps);
		return;
	}
	for (;;) {
		const struct token *t = cur(ps);
		uint32_t first, last;
		const char *why;
		if (t->kind != TOK_WORD) {
			diag_error(ps->d, t->at, "expected a CPU or a range of them (like 0-3), found %s",
			           desc(ps, t));
			skip_statement(ps);
			return;
		}
		advance(ps);
		if (value_cpu_range(t->text, t->len, &first, &last, &why)) {
			diag_error(ps->d, t->at, "%s is not valid here: %s", desc(ps, t), why);
			ok = false;
		} else {
			uint32_t bits = (uint32_t)(((2ull << last) - 1) & ~((1ull << first) - 1));
			if (mask & bits)
				diag_warning(ps->d, t->at, "%s repeats a CPU listed before it in "
				             "'machine cpus'", desc(ps, t));
			mask |= bits;
		}
		if (cur(ps)->kind != TOK_COMMA)
			break;
		advance(ps);
	}
	if (first_time && ok)
		s->mask = mask;
	end_statement(ps);
}

void parse(const struct token *t, size_t n, struct policy *p, struct diag *d)
{
	static const char *const machine_words[] = { "memory", NULL };
	static const char *const pool_words[] = { "runtime", "memory", NULL };
	struct parser ps = { .t = t, .n = n, .pol = p, .d = d };

	while (cur(&ps)->kind != TOK_EOF) {
		const struct token *k = cur(&ps);
		if (k->kind == TOK_WORD)
			advance(&ps);
		if (tok_is(k, "vm"))
			vm_statement(&ps);
		else if (tok_is(k, "channel"))
			channel_statement(&ps);
		else if (tok_is(k, "launch"))
			launch_statement(&ps);
		else if (tok_is(k, "device"))
			device_statement(&ps);
		else if (tok_is(k, "machine") && tok_is(cur(&ps), "iommu"))
			iommu_statement(&ps, &p->iommu);
		else if (tok_is(k, "machine") && tok_is(cur(&ps), "cpus"))
			cpus_statement(&ps, &p->cpus);
		else if (tok_is(k, "machine"))
			setting_statement(&ps, &p->machine, "machine memory", machine_words,
			                  "machine memory SIZE;");
		else if (tok_is(k, "pool"))
			setting_statement(&ps, &p->pool, "pool", pool_words,
			                  "pool runtime memory SIZE;");
		else {
			diag_error(d, k->at, "expected a statement (vm, channel, launch, device, pool "
			           "or machine), found %s", desc(&ps, k));
			if (k->kind != TOK_WORD || !statement_here(&ps))
				skip_statement(&ps);
		}
	}
}
