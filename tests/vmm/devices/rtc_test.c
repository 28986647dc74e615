/* SPDX-License-Identifier: GPL-2.0-only */
/* The CMOS RTC: calendar arithmetic from the 2026 epoch, BCD and binary,
 * 12- and 24-hour modes, the status registers Linux's rtc_cmos reads. */
#include "check.h"

#include "devices/rtc.h"

#define S 1000000000ull
#define DAY (86400ull * S)

static struct rtc r;

static uint8_t reg(uint8_t index, uint64_t now)
{
	rtc_write(&r, RTC_PORT_INDEX, index);
	return rtc_read(&r, RTC_PORT_DATA, now);
}

static void check_date(uint64_t ns, unsigned y, unsigned mo, unsigned d, unsigned h,
                       unsigned mi, unsigned s, unsigned wd)
{
	struct rtc_time t;
	rtc_time_from_ns(ns, &t);
	CHECK_EQ(t.year, y);
	CHECK_EQ(t.month, mo);
	CHECK_EQ(t.day, d);
	CHECK_EQ(t.hour, h);
	CHECK_EQ(t.minute, mi);
	CHECK_EQ(t.second, s);
	CHECK_EQ(t.weekday, wd);
}

TEST(calendar_from_the_epoch)
{
	check_date(0, 2026, 1, 1, 0, 0, 0, 5);                  /* a Thursday */
	check_date(DAY - 1, 2026, 1, 1, 23, 59, 59, 5);
	check_date(31 * DAY, 2026, 2, 1, 0, 0, 0, 1);           /* a Sunday */
	check_date(59 * DAY, 2026, 3, 1, 0, 0, 0, 1);           /* 2026: no Feb 29 */
	check_date(365 * DAY, 2027, 1, 1, 0, 0, 0, 6);
	check_date((365 + 365 + 31 + 28) * DAY, 2028, 2, 29, 0, 0, 0, 3);   /* leap day */
	check_date((365 + 365 + 366) * DAY + 3723 * S, 2029, 1, 1, 1, 2, 3, 2);
	/* 2100 is not a leap year; 2000-style 400 rule not reached. */
	check_date((74 * 365ull + 18) * DAY + 59 * DAY, 2100, 3, 1, 0, 0, 0, 2);
	/* The largest clock value still gives a valid date. */
	struct rtc_time t;
	rtc_time_from_ns(~0ull, &t);
	CHECK(t.year > 2600 && t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31);
}

TEST(time_registers_in_bcd_and_binary)
{
	rtc_init(&r);
	uint64_t now = (365 + 365 + 31 + 28) * DAY + (13 * 3600 + 45 * 60 + 59) * S;  /* 2028-02-29 13:45:59 */
	CHECK_EQ(reg(RTC_SECONDS, now), 0x59);
	CHECK_EQ(reg(RTC_MINUTES, now), 0x45);
	CHECK_EQ(reg(RTC_HOURS, now), 0x13);
	CHECK_EQ(reg(RTC_DAY_OF_MONTH, now), 0x29);
	CHECK_EQ(reg(RTC_MONTH, now), 0x02);
	CHECK_EQ(reg(RTC_YEAR, now), 0x28);
	CHECK_EQ(reg(RTC_CENTURY, now), 0x20);
	CHECK_EQ(reg(RTC_DAY_OF_WEEK, now), 0x03);              /* Tuesday */
	/* 12-hour mode: 1 PM. */
	rtc_write(&r, RTC_PORT_INDEX, RTC_REG_B);
	rtc_write(&r, RTC_PORT_DATA, 0);
	CHECK_EQ(reg(RTC_HOURS, now), 0x81);
	CHECK_EQ(reg(RTC_HOURS, 0), 0x12);                      /* midnight is 12 AM */
	/* Binary, 24-hour. */
	rtc_write(&r, RTC_PORT_INDEX, RTC_REG_B);
	rtc_write(&r, RTC_PORT_DATA, RTC_B_BINARY | RTC_B_24H);
	CHECK_EQ(reg(RTC_SECONDS, now), 59);
	CHECK_EQ(reg(RTC_YEAR, now), 28);
	CHECK_EQ(reg(RTC_HOURS, now), 13);
}

TEST(status_registers_and_other_bytes)
{
	rtc_init(&r);
	CHECK_EQ(reg(RTC_REG_A, 0) & 0x80, 0);                  /* UIP never set */
	CHECK_EQ(reg(RTC_REG_A, 0), 0x26);
	CHECK_EQ(reg(RTC_REG_B, 0), RTC_B_24H);
	CHECK_EQ(reg(RTC_REG_C, 0), 0);
	CHECK_EQ(reg(RTC_REG_D, 0), 0x80);
	/* The NMI bit of the index is ignored. */
	CHECK_EQ(reg(0x80 | RTC_REG_D, 0), 0x80);
	/* Other CMOS bytes read 0 and ignore writes; time writes are ignored. */
	for (unsigned i = 0x0e; i < 0x80; i++)
		if (i != RTC_CENTURY)
			CHECK_EQ(reg((uint8_t)i, 0), 0);
	rtc_write(&r, RTC_PORT_INDEX, 0x20);
	rtc_write(&r, RTC_PORT_DATA, 0x77);
	CHECK_EQ(reg(0x20, 0), 0);
	rtc_write(&r, RTC_PORT_INDEX, RTC_SECONDS);
	rtc_write(&r, RTC_PORT_DATA, 0x30);
	CHECK_EQ(reg(RTC_SECONDS, 5 * S), 0x05);
	/* Alarms keep what is written. */
	rtc_write(&r, RTC_PORT_INDEX, RTC_HOURS_ALARM);
	rtc_write(&r, RTC_PORT_DATA, 0x07);
	CHECK_EQ(reg(RTC_HOURS_ALARM, 0), 0x07);
	CHECK_EQ(rtc_read(&r, 0x72, 0), 0xff);                  /* not the RTC's */
}
