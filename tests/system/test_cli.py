# SPDX-License-Identifier: GPL-2.0-only
"""The control VM's CLI (docs/cli.md), driven through the real
console: every command is typed on COM1 and checked on what comes back.
Launch, list and stop; refusals by the policy and its quotas; 200
launch/stop cycles that leave the statistics exactly as they were; memory
handed from one VM to the next holds nothing of the first; launching until
memory runs out; shutdown; and the README's example, a script piped into
`make run`'s launcher.

Each test boots its own system once per platform (VT-x under Bochs, AMD-V
under QEMU), with a control VM running cli.elf and templates it may launch.
The helpers that drive the CLI are cli_session.py's, shared with
tests/soak/run.py (10,000 cycles) and tests/bench/control.py.
"""

import re
import time

import harness
from cli_session import HANDOVER, LOG, PROMPT, boot_cli, cli_policy, command, cycles, \
    launch_until_refused, shutdown, stats


def check_aligned(t, header, rows):
    """list's columns: NAME and STATE left-aligned, ID, MEMORY and CPU-TIME
    right-aligned under their headings (cells are apart by 2+ spaces)."""
    def cells(line):
        return [c.span() for c in re.finditer(r'\S+(?: \S+)*', line)]
    want = cells(header)
    for row in rows:
        got = cells(row)
        if len(got) != 5 or got[0][0] != 0 or got[2][0] != want[2][0] or \
                any(got[i][1] != want[i][1] for i in (1, 3, 4)):
            t.fail(f'list columns are not aligned:\n{header}\n{row}')


# --------------------------------------------------------------------------

@harness.on_each_platform(globals())
def cli_launch_list_stop(t, p):
    """The default system's templates from the console: launch, list (the
    columns, aligned), stop; help; line editing; every kind of mistake gets
    its message; other VMs' output arrives prefixed with their names, the
    CLI's own never is; shutdown powers off."""
    policy = cli_policy([('hello', 'hello.elf', '2M'), ('ticker', 'ticker.elf', '2M')])
    m = boot_cli(t, policy, ['hello', 'ticker'], p.emu)

    command(t, m, 'help', r'^commands:$', r'^  launch IMAGE \[NAME\] +start a VM',
            r'^  shutdown +power the machine off$')
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$',
            r'^control +1 +running +4 MiB +\d+(?:\.\d{3})? (?:us|ms|s)$')

    command(t, m, 'launch ticker', r'^launched ticker from ticker \(id (\d+)\)$',
            LOG + r'vm ticker: created: id \d+, 2 MiB at host 0x[0-9a-f]+, entry '
                  r'0x100000 \(policy line \d+\)$',
            LOG + r'ticker: tick 1$')
    table = command(t, m, 'list', r'^(NAME +ID +STATE +MEMORY +CPU-TIME)\n'
                                  r'(control +1 +\w+ +4 MiB +.*)\n'
                                  r'(ticker +\d+ +(?:running|waiting) +2 MiB +.*)$')[0]
    check_aligned(t, table.group(1), [table.group(2), table.group(3)])
    command(t, m, 'launch ticker',
            r'^launch: a VM named ticker is already running \(launch ticker OTHER-NAME '
            r'gives the new one another name\)$')
    command(t, m, 'launch ticker t2', r'^launched t2 from ticker \(id \d+\)$',
            LOG + r't2: tick 1$')
    command(t, m, 'stop ticker', r'^stopped ticker$',
            LOG + r'vm ticker: stopped: stopped by control$',
            LOG + r'vm ticker: reclaimed \(2 MiB, \d+ exits, \d+ cycles on the CPU\)$')
    command(t, m, 'stop t2', r'^stopped t2$', LOG + r'vm t2: stopped: stopped by control$')
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$',
            r'^ticker +\d+ +stopped +2 MiB +.*$')

    command(t, m, 'launch hello', r'^launched hello from hello \(id \d+\)$',
            LOG + r'hello: hello from hello \(vm \d+\)$',
            LOG + r'vm hello: stopped: exited with status 0$')

    # Mistakes, each with its own message.
    command(t, m, 'frobnicate', r"^unknown command 'frobnicate'; type 'help' for the list$")
    command(t, m, 'launch', r'^launch: missing argument$', r'^usage: launch IMAGE \[NAME\]$')
    command(t, m, 'stop a b', r'^stop: too many arguments$', r'^usage: stop NAME$')
    command(t, m, 'list all', r'^list: too many arguments$', r'^usage: list$')
    command(t, m, 'launch nosuch',
            r"^launch: unknown image 'nosuch': the policy has no template of that name")
    command(t, m, 'launch hello.elf', r"^launch: 'hello.elf' is not a template name",
            r"^launch: IMAGE is the policy's name for a template")
    command(t, m, 'launch hello Bad!Name', r"^launch: 'Bad!Name' is not a valid VM name")
    command(t, m, 'stop nosuch', r'^stop: no VM named nosuch is running$')
    command(t, m, 'stop hello', r'^stop: hello is not running \(it has stopped already\)$')
    command(t, m, 'stop control',
            r'^stop: policy: control is a boot VM; control may stop only the VMs it '
            r'launched$')

    # Editing: Backspace (both codes) and Ctrl-U; Ctrl-C drops a line.
    m.send('lisx\x7ft\r')
    t.expect(m, r'^NAME +ID +STATE +MEMORY +CPU-TIME$')
    m.send('stat\x08ts\r')
    t.expect(m, r'^memory free: +\d+ bytes')
    m.send('bogus\x15images\r')
    t.expect(m, r'^NAME +SIZE +SHA-256$')
    t.expect(m, r'^cli\.elf +\d+ +[0-9a-f]{64}$')
    m.send('shutdown\x03')
    t.expect(m, r'\^C$')
    command(t, m, 'channels', r'^no channels: the policy declares none$')
    command(t, m, 'log', r'^bulkhead: kernel started$',
            r'^vm control: created: id 1, 4 MiB')

    t.expect_absent(m, r'^control: ', 'the CLI\'s own output must not carry a VM prefix')
    t.expect_absent(m, r'unknown command \'(?:shutdown|bogusimages)\'',
                    'Ctrl-C and Ctrl-U must drop the line')
    shutdown(t, m)
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')


