/* SPDX-License-Identifier: GPL-2.0-only */
#include "lib/byte_fifo.h"

void byte_fifo_init(struct byte_fifo *f, uint8_t *buf, size_t cap)
{
	*f = (struct byte_fifo){ .buf = buf, .cap = cap };
}

bool byte_fifo_put(struct byte_fifo *f, uint8_t c)
{
	if (f->tail - f->head >= f->cap) {
		f->dropped++;
		return false;
	}
	f->buf[f->tail % f->cap] = c;
	f->tail++;
	return true;
}

size_t byte_fifo_take(struct byte_fifo *f, uint8_t *out, size_t max)
{
	size_t n = 0;
	while (n < max && f->head != f->tail) {
		out[n++] = f->buf[f->head % f->cap];
		f->head++;
	}
	return n;
}

size_t byte_fifo_len(const struct byte_fifo *f)
{
	return (size_t)(f->tail - f->head);
}
