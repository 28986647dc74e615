/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A channel end over the runtime's rings (contracts in chan_port.h). The
 * checks of the peer's indices and lengths are the ring code's
 * (common/lib/channel_ring.c); this only picks the rings a channel has for
 * this end and refuses a direction it lacks.
 */
#include "bulkhead/errno.h"
#include "lib/string.h"
#include "virtio/chan_port.h"

int chan_port_init(struct chan_port *p, void *base, uint64_t size, uint32_t end,
                   uint32_t flags, chan_port_notify_fn notify, void *ctx)
{
	memset(p, 0, sizeof *p);
	if (!base || end > 1)
		return -BH_EINVAL;
	/* A role the channel does not give this end is -BH_EPERM, which only
	 * means there is no ring that way. */
	int out = bh_ring_init_channel_memory(&p->out, base, size, end, flags,
	                                      BH_RING_PRODUCER, notify, ctx);
	int in = bh_ring_init_channel_memory(&p->in, base, size, end, flags,
	                                     BH_RING_CONSUMER, notify, ctx);
	if ((out && out != -BH_EPERM) || (in && in != -BH_EPERM) || (out && in)) {
		memset(p, 0, sizeof *p);
		return -BH_EINVAL;
	}
	p->can_send = out == 0;
	p->can_receive = in == 0;
	p->base = base;
	p->size = size;
	p->end = end;
	p->flags = flags;
	p->notify = notify;
	p->ctx = ctx;
	return 0;
}

void chan_port_restart(struct chan_port *p)
{
	/* Cannot fail: the same arguments were accepted once. */
	chan_port_init(p, p->base, p->size, p->end, p->flags, p->notify, p->ctx);
}

uint32_t chan_port_max_send(const struct chan_port *p)
{
	return p->can_send ? bh_ring_max_msg(&p->out) : 0;
}

uint32_t chan_port_max_receive(const struct chan_port *p)
{
	return p->can_receive ? bh_ring_max_msg(&p->in) : 0;
}

/* Whether sending can go on at all; -BH_EPERM or -BH_EPIPE if not. */
static int send_refused(const struct chan_port *p)
{
	if (!p->can_send)
		return -BH_EPERM;
	return p->peer_gone ? -BH_EPIPE : 0;
}

/* A notification found the peer gone: remember it. */
static int note_gone(struct chan_port *p, int ret)
{
	if (ret == -BH_EPIPE)
		p->peer_gone = true;
	return ret;
}

int chan_port_reserve(struct chan_port *p, uint32_t len, void **payload)
{
	int ret = send_refused(p);
	return ret ? ret : bh_ring_reserve(&p->out, len, payload);
}

int chan_port_commit(struct chan_port *p, uint32_t len)
{
	int ret = send_refused(p);
	return ret ? ret : note_gone(p, bh_ring_commit(&p->out, len));
}

int chan_port_send(struct chan_port *p, const void *msg, uint32_t len)
{
	int ret = send_refused(p);
	return ret ? ret : note_gone(p, bh_ring_send(&p->out, msg, len));
}

int chan_port_wait_room(struct chan_port *p, uint32_t len)
{
	int ret = send_refused(p);
	return ret ? ret : note_gone(p, bh_ring_arm(&p->out, len));
}

void chan_port_peer_gone(struct chan_port *p)
{
	p->peer_gone = true;
}

void chan_port_close(struct chan_port *p)
{
	p->peer_gone = true;
	p->closed = true;
}

/* Whether receiving can look at the ring: -BH_EPERM if there is none,
 * -BH_ENODATA once the memory is gone (nothing more will come). */
static int receive_refused(const struct chan_port *p)
{
	if (!p->can_receive)
		return -BH_EPERM;
	return p->closed ? -BH_ENODATA : 0;
}

int chan_port_peek(struct chan_port *p, const void **msg)
{
	int ret = receive_refused(p);
	return ret ? ret : bh_ring_peek(&p->in, msg);
}

int chan_port_release(struct chan_port *p)
{
	int ret = receive_refused(p);
	return ret ? ret : bh_ring_release(&p->in);
}

int chan_port_receive(struct chan_port *p, void *buf, uint32_t max)
{
	int ret = receive_refused(p);
	return ret ? ret : bh_ring_recv(&p->in, buf, max);
}

int chan_port_wait_data(struct chan_port *p)
{
	int ret = receive_refused(p);
	if (ret == -BH_ENODATA)
		return -BH_EPIPE;
	return ret ? ret : bh_ring_arm(&p->in, 0);
}
