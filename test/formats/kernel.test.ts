import { describe, expect, it } from 'vitest';
import { isDumpLine, kernel, kernelPid, readMonotonic } from '../../src/formats/kernel.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord, LogRecord } from '../../src/formats/types.js';
import { linesOf, parseLines } from '../helpers.js';

function events(records: LogRecord[]): EventRecord[] {
  return records.filter((r): r is EventRecord => r.kind === 'event');
}

function one(line: string, opts: Parameters<typeof parseLines>[2] = {}): EventRecord {
  const { records, results } = parseLines(kernel, [line], opts);
  expect(results).toEqual([LineResult.Record]);
  const ev = events(records);
  expect(ev).toHaveLength(1);
  return ev[0]!;
}

describe('kernel: prefixes', () => {
  it.each([
    // raw dmesg, padded seconds
    ['[812345.678901] Out of memory: Killed process 4711 (php-fpm8.2) total-vm:1023456kB, anon-rss:612340kB, file-rss:0kB, shmem-rss:12345kB',
      { time: NaN, monotonic: 812345.678901, pid: 4711, message: 'Out of memory: Killed process 4711 (php-fpm8.2) total-vm:1023456kB, anon-rss:612340kB, file-rss:0kB, shmem-rss:12345kB' }],
    ['[    3.141593] EXT4-fs (vda1): mounted filesystem with ordered data mode. Opts: (null)',
      { time: NaN, monotonic: 3.141593, message: 'EXT4-fs (vda1): mounted filesystem with ordered data mode. Opts: (null)' }],
    // dmesg -T, space-padded day
    ['[Fri Jan  2 03:04:05 2026] nginx[2212]: segfault at 0 ip 000055b1c2d3e4f5 sp 00007ffe1a2b3c40 error 4 in nginx[55b1c2c00000+11e000]',
      { time: Date.UTC(2026, 0, 2, 3, 4, 5), pid: 2212, message: 'nginx[2212]: segfault at 0 ip 000055b1c2d3e4f5 sp 00007ffe1a2b3c40 error 4 in nginx[55b1c2c00000+11e000]' }],
    // dmesg -r with a level
    ['<4>[ 1520.004417] TCP: request_sock_TCP: Possible SYN flooding on port 9000. Sending cookies.  Check SNMP counters.',
      { time: NaN, monotonic: 1520.004417, level: 'warn', message: 'TCP: request_sock_TCP: Possible SYN flooding on port 9000. Sending cookies.  Check SNMP counters.' }],
    // dmesg -x
    ['kern  :err   : [ 9021.550010] php-fpm7.4[30117]: segfault at 7f3a2c000010 ip 00007f3a3b1c2d3e sp 00007ffc8e9f0a10 error 6 in opcache.so[7f3a3b100000+b5000]',
      { time: NaN, monotonic: 9021.55001, level: 'error', pid: 30117 }],
    // /dev/kmsg record
    ['3,88231,77012345678,-;nf_conntrack: nf_conntrack: table full, dropping packet',
      { time: NaN, monotonic: 77012.345678, level: 'error', message: 'nf_conntrack: nf_conntrack: table full, dropping packet' }],
    // kern.log, traditional rsyslog
    ['Mar  3 14:22:10 app-07 kernel: [1204533.002211] Killed process 20881 (php-fpm) total-vm:812004kB, anon-rss:402112kB, file-rss:1220kB, shmem-rss:0kB, UID:33 pgtables:1012kB oom_score_adj:0',
      { time: Date.UTC(2026, 2, 3, 14, 22, 10), host: 'app-07', monotonic: 1204533.002211, pid: 20881 }],
    // journalctl -k
    ['Mar  3 14:22:10 app-07 kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/php8.2-fpm.service,task=php-fpm8.2,pid=20881,uid=33',
      { host: 'app-07', pid: 20881, monotonic: undefined }],
    // rsyslog RFC 3339
    ['2026-01-12T10:00:01.123456+01:00 web1 kernel: php-fpm8.2 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
      { time: Date.UTC(2026, 0, 12, 9, 0, 1, 123), host: 'web1', pid: undefined, message: 'php-fpm8.2 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0' }],
  ])('%s', (line, want) => {
    const r = one(line);
    expect(r.family).toBe('kernel');
    expect(r.raw).toBe(line);
    for (const [k, v] of Object.entries(want)) {
      expect(r[k as keyof EventRecord], k).toEqual(v);
    }
  });

  it('reads zone-less syslog stamps in ctx.tz', () => {
    const r = one('May 14 08:30:00 db2 kernel: Out of memory: Kill process 3301 (mysqld) score 812 or sacrifice child', {
      tz: 'Europe/Berlin',
    });
    expect(r.time).toBe(Date.UTC(2026, 4, 14, 6, 30, 0));
    expect(r.pid).toBe(3301);
  });

  it('takes last year for a December kern.log line read in January', () => {
    const r = one('Dec 31 23:59:58 web1 kernel: Out of memory: Killed process 1200 (php-fpm) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB', {
      referenceTime: Date.UTC(2027, 0, 1, 0, 10),
    });
    expect(r.time).toBe(Date.UTC(2026, 11, 31, 23, 59, 58));
  });

  it('ignores other daemons in kern.log / messages', () => {
    const { results, records } = parseLines(kernel, [
      'Mar  3 14:22:09 app-07 rsyslogd-2177: imuxsock lost 120 messages from pid 880 due to rate-limiting',
      'Mar  3 14:22:10 app-07 CRON[31002]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
    ]);
    expect(results).toEqual([LineResult.Ignored, LineResult.Ignored]);
    expect(records).toHaveLength(0);
  });
});