@harness.on_each_platform(globals())
def cli_denied_launch(t, p):
    """A template outside control's launch rule, a boot VM's name, and the
    rule's max-vms quota: each refusal names the rule or quota. A boot VM
    cannot be stopped from the console. The CLI goes on working."""
    policy = cli_policy([('idle', 'scrub-check.elf', '2M'), ('ticker', 'ticker.elf', '2M')],
                        launchable=['idle'], max_vms=2, max_memory='8M',
                        extra='vm hello { kind native; image hello.elf; memory 2M; '
                              'boot yes; rights console, wait, exit; }\n')
    m = boot_cli(t, policy, ['scrub-check', 'ticker', 'hello'], p.emu)
    command(t, m, 'launch ticker',
            r'^launch: policy: control may not launch ticker \(not in its launch rule\)$')
    command(t, m, 'launch hello',
            r"^launch: policy: 'hello' is a boot VM \(policy line \d+\), not a template; "
            r'only "boot no" VMs can be launched$')
    command(t, m, 'launch idle a', r'^launched a from idle \(id \d+\)$')
    command(t, m, 'launch idle b', r'^launched b from idle \(id \d+\)$')
    command(t, m, 'launch idle c',
            r"^launch: launch quota exceeded \(max-vms / max-memory of control's launch "
            r'rule\): 2 launched VMs already hold 4 MiB$')
    command(t, m, 'stop a', r'^stopped a$')
    command(t, m, 'launch idle c', r'^launched c from idle \(id \d+\)$')
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$', r'^c +\d+ +\w+ +2 MiB')
    t.expect_absent(m, r'vm ticker: created', 'a denied launch must create nothing')
    shutdown(t, m)


