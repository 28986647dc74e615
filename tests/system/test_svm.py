# SPDX-License-Identifier: GPL-2.0-only
"""The AMD-V back end on a second platform: Bochs's `ryzen` model runs a
few of the tests shared by both back ends (test_vms.py, test_isolation.py,
test_channels.py) on AMD-V with the features QEMU lacks, so the back end's
branches for them run too. Every shared test already runs under QEMU's
AMD-V (test_sched.py's scheduler tests included)."""

import test_channels
import test_isolation
import test_vms
from harness import PLATFORMS

# Bochs's `ryzen` model has what QEMU lacks (next-RIP save, flush-by-ASID,
# 32768 ASIDs), so the back end's other branches run there; as slow as any
# Bochs run, so a few of the shared tests only. Not the ones whose probes
# end in a triple fault (isolation_msrs, isolation_instructions, the
# crasher of channel_peer_stops_mid_stream): Bochs 2.7 resets the whole
# machine on a guest's triple fault instead of exiting to the kernel
# through the shutdown intercept (docs/platforms.md).
RYZEN = PLATFORMS['bochs_ryzen']


def test_bochs_ryzen_hello_and_ticker(t):
    """test_vms.py's hello and ticker, on AMD-V with next-RIP save."""
    test_vms.hello_and_ticker(t, RYZEN)


def test_bochs_ryzen_isolation_memory(t):
    """test_isolation.py's memory probes: NPT violations stop the VM."""
    test_isolation.isolation_memory(t, RYZEN)


def test_bochs_ryzen_isolation_hypercalls(t):
    """test_isolation.py's hypercall probes, VMMCALL skipped by next RIP."""
    test_isolation.isolation_hypercalls(t, RYZEN)


def test_bochs_ryzen_isolation_cpu_state(t):
    """test_isolation.py's per-VM CPU state, on AMD-V with flush-by-ASID."""
    test_isolation.isolation_cpu_state(t, RYZEN)


def test_bochs_ryzen_isolation_cpuid(t):
    """test_isolation.py's CPUID view: the same on this AMD CPU model."""
    test_isolation.isolation_cpuid(t, RYZEN)


def test_bochs_ryzen_channel_echo(t):
    """test_channels.py's echo pair, on AMD-V with next-RIP save."""
    test_channels.channel_echo(t, RYZEN)