describe('kernel: OOM kill lines across versions', () => {
  it.each([
    ['Out of memory: Kill process 4711 (php-fpm) score 123 or sacrifice child', 4711],
    ['Killed process 4711 (php-fpm) total-vm:402112kB, anon-rss:300100kB, file-rss:2020kB', 4711],
    ['Killed process 5120, UID 48, (httpd) total-vm:650012kB, anon-rss:210008kB, file-rss:1040kB', 5120],
    ['Out of memory: Killed process 4711 (php-fpm8.2) total-vm:1023456kB, anon-rss:612340kB, file-rss:0kB, shmem-rss:12345kB, UID:33 pgtables:1480kB oom_score_adj:0', 4711],
    ['Memory cgroup out of memory: Killed process 918 (php-fpm82) total-vm:262144kB, anon-rss:250112kB, file-rss:0kB, shmem-rss:0kB, UID:82 pgtables:600kB oom_score_adj:0', 918],
    ['Memory cgroup out of memory: Kill process 918 (php-fpm) score 1002 or sacrifice child', 918],
    ['Out of memory (oom_kill_allocating_task): Killed process 7002 (apache2) total-vm:300000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB', 7002],
    ['oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=8f1c2a,mems_allowed=0,oom_memcg=/docker/8f1c2a,task_memcg=/docker/8f1c2a,task=php-fpm,pid=4711,uid=82', 4711],
    ['oom_reaper: reaped process 4711 (php-fpm8.2), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB', 4711],
    ['php-fpm8.2[12346]: segfault at 18 ip 000055d0c3a1b2c3 sp 00007ffd2f1a0b40 error 4 in php-fpm8.2[55d0c3800000+3a5000] likely on CPU 1 (core 1, socket 0)', 12346],
    ['traps: php-fpm8.2[12347] general protection fault ip:7f1a2b3c4d5e sp:7ffd1c2b3a40 error:0 in libc.so.6[7f1a2b200000+195000]', 12347],
    ['php-fpm[880]: OOM victim 881 (php-fpm) is already exiting. Skip killing the task', 881],
    ['audit: type=1400 audit(1768208401.123:456): avc:  denied  { name_connect } for  pid=1234 comm="nginx" dest=9000 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:unreserved_port_t:s0 tclass=tcp_socket permissive=0', 1234],
    ['php-fpm invoked oom-killer: gfp_mask=0x280da, order=0, oom_adj=0, oom_score_adj=0', undefined],
  ])('%s', (msg, pid) => {
    expect(kernelPid(msg)).toBe(pid);
    const r = one(`[ 5021.300400] ${msg}`);
    expect(r.message).toBe(msg);
    expect(r.pid).toBe(pid);
  });
});