@harness.on_each_platform(globals())
def cli_200_cycles_stats_unchanged(t, p):
    """200 launch/stop cycles through the console: afterwards `stats` (free
    memory, memory in VMs, VM count, pool use, kernel bytes per VM) is
    exactly what it was before the first."""
    policy = cli_policy([('idle', 'scrub-check.elf', '2M')])
    m = boot_cli(t, policy, ['scrub-check'], p.emu)
    before = stats(t, m)
    start = time.monotonic()
    cycles(t, m, 'idle', 200)
    took = time.monotonic() - start
    t.note(f'200 launch/stop cycles in {took:.0f} s ({took / 200 * 1000:.0f} ms each)')
    # The last stop's memory is reclaimed by the kernel's scheduler once the
    # CLI's hypercall returns: ask until nothing is in flight.
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$')
    check_log_dump(t, m)
    after = stats(t, m)
    if after != before:
        t.fail(f'stats changed after 200 cycles:\nbefore:\n{before}\nafter:\n{after}')
    t.expect_absent(m, r'^(?:launch|stop): ', 'no cycle may fail')
    shutdown(t, m)


IN_FLIGHT = 4   # VMs created and not yet reclaimed, at most (check_log_dump)


def check_log_dump(t, m):
    """`log` after 200 cycles dumps the kernel's log ring, some 36 KiB,
    twice the kernel's 16 KiB console output queue: the CLI's writes get
    short counts and must wait and retry. Every line after the hand-over
    must arrive whole, and each VM's lines in order."""
    command(t, m, 'log')
    # Up to the next prompt, not past it: the next command's echo follows it.
    prompt = t.expect(m, '(?=^' + re.escape(PROMPT) + ')', timeout=180)
    echo = m.output.rfind(PROMPT + 'log\n', 0, prompt.start())
    lines = m.output[echo:prompt.start()].strip('\n').split('\n')[1:]
    if HANDOVER not in lines:
        t.fail('the log dump lacks the hand-over line: the ring should still hold it')
    lines = lines[lines.index(HANDOVER) + 1:]
    vm_line = re.compile(r'vm idle: (?:created: id \d+, 2 MiB at host 0x[0-9a-f]+, entry '
                         r'0x100000 \(policy line \d+\)|stopped: stopped by control|'
                         r'reclaimed \(2 MiB, \d+ exits, \d+ cycles on the CPU\))$')
    own = re.compile(r'vm idle: first output \d+ cycles after its creation began$|idle: ')
    bad = [text for text in lines if not vm_line.match(text) and not own.match(text)]
    if bad:
        t.fail(f'{len(bad)} of {len(lines)} dumped log lines are not whole kernel lines; '
               f'the first: {bad[0]!r}')
    size = sum(len(text) + 1 for text in lines)
    if size < 2 * 16384:
        t.fail(f'the log dump after the hand-over is only {size} bytes, not 200 cycles')
    # Each VM is created, stopped, then reclaimed (the scheduler reaps it
    # once the CLI's slice ends, so the next VMs may be created first): at
    # every point no more stopped than created, no more reclaimed than
    # stopped, at most IN_FLIGHT VMs in flight, and in the end as many of
    # each. How many cycles fit in one slice of the CLI depends on the
    # platform's speed: two under Bochs, three seen under QEMU.
    seen = {'c': 0, 's': 0, 'r': 0}
    for text in lines:
        if vm_line.match(text):
            seen[text.split()[2][0]] += 1
            if not seen['c'] >= seen['s'] >= seen['r'] >= seen['c'] - IN_FLIGHT:
                t.fail(f'the dumped lines are out of order at {text!r}: {seen}')
    if not seen['c'] == seen['s'] == seen['r'] >= 190:
        t.fail(f'the dump lacks lines: created/stopped/reclaimed {seen}')
    t.note(f'log dump: {len(lines)} whole lines, {size} bytes after the hand-over, in order')


