/* SPDX-License-Identifier: GPL-2.0-only */
/* The CMOS RTC (contract in rtc.h). */
#include <stdbool.h>

#include "devices/rtc.h"
#include "lib/string.h"

#define NS_PER_S 1000000000ull

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

void rtc_time_from_ns(uint64_t ns, struct rtc_time *t)
{
	uint64_t s = ns / NS_PER_S;
	uint64_t days = s / 86400;
	unsigned secs = (unsigned)(s % 86400);

	t->hour = secs / 3600;
	t->minute = secs / 60 % 60;
	t->second = secs % 60;
	/* The epoch is a Thursday: weekday 5 with Sunday as 1. */
	t->weekday = (unsigned)((days + 4) % 7) + 1;
	/* At most 585 years fit in 64 bits of nanoseconds: a short loop. */
	unsigned y = RTC_EPOCH_YEAR;
	while (days >= (leap(y) ? 366u : 365u)) {
		days -= leap(y) ? 366 : 365;
		y++;
	}
	unsigned m = 1;
	while (days >= days_in_month(y, m)) {
		days -= days_in_month(y, m);
		m++;
	}
	t->year = y;
	t->month = m;
	t->day = (unsigned)days + 1;
}

void rtc_init(struct rtc *r)
{
	memset(r, 0, sizeof *r);
	r->reg_b = RTC_B_24H;
}

static uint8_t encode(const struct rtc *r, unsigned v)
{
	if (r->reg_b & RTC_B_BINARY)
		return (uint8_t)v;
	return (uint8_t)(((v / 10) << 4) | (v % 10));
}

/* Hours in the mode register B chooses: 12-hour mode is 1-12 with bit 7
 * for PM (the bit is outside the BCD or binary digits). */
static uint8_t encode_hour(const struct rtc *r, unsigned h)
{
	if (r->reg_b & RTC_B_24H)
		return encode(r, h);
	unsigned h12 = h % 12 == 0 ? 12 : h % 12;
	return (uint8_t)(encode(r, h12) | (h >= 12 ? 0x80 : 0));
}

uint8_t rtc_read(struct rtc *r, uint16_t port, uint64_t now_ns)
{
	if (port == RTC_PORT_INDEX)
		return r->index;   /* write-only on a real PC; harmless to read back */
	if (port != RTC_PORT_DATA)
		return 0xff;

	struct rtc_time t;
	rtc_time_from_ns(now_ns, &t);
	switch (r->index) {
	case RTC_SECONDS: return encode(r, t.second);
	case RTC_MINUTES: return encode(r, t.minute);
	case RTC_HOURS: return encode_hour(r, t.hour);
	case RTC_SECONDS_ALARM: return r->alarm[0];
	case RTC_MINUTES_ALARM: return r->alarm[1];
	case RTC_HOURS_ALARM: return r->alarm[2];
	case RTC_DAY_OF_WEEK: return encode(r, t.weekday);
	case RTC_DAY_OF_MONTH: return encode(r, t.day);
	case RTC_MONTH: return encode(r, t.month);
	case RTC_YEAR: return encode(r, t.year % 100);
	case RTC_CENTURY: return encode(r, t.year / 100 % 100);
	case RTC_REG_A: return 0x26;
	case RTC_REG_B: return r->reg_b;
	case RTC_REG_C: return 0;
	case RTC_REG_D: return 0x80;
	default: return 0;
	}
}

void rtc_write(struct rtc *r, uint16_t port, uint8_t value)
{
	if (port == RTC_PORT_INDEX) {
		r->index = value & 0x7f;   /* bit 7 masks NMI: there is none */
		return;
	}
	if (port != RTC_PORT_DATA)
		return;
	switch (r->index) {
	case RTC_SECONDS_ALARM: r->alarm[0] = value; break;
	case RTC_MINUTES_ALARM: r->alarm[1] = value; break;
	case RTC_HOURS_ALARM: r->alarm[2] = value; break;
	case RTC_REG_B: r->reg_b = value; break;
	default: break;
	}
}