describe('kernel: OOM dumps are kernel output, not records and never unrecognised', () => {
  const dump = linesOf(`
    [ 8812.100201] php-fpm8.2 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
    [ 8812.100240] CPU: 2 PID: 30441 Comm: php-fpm8.2 Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1
    [ 8812.100244] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
    [ 8812.100246] Call Trace:
    [ 8812.100248]  <TASK>
    [ 8812.100250]  dump_stack_lvl+0x44/0x5c
    [ 8812.100255]  dump_header+0x4a/0x211
    [ 8812.100258]  oom_kill_process.cold+0xb/0x10
    [ 8812.100301]  </TASK>
    [ 8812.100303] Mem-Info:
    [ 8812.100306] active_anon:912 inactive_anon:480221 isolated_anon:0
    [ 8812.100306]  active_file:12 inactive_file:40 isolated_file:0
    [ 8812.100310] Node 0 DMA free:14336kB boost:0kB min:128kB low:160kB high:192kB
    [ 8812.100315] lowmem_reserve[]: 0 1910 1910 1910 1910
    [ 8812.100320] 512 total pagecache pages
    [ 8812.100321] 0 pages in swap cache
    [ 8812.100322] Free swap  = 0kB
    [ 8812.100323] Total swap = 0kB
    [ 8812.100324] 524158 pages RAM
    [ 8812.100326] Tasks state (memory values in pages):
    [ 8812.100327] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
    [ 8812.100331] [    402]     0   402    12030      210   110592        0         -1000 systemd-udevd
    [ 8812.100340] [  30441]    33 30441   120512    98001   880640        0             0 php-fpm8.2
    [ 8812.100350] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/php8.2-fpm.service,task=php-fpm8.2,pid=30441,uid=33
    [ 8812.100361] Out of memory: Killed process 30441 (php-fpm8.2) total-vm:482048kB, anon-rss:392004kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:860kB oom_score_adj:0
  `);

  it('keeps invoke, summary and kill lines', () => {
    const { records, unrecognized, results } = parseLines(kernel, dump);
    expect(unrecognized).toBe(0);
    expect(events(records).map((r) => r.message.slice(0, 20))).toEqual([
      'php-fpm8.2 invoked o',
      'oom-kill:constraint=',
      'Out of memory: Kille',
    ]);
    expect(results.filter((r) => r === LineResult.Ignored)).toHaveLength(dump.length - 3);
  });

  it('recognises the same dump through kern.log (old kernels, bracketed frames)', () => {
    const lines = linesOf(`
      Jun  2 04:10:11 db1 kernel: [40211.501020] Pid: 9921, comm: php-fpm Not tainted 2.6.32-754.el6.x86_64 #1
      Jun  2 04:10:11 db1 kernel: [40211.501030]  [<ffffffff810d6dd1>] ? cpuset_print_task_mems_allowed+0x91/0xb0
      Jun  2 04:10:11 db1 kernel: [40211.501040] [ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name
      Jun  2 04:10:11 db1 kernel: [40211.501050] [ 9921]    48  9921   180220    90110   1       0             0 php-fpm
      Jun  2 04:10:11 db1 kernel: [40211.501090] RIP: 0033:0x7f3fa8a9c43b
      Jun  2 04:10:11 db1 kernel: [40211.501091] RSP: 002b:00007f3fa5ae4a80 EFLAGS: 00010206
    `);
    const { unrecognized, records } = parseLines(kernel, lines);
    expect(unrecognized).toBe(0);
    expect(records).toHaveLength(0);
  });

  it.each([
    [' ffff88072ae10800 ffff8807a4835c48 ffffffff81720bf6 ffff8807a4835cd0', true],
    ['[<ffffffff811526de>] oom_kill_process+0x1ce/0x330', true],
    ['? filemap_map_pages+0x271/0x410', true],
    ['ext4_filemap_fault+0x2c/0x40 [ext4]', true],
    ['R13: 0000000000000001 R14: ffff8801e47abc90 R15: 0000000000000131', true],
    ['FS:  00007ff465daf700(0000) GS:ffff8801efc20000(0000) knlGS:0000000000000000', true],
    ['php-fpm cpuset=/ mems_allowed=0', true],
    ['Out of memory: Kill process 4711 (php-fpm) score 123 or sacrifice child', false],
    ['TCP: time wait bucket table overflow', false],
    ['VFS: file-max limit 65536 reached', false],
  ])('isDumpLine(%s) = %s', (m, want) => {
    expect(isDumpLine(m)).toBe(want);
  });
});