@harness.on_each_platform(globals())
def cli_recycled_memory_is_scrubbed(t, p):
    """A VM writes a marker over all its free memory and exits; the next VM,
    launched into the same host memory, finds no trace of it anywhere in its
    own memory. A scan before any marker shows the check itself is sound."""
    policy = cli_policy([('scrub', 'scrub-check.elf', '2M')])
    m = boot_cli(t, policy, ['scrub-check'], p.emu)
    created = LOG + r'vm {}: created: id \d+, 2 MiB at host (0x[0-9a-f]+)'
    command(t, m, 'launch scrub scan0', r'^launched scan0 from scrub', created.format('scan0'),
            LOG + r'scan0: scan: clean \(\d+ bytes checked\)$',
            LOG + r'vm scan0: stopped: exited with status 0$')
    mark = command(t, m, 'launch scrub mark1', r'^launched mark1 from scrub',
                   created.format('mark1'), LOG + r'mark1: mark: wrote (\d+) bytes$',
                   LOG + r'vm mark1: stopped: exited with status 0$',
                   LOG + r'vm mark1: reclaimed')
    # All but the page tables, the image and the live stack frames.
    if int(mark[2].group(1)) < 3 << 19:
        t.fail(f'the marker covered only {mark[2].group(1)} bytes of 2 MiB')
    scan = command(t, m, 'launch scrub scan1', r'^launched scan1 from scrub',
                   created.format('scan1'),
                   LOG + r'scan1: (scan: clean \(\d+ bytes checked\)|FAIL scan: .*)$')
    if scan[1].group(1) != mark[1].group(1):
        t.fail(f'scan1 got host memory {scan[1].group(1)}, not mark1\'s {mark[1].group(1)}: '
               'the test did not recycle memory')
    if not scan[2].group(1).startswith('scan: clean'):
        t.fail(f'the previous tenant\'s marker survived: {scan[2].group(0)!r}')
    t.expect(m, LOG + r'vm scan1: stopped: exited with status 0$')
    t.expect_absent(m, r'FAIL scan', 'no scan may find the marker')
    shutdown(t, m)


@harness.on_each_platform(globals())
def cli_out_of_memory(t, p):
    """Launch 32 MiB VMs until the 98 MiB run-time pool is full: three fit
    with the kernel's records of them (VM record, vCPU, VMCS or VMCB, EPT
    or NPT: they come from the pool too, a few pages each), the fourth is
    refused with out of memory and the pool's figures, nothing is
    half-made, `stats` shows the pool full, and the system stays usable
    (list, stop, launch again)."""
    policy = cli_policy([('big', 'scrub-check.elf', '32M')], pool='98M', max_vms=16,
                        max_memory='96M')
    m = boot_cli(t, policy, ['scrub-check'], p.emu)
    launched, refusal = launch_until_refused(t, m, 'big', 3)
    if launched != 3:
        t.fail(f'{launched} VMs of 32 MiB fit a 98 MiB pool, not 3')
    if refusal != ("launch: out of memory: no room for a VM from 'big' "
                   "(run-time pool: 96 of 98 MiB in use)"):
        t.fail(f'not a clear out-of-memory message: {refusal!r}')
    t.expect_absent(m, r'vm big4: created', 'a refused launch must create nothing')
    full = stats(t, m)
    used = re.search(r'^pool used: +(\d+) bytes', full, re.M)
    free = re.search(r'^pool free: +(\d+) bytes', full, re.M)
    if not used or not free or int(used.group(1)) + int(free.group(1)) != 98 << 20 or \
       int(free.group(1)) >= 2 << 20 or int(used.group(1)) <= 96 << 20:
        t.fail(f'stats does not show the 98 MiB pool full: {full!r}')
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$', r'^big3 +\d+ +\w+ +32 MiB')
    command(t, m, 'stop big1', r'^stopped big1$', LOG + r'vm big1: reclaimed', timeout=120)
    command(t, m, 'launch big again', r'^launched again from big \(id \d+\)$', timeout=120)
    shutdown(t, m)


