/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The split-virtqueue walker (contracts in virtqueue.h). Layouts are
 * virtio 1.2 §2.7: a descriptor is addr (le64), len (le32), flags (le16),
 * next (le16); the available ring is flags, idx, ring[num] (le16 each);
 * the used ring is flags, idx (le16), then ring[num] of id, len (le32).
 *
 * Every walk is bounded whatever the guest wrote: a chain may visit at
 * most as many descriptors as its table holds (the queue size, or an
 * indirect table's length / 16, at most 32768), and an indirect table
 * cannot contain another, so one pop reads at most num + 32768
 * descriptors.
 */
#include "bulkhead/errno.h"
#include "lib/byteorder.h"
#include "virtio/virtqueue.h"

#define AVAIL_FLAGS   0
#define AVAIL_IDX     2
#define AVAIL_RING    4
#define USED_IDX      2
#define USED_RING     4
#define USED_ELEM     8
#define RING_HEADER   6   /* flags, idx, and the event field after the ring */

static uint64_t load_le64(const uint8_t *p)
{
	return load_le32(p) | (uint64_t)load_le32(p + 4) << 32;
}

static void store_le(uint8_t *p, uint32_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static bool power_of_two(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

int virtq_init(struct virtq *q, const struct guest_memory *mem, uint16_t num,
               uint64_t desc, uint64_t avail, uint64_t used)
{
	if (!power_of_two(num) || num > VIRTQ_MAX_SIZE ||
	    desc % 16 != 0 || avail % 2 != 0 || used % 4 != 0)
		return -BH_EINVAL;
	if (guest_check(mem, desc, (uint64_t)VIRTQ_DESC_SIZE * num) ||
	    guest_check(mem, avail, RING_HEADER + 2ull * num) ||
	    guest_check(mem, used, RING_HEADER + (uint64_t)USED_ELEM * num))
		return -BH_EFAULT;
	*q = (struct virtq){ .mem = mem, .num = num, .desc = desc, .avail = avail,
	                     .used = used, .broken = VIRTQ_OK };
	return 0;
}

static int fail(struct virtq *q, enum virtq_error e)
{
	q->broken = e;
	return -(int)e;
}

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* Copies descriptor i of the table at `table` in. */
static int read_desc(const struct virtq *q, uint64_t table, uint32_t i, struct desc *d)
{
	uint8_t b[VIRTQ_DESC_SIZE];
	if (guest_read(q->mem, table + (uint64_t)i * VIRTQ_DESC_SIZE, b, sizeof b))
		return -BH_EFAULT;
	d->addr = load_le64(b);
	d->len = load_le32(b + 8);
	d->flags = (uint16_t)load_le16(b + 12);
	d->next = (uint16_t)load_le16(b + 14);
	return 0;
}

/* Appends d's buffer to the chain, checking it. */
static enum virtq_error add_buffer(const struct virtq *q, const struct desc *d,
                                   struct virtq_buffer *bufs, unsigned cap,
                                   struct virtq_chain *c)
{
	bool writable = d->flags & VIRTQ_DESC_F_WRITE;
	/* §2.7.5: writable buffers come after all readable ones, so the
	 * last buffer is writable exactly when any is. */
	if (!writable && c->nbufs > 0 && bufs[c->nbufs - 1].writable)
		return VIRTQ_E_READ_AFTER_WRITE;
	if (c->nbufs == cap)
		return VIRTQ_E_TOO_MANY_BUFFERS;
	if (guest_check(q->mem, d->addr, d->len))
		return VIRTQ_E_BUFFER_OUTSIDE;
	if (c->readable_bytes + c->writable_bytes + d->len > UINT32_MAX)
		return VIRTQ_E_TOO_LONG;
	bufs[c->nbufs++] = (struct virtq_buffer){ d->addr, d->len, writable };
	if (writable)
		c->writable_bytes += d->len;
	else
		c->readable_bytes += d->len;
	return VIRTQ_OK;
}

/* Follows the chain from head, switching once into an indirect table. */
static enum virtq_error walk(const struct virtq *q, uint16_t head, struct virtq_buffer *bufs,
                             unsigned cap, struct virtq_chain *c)
{
	uint64_t table = q->desc;
	uint32_t table_len = q->num;
	bool indirect = false;
	uint32_t i = head, visited = 0;

	*c = (struct virtq_chain){ .head = head };
	for (;;) {
		struct desc d;
		if (++visited > table_len)
			return VIRTQ_E_LOOP;
		if (read_desc(q, table, i, &d))
			return indirect ? VIRTQ_E_INDIRECT_OUTSIDE : VIRTQ_E_MEMORY;
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			if (indirect)
				return VIRTQ_E_INDIRECT_NESTED;
			if (d.flags & VIRTQ_DESC_F_NEXT)
				return VIRTQ_E_INDIRECT_NEXT;
			if (d.len == 0 || d.len % VIRTQ_DESC_SIZE != 0 ||
			    d.len / VIRTQ_DESC_SIZE > VIRTQ_MAX_SIZE)
				return VIRTQ_E_INDIRECT_SIZE;
			if (guest_check(q->mem, d.addr, d.len))
				return VIRTQ_E_INDIRECT_OUTSIDE;
			/* §2.7.5.3: the table's descriptors start at entry 0. */
			table = d.addr;
			table_len = d.len / VIRTQ_DESC_SIZE;
			indirect = true;
			i = 0;
			visited = 0;
			continue;
		}
		enum virtq_error e = add_buffer(q, &d, bufs, cap, c);
		if (e != VIRTQ_OK)
			return e;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return VIRTQ_OK;
		if (d.next >= table_len)
			return VIRTQ_E_NEXT_RANGE;
		i = d.next;
	}
}

static int read_u16(const struct virtq *q, uint64_t gpa, uint16_t *v)
{
	uint8_t b[2];
	if (guest_read(q->mem, gpa, b, 2))
		return -BH_EFAULT;
	*v = (uint16_t)load_le16(b);
	return 0;
}

static int write_u16(const struct virtq *q, uint64_t gpa, uint16_t v)
{
	uint8_t b[2];
	store_le(b, v, 2);
	return guest_write(q->mem, gpa, b, 2);
}

/* avail_event sits after the used ring's elements, used_event after the
 * available ring's (§2.7.6, §2.7.8). */
static uint64_t avail_event_at(const struct virtq *q)
{
	return q->used + USED_RING + (uint64_t)USED_ELEM * q->num;
}

static uint64_t used_event_at(const struct virtq *q)
{
	return q->avail + AVAIL_RING + 2ull * q->num;
}

/* How many chains the driver has made available beyond last_avail; 0 or
 * -BH_EFAULT if the rings stopped being guest memory. With
 * event indices, an empty ring first asks for a notification at the
 * next chain, then looks again: a chain added between the first look
 * and the request would otherwise come with no notification at all. */
static int pending_chains(struct virtq *q, uint16_t *pending)
{
	uint16_t avail_idx;
	if (read_u16(q, q->avail + AVAIL_IDX, &avail_idx))
		return -BH_EFAULT;
	*pending = (uint16_t)(avail_idx - q->last_avail);
	if (*pending != 0 || !q->event_idx)
		return 0;
	if (write_u16(q, avail_event_at(q), q->last_avail))
		return -BH_EFAULT;
	/* The store must be visible before the load, which x86 may otherwise
	 * satisfy first (SDM Vol. 3A, "Loads May Be Reordered with Earlier
	 * Stores to Different Locations"): a full fence. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (read_u16(q, q->avail + AVAIL_IDX, &avail_idx))
		return -BH_EFAULT;
	*pending = (uint16_t)(avail_idx - q->last_avail);
	return 0;
}

int virtq_pop(struct virtq *q, struct virtq_buffer *bufs, unsigned cap,
              struct virtq_chain *chain)
{
	if (q->broken != VIRTQ_OK)
		return -(int)q->broken;
	uint16_t pending, head;
	if (pending_chains(q, &pending))
		return fail(q, VIRTQ_E_MEMORY);
	if (pending == 0)
		return 0;
	if (pending > q->num)
		return fail(q, VIRTQ_E_AVAIL_OVERRUN);
	uint16_t slot = q->last_avail & (uint16_t)(q->num - 1);
	if (read_u16(q, q->avail + AVAIL_RING + 2ull * slot, &head))
		return fail(q, VIRTQ_E_MEMORY);
	if (head >= q->num)
		return fail(q, VIRTQ_E_HEAD_RANGE);
	enum virtq_error e = walk(q, head, bufs, cap, chain);
	if (e != VIRTQ_OK)
		return fail(q, e);
	q->last_avail++;
	return 1;
}

int virtq_push(struct virtq *q, uint16_t head, uint32_t written)
{
	if (q->broken != VIRTQ_OK)
		return -(int)q->broken;
	if (head >= q->num)
		return -(int)VIRTQ_E_USED_HEAD;
	uint8_t elem[USED_ELEM], idx[2];
	store_le(elem, head, 4);
	store_le(elem + 4, written, 4);
	uint16_t slot = q->used_idx & (uint16_t)(q->num - 1);
	if (guest_write(q->mem, q->used + USED_RING + (uint64_t)USED_ELEM * slot, elem, sizeof elem))
		return fail(q, VIRTQ_E_MEMORY);
	/* The element must be visible before the idx that publishes it. x86
	 * keeps stores in order (SDM Vol. 3A, "Stores Are Not Reordered with
	 * Other Stores"); the barrier stops the compiler from reordering
	 * them. */
	__asm__ volatile("" ::: "memory");
	store_le(idx, (uint16_t)(q->used_idx + 1), 2);
	if (guest_write(q->mem, q->used + USED_IDX, idx, sizeof idx))
		return fail(q, VIRTQ_E_MEMORY);
	q->used_idx++;
	return 0;
}

void virtq_use_event_idx(struct virtq *q)
{
	q->event_idx = true;
}

bool virtq_should_interrupt(struct virtq *q)
{
	uint16_t old = q->signalled_used, v;
	q->signalled_used = q->used_idx;
	if (q->broken != VIRTQ_OK)
		return false;
	if (q->event_idx) {
		/* Interrupt if used_event lies in [old, used_idx): the driver
		 * asked to hear of the entry at used_event, and it is among
		 * those pushed since the last interrupt decision. */
		if (read_u16(q, used_event_at(q), &v))
			return false;
		return (uint16_t)(q->used_idx - v - 1) < (uint16_t)(q->used_idx - old);
	}
	if (read_u16(q, q->avail + AVAIL_FLAGS, &v))
		return false;
	return !(v & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

static const char *const error_names[VIRTQ_E_COUNT] = {
	[VIRTQ_OK]                 = "no error",
	[VIRTQ_E_MEMORY]           = "a ring lies outside guest memory",
	[VIRTQ_E_AVAIL_OVERRUN]    = "available idx ran more than the queue size ahead",
	[VIRTQ_E_HEAD_RANGE]       = "an available head is not a descriptor index",
	[VIRTQ_E_NEXT_RANGE]       = "a next index lies outside its descriptor table",
	[VIRTQ_E_LOOP]             = "a descriptor chain is longer than its table: a loop",
	[VIRTQ_E_TOO_MANY_BUFFERS] = "a chain has more buffers than the device takes",
	[VIRTQ_E_BUFFER_OUTSIDE]   = "a buffer lies outside guest memory",
	[VIRTQ_E_READ_AFTER_WRITE] = "a device-readable buffer follows a writable one",
	[VIRTQ_E_TOO_LONG]         = "a chain is 4 GiB or longer",
	[VIRTQ_E_INDIRECT_NEXT]    = "a descriptor has both INDIRECT and NEXT",
	[VIRTQ_E_INDIRECT_NESTED]  = "an indirect table holds an indirect descriptor",
	[VIRTQ_E_INDIRECT_SIZE]    = "an indirect table's length is 0, not a multiple of 16, or too big",
	[VIRTQ_E_INDIRECT_OUTSIDE] = "an indirect table lies outside guest memory",
	[VIRTQ_E_USED_HEAD]        = "a used head is not a descriptor index",
};

const char *virtq_error_name(int err)
{
	if (err < 0)
		err = -err;
	if (err >= VIRTQ_E_COUNT)
		return "unknown virtqueue error";
	return error_names[err];
}
