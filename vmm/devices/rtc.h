/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CMOS real-time clock (MC146818A as on a PC) at ports 0x70 (index;
 * bit 7, the NMI mask, is ignored) and 0x71 (data). The time registers
 * (seconds, minutes, hours, day of week, day of month, month, year, and
 * the century at 0x32) show a clock the monitor passes in: nanoseconds
 * since RTC_EPOCH, 2026-01-01 00:00:00 UTC. The monitor passes the
 * kernel's time since boot, so a guest sees the wall clock start at the
 * epoch when the machine booted: Bulkhead keeps no wall-clock time.
 *
 * Register A reads 0x26 (32.768 kHz time base, 1024 Hz rate) with UIP
 * always 0: the time never changes under a reader, so the guest's wait
 * for the end of an update returns at once. Register B takes and keeps
 * the data-mode (binary or BCD) and 12/24-hour bits, which change how the
 * time registers read; its interrupt-enable bits are stored but no RTC
 * interrupt is ever raised (register C reads 0). Register D reads 0x80
 * (the battery is good). Writes to the time registers are ignored (the
 * clock cannot be set); the alarm registers keep what is written. Every
 * other CMOS byte reads 0 and ignores writes. Pure.
 */
#ifndef VMM_DEVICES_RTC_H
#define VMM_DEVICES_RTC_H

#include <stdint.h>

#define RTC_PORT_INDEX 0x70
#define RTC_PORT_DATA  0x71

#define RTC_SECONDS       0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES       0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS         0x04
#define RTC_HOURS_ALARM   0x05
#define RTC_DAY_OF_WEEK   0x06
#define RTC_DAY_OF_MONTH  0x07
#define RTC_MONTH         0x08
#define RTC_YEAR          0x09
#define RTC_REG_A         0x0a
#define RTC_REG_B         0x0b
#define RTC_REG_C         0x0c
#define RTC_REG_D         0x0d
#define RTC_CENTURY       0x32

#define RTC_B_24H         0x02
#define RTC_B_BINARY      0x04   /* DM: binary, not BCD */
#define RTC_B_SET         0x80

/* 2026-01-01 was a Thursday (day of week 5, counting Sunday as 1). */
#define RTC_EPOCH_YEAR    2026

struct rtc_time {
	unsigned year, month, day;       /* month 1-12, day 1-31 */
	unsigned hour, minute, second;
	unsigned weekday;                /* 1 Sunday .. 7 Saturday */
};

struct rtc {
	uint8_t index;
	uint8_t reg_b;
	uint8_t alarm[3];                /* seconds, minutes, hours */
};

/* Power-on state: index 0, 24-hour BCD mode. */
void rtc_init(struct rtc *r);

/* The calendar time ns nanoseconds after the epoch (UTC, no leap seconds). */
void rtc_time_from_ns(uint64_t ns, struct rtc_time *t);

/* A byte read of port 0x70 or 0x71 at clock time now_ns; any other port
 * reads 0xff. Reading register C would clear its flags; none are set. */
uint8_t rtc_read(struct rtc *r, uint16_t port, uint64_t now_ns);

/* A byte write of port 0x70 (selects the register) or 0x71. */
void rtc_write(struct rtc *r, uint16_t port, uint8_t value);

#endif