@harness.on_each_platform(globals())
def cli_pool_larger_than_the_machine(t, p):
    """A policy whose 512 MiB pool the 256 MiB machine cannot provide: the
    kernel reserves what it can and says so, launches stop with out of
    memory once that is used, and the boot VMs and the CLI are unharmed."""
    policy = cli_policy([('big', 'scrub-check.elf', '32M')], pool='512M', max_vms=16,
                        max_memory='512M', extra='machine memory 1G;\n')
    m = boot_cli(t, policy, ['scrub-check'], p.emu)
    said = m.seen(r'^pool: only (\d+) of the 512 MiB run-time pool could be reserved: '
                  r'the machine has no more free; launches are held to that$')
    if not said:
        t.fail('the kernel did not report the pool it could not reserve')
    reserved = int(said.group(1))
    if not 64 <= reserved < 256:
        t.fail(f'{reserved} MiB reserved for the pool of a 256 MiB machine')
    launched, refusal = launch_until_refused(t, m, 'big', 15)
    if not 2 <= launched <= reserved // 32:
        t.fail(f'{launched} VMs of 32 MiB in a {reserved} MiB pool')
    if not re.match(r"launch: out of memory: no room for a VM from 'big' \(run-time pool: "
                    rf"\d+ of {reserved} MiB in use\)$", refusal):
        t.fail(f'not a clear out-of-memory message: {refusal!r}')
    t.note(f'{reserved} MiB of the pool reserved; {launched} VMs of 32 MiB launched')
    command(t, m, 'stop big1', r'^stopped big1$', LOG + r'vm big1: reclaimed', timeout=120)
    command(t, m, 'launch big again', r'^launched again from big \(id \d+\)$', timeout=120)
    shutdown(t, m)


@harness.on_each_platform(globals())
def cli_make_run_script(t, p):
    """The README's example: `printf 'launch hello\\nlist\\nstop hello\\nshutdown\\n'
    | make run EMU=bochs` (or qemu) on the default system shows hello running, then
    stopped, and the machine powers off by itself. Runs the launcher
    (tools/emu.py run, which types the script ahead once the first prompt
    shows) as `make run` does, on an image of the default policy with every
    guest image. The CLI has a CPU budget and hello has none, so the CLI
    runs the typed-ahead script first: `list` shows hello running and `stop
    hello` stops it. Should the CLI's budget run out first (its exits are
    charged to it), hello prints its two lines and exits by itself instead,
    before `list` or between `list` and `stop hello`; either way is
    accepted, and noted."""
    policy = (t.root / 'policy' / 'examples' / 'default.policy').read_text()
    files = {p.name: p.read_bytes() for p in sorted((t.build / 'guests').glob('*.elf'))}
    image = t.build_image(policy=policy, files=files)
    script = b'launch hello\nlist\nstop hello\nshutdown\n'
    status, console, stderr = t.run_launcher(p.emu, image, script, 3 * p.boot_timeout)
    if not re.search(r'^bulkhead> launch hello$', console, re.M):
        t.fail('the script never reached the CLI: what is piped in while the firmware '
               'runs is read by the firmware\'s own console (COM1 is its ConIn), so the '
               'launcher must hold stdin until the kernel has started; launcher stderr:\n'
               + stderr)
    wanted = [
        (r'^launched hello from hello \(id \d+\)$', 'the launch'),
        (r'^(?:bulkhead> )?vm hello: created: id \d+, 2 MiB', 'the kernel\'s created line'),
        (r'^hello +\d+ +(?:running|waiting|stopped) +2 MiB ', 'hello in the list'),
        (r'^bulkhead> stop hello$', 'the stop command'),
        (r'^bulkhead> shutdown$', 'the shutdown command'),
        (r'^bulkhead: powering off$', 'the power-off'),
    ]
    at = 0
    for pattern, what in wanted:
        found = re.compile(pattern, re.M).search(console, at)
        if not found:
            t.fail(f'the console lacks {what}, /{pattern}/, after offset {at}; launcher '
                   f'stderr:\n{stderr}')
        at = found.end()
    by_stop = re.search(r'^hello +\d+ +running .*\n(?s:.*)'
                        r'^stopped hello\n(?s:.*)^(?:bulkhead> )?vm hello: stopped: '
                        r'stopped by control$', console, re.M)
    # hello may be listed running or stopped: it can exit between `list`
    # and `stop hello` too. The CLI forwards kernel lines when it next
    # looks at the log, so its reply to `stop hello` may come before or
    # after the lines of hello's exit.
    by_itself = (re.search(r'^(?:bulkhead> )?hello: hello from hello \(vm \d+\)$(?s:.*)'
                           r'^(?:bulkhead> )?vm hello: stopped: exited with status 0$',
                           console, re.M) and
                 re.search(r'^stop: hello is not running \(it has stopped already\)$',
                           console, re.M))
    if not by_stop and not by_itself:
        t.fail('the console does not show hello stopped, by `stop hello` or by itself')
    t.note('hello was ' + ('listed running, then stopped by `stop hello`' if by_stop else
                           'ran to its end by itself (exit status 0)'))
    if status != 0 or 'powered off' not in stderr:
        t.fail(f'the launcher exited with status {status} without a power-off; its '
               f'stderr:\n{stderr}')