describe('kernel: bare messages (dmesg --notime, stripped kmsg)', () => {
  const bare = linesOf(`
    veth3a1c: renamed from eth0
    br-5e21: port 3(veth9f00) entered disabled state
    php-fpm invoked oom-killer: gfp_mask=0x24201ca, order=0, oom_score_adj=0
    Call Trace:
     [<ffffffff8139a2c1>] dump_stack+0x63/0x82
    Memory cgroup out of memory: Kill process 2210 (php-fpm) score 998 or sacrifice child
    Killed process 2210 (php-fpm) total-vm:402112kB, anon-rss:300100kB, file-rss:2020kB, shmem-rss:0kB
  `);

  it('accepts every line while the input has no prefixes', () => {
    const { records, unrecognized } = parseLines(kernel, bare);
    expect(unrecognized).toBe(0);
    const ev = events(records);
    expect(ev.map((r) => r.pid)).toEqual([undefined, undefined, undefined, 2210, 2210]);
    expect(ev.every((r) => Number.isNaN(r.time))).toBe(true);
  });

  it('flags foreign lines once prefixed lines were seen', () => {
    const { results } = parseLines(kernel, [
      '[  100.000001] eth0: link up',
      '2026/01/12 10:00:01 [error] 1234#1234: *5 connect() failed',
      '[  100.000002] eth0: link down',
    ]);
    expect(results).toEqual([LineResult.Record, LineResult.Unrecognized, LineResult.Record]);
  });

  it('ignores blank lines', () => {
    expect(parseLines(kernel, ['', '   ']).results).toEqual([LineResult.Ignored, LineResult.Ignored]);
  });
});

describe('kernel: wrapped messages (from syslog / journald)', () => {
  it('strips the monotonic stamp and takes time and host from the wrapper', () => {
    const records: LogRecord[] = [];
    const p = kernel.createParser({
      tz: 'UTC', referenceTime: Date.UTC(2026, 5, 1), source: 'kern.log', emit: (r) => records.push(r),
    });
    const t = Date.UTC(2026, 0, 12, 10, 0, 4);
    expect(p.wrapped?.('[812345.678901] Out of memory: Killed process 12345 (php-fpm8.2) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB', 7, { time: t, host: 'web1', tag: 'kernel' })).toBe(LineResult.Record);
    expect(p.wrapped?.('Call Trace:', 8, { time: t, host: 'web1', tag: 'kernel' })).toBe(LineResult.Ignored);
    const [r] = events(records);
    expect(r).toMatchObject({ time: t, host: 'web1', pid: 12345, monotonic: 812345.678901, origin: { source: 'kern.log', line: 7 } });
    expect(r?.message.startsWith('Out of memory')).toBe(true);
  });
});

describe('kernel: sniff', () => {
  it.each([
    ['raw dmesg', ['[    0.000000] Linux version 6.1.0-18-amd64', '[    1.204411] EXT4-fs (vda1): mounted filesystem'], 0.9, 1],
    ['dmesg -T', ['[Mon Jan 12 10:00:01 2026] eth0: link up', '[Mon Jan 12 10:00:02 2026] php-fpm invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0'], 0.9, 1],
    ['kern.log', ['Jan 12 10:00:01 web1 kernel: [  1.2] eth0: link up', 'Jan 12 10:00:02 web1 kernel: TCP: time wait bucket table overflow'], 0.5, 0.85],
    ['Apache 2.2 error log', ['[Mon Jan 12 10:00:01 2026] [error] [client 203.0.113.7] File does not exist: /var/www/favicon.ico'], 0, 0.1],
    ['nginx error log', ['2026/01/12 10:00:01 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream'], 0, 0.1],
    ['access log', ['203.0.113.7 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"'], 0, 0.1],
  ])('%s', (_name, lines, lo, hi) => {
    const s = kernel.sniff(lines);
    expect(s).toBeGreaterThanOrEqual(lo);
    expect(s).toBeLessThanOrEqual(hi);
  });

  it('scores a bare OOM dump by its kernel wording', () => {
    const s = kernel.sniff([
      'php-fpm invoked oom-killer: gfp_mask=0x24201ca, order=0, oom_score_adj=0',
      'CPU: 1 PID: 2210 Comm: php-fpm Not tainted 4.9.0-8-amd64 #1',
      'Call Trace:',
      ' [<ffffffff8139a2c1>] dump_stack+0x63/0x82',
      'Killed process 2210 (php-fpm) total-vm:402112kB, anon-rss:300100kB, file-rss:2020kB',
    ]);
    expect(s).toBeGreaterThan(0.5);
  });
});

describe('kernel: readMonotonic', () => {
  it.each([
    ['[    0.000000] x', 0],
    ['[15180285.537297] x', 15180285.537297],
    ['[ 1381]     0  1381', undefined],
    ['[Mon Jan 12 10:00:01 2026] x', undefined],
  ])('%s', (s, want) => {
    expect(readMonotonic(s, 0)?.seconds).toBe(want);
  });
});
