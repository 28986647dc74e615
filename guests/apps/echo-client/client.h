/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The channel client app (tests/system/test_channels.py): one image, its
 * role picked by the VM's name.
 *
 *   echo-client    ECHO_ROUND_TRIPS requests over channel "echo", 1 byte
 *                  up to the largest message, each reply checked byte for
 *                  byte against what was sent (echo.c)
 *   echo-crasher   some verified round trips, then requests left in flight
 *                  both ways, then a deliberate fault: a peer that stops
 *                  mid-stream (echo.c)
 *   intruder       holds the channel right but no channel: looking up and
 *                  notifying channels is refused, and nothing is mapped
 *                  where a channel would be (probes.c)
 *   outsider       lacks the channel right: the same calls are refused
 *   ro-writer      the writing end of one-way channel "oneway"
 *   ro-reader      its reading end: reads what was written, is refused the
 *                  writer's rights, then writes its read-only view, which
 *                  the kernel must contain (probes.c)
 *
 * Checks print "PASS what" or "FAIL what" (bulkhead/check.h); a role exits
 * 0 only if every check passed. A containment probe says "probe: ..."
 * before its action and "probe: NOT CONTAINED ..." if it lives on.
 */
#ifndef ECHO_CLIENT_H
#define ECHO_CLIENT_H

#include <bulkhead/channel.h>
#include <bulkhead/check.h>
#include <bulkhead/ring.h>
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

#ifndef ECHO_ROUND_TRIPS
#define ECHO_ROUND_TRIPS  200u
#endif
/* Requests the client keeps in flight at most (fewer when the ring fills). */
#define ECHO_WINDOW       4u
/* How long a reply may take, in BH_HC_TIME nanoseconds, before it is a
 * FAIL rather than a hang. */
#define ECHO_REPLY_TIMEOUT_NS (20ull * BH_NS_PER_S)

/* Byte j of request i: differs between requests and has no short period,
 * so a reply that is shifted, stale, truncated or from another request
 * does not match. */
static inline uint8_t echo_pattern(uint32_t i, uint32_t j)
{
	uint32_t x = i * 0x9e3779b1u + j * 0x85ebca6bu;

	x ^= x >> 15;
	return (uint8_t)(x ^ (x >> 7));
}

/* The roles; each returns main's status. */
int echo_client(void);
int echo_crasher(void);
int probe_intruder(bool has_right);
int probe_ro_writer(void);
int probe_ro_reader(void);

#endif