@harness.on_each_platform(globals(), platforms=('qemu',))
def cli_40_vms_at_once(t, p):
    """More VMs at once than the kernel's old fixed table held (16): 40
    launched VMs run together, each with its own id, `stats` counts them, a
    41st is refused by the launch rule's quota (not by the kernel); then
    all are stopped, the list keeps the last 16 stopped ones, and `stats`
    is exactly what it was before the first launch (every VM's records,
    taken from the pool, are back)."""
    count = 40
    policy = cli_policy([('idle', 'scrub-check.elf', '2M')], pool='96M', max_vms=count,
                        max_memory='96M')
    m = boot_cli(t, policy, ['scrub-check'], p.emu)
    before = stats(t, m)
    ids = set()
    for i in range(1, count + 1):
        found = command(t, m, f'launch idle idle{i}',
                        rf'^(launched idle{i} from idle \(id (\d+)\)|launch: .*)$',
                        timeout=120)[0]
        if not found.group(1).startswith('launched'):
            t.fail(f'launch {i} of {count} refused: {found.group(1)!r}')
        ids.add(int(found.group(2)))
    if len(ids) != count or max(ids) > count + 1:
        t.fail(f'ids not unique and small: {sorted(ids)}')
    refusal = command(t, m, f'launch idle idle{count + 1}', r'^(launch: .*)$')[0].group(1)
    if not refusal.startswith('launch: launch quota exceeded') or \
       f'{count} launched VMs already hold 80 MiB' not in refusal:
        t.fail(f'the 41st launch is not refused by the quota: {refusal!r}')
    full = stats(t, m)
    if not re.search(rf'^VMs: +{count + 1} running', full, re.M):
        t.fail(f'stats does not count {count + 1} running VMs: {full!r}')
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$',
            rf'^idle{count} +\d+ +\w+ +2 MiB')
    for i in range(1, count + 1):
        command(t, m, f'stop idle{i}', rf'^stopped idle{i}$', timeout=120)
    t.expect(m, LOG + rf'vm idle{count}: reclaimed', timeout=120)
    # Reclaiming happens in the scheduler once the CLI's call returns: one
    # more command lets the last one finish.
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$')
    stopped = command(t, m, 'list', r'(?ms)^NAME +ID +STATE.*?(?=^' + re.escape(PROMPT) + ')')
    stopped = stopped[0].group(0)
    kept = re.findall(r'^idle\d+ +\d+ +stopped', stopped, re.M)
    if len(kept) != 16:
        t.fail(f'{len(kept)} stopped VMs listed, not the last 16:\n{stopped}')
    after = stats(t, m)
    if after != before:
        t.fail(f'stats changed after {count} VMs at once:\nbefore:\n{before}\nafter:\n{after}')
    shutdown(t, m)
