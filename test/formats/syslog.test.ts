import { describe, expect, it } from 'vitest';
import { createSyslogFormat, routeTag, routeUnit } from '../../src/formats/wrapper.js';
import { parseSyslogHeader } from '../../src/formats/syslog-header.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord } from '../../src/formats/types.js';
import { parseLines } from '../helpers.js';
import { stubInner, type Call } from './wrapper-stubs.js';

function setup(omit: Parameters<typeof stubInner>[1] = []) {
  const calls: Call[] = [];
  const format = createSyslogFormat(stubInner(calls, omit));
  return { calls, format };
}

function eventsOf(records: unknown[]): EventRecord[] {
  return records as EventRecord[];
}

describe('syslog: header forms', () => {
  it.each([
    ['<187>Jan 12 10:00:01 web1 nginx: 2026/01/12 10:00:01 [error] 1234#1234: *5678 connect() failed',
      { form: 'rfc3164', pri: 187, host: 'web1', tag: 'nginx', pid: undefined, time: Date.UTC(2026, 0, 12, 10, 0, 1), msg: '2026/01/12 10:00:01 [error] 1234#1234: *5678 connect() failed' }],
    ['Jan  2 03:04:05 web1 php-fpm[1011]: [WARNING] [pool www] server reached pm.max_children setting (5), consider raising it',
      { form: 'rfc3164', pri: -1, host: 'web1', tag: 'php-fpm', pid: 1011, time: Date.UTC(2026, 0, 2, 3, 4, 5), msg: '[WARNING] [pool www] server reached pm.max_children setting (5), consider raising it' }],
    ['Jan 12 10:00:01.250000 web1 apache2[2211]: [proxy:error] [pid 2211] AH00957: …',
      { form: 'rfc3164', host: 'web1', tag: 'apache2', pid: 2211, time: Date.UTC(2026, 0, 12, 10, 0, 1, 250), msg: '[proxy:error] [pid 2211] AH00957: …' }],
    ['<190>1 2026-01-12T10:00:01.123+01:00 web1 php-fpm 1011 - - [WARNING] [pool api] child 4711 exited on signal 9 (SIGKILL) after 12.5 seconds from start',
      { form: 'rfc5424', pri: 190, host: 'web1', tag: 'php-fpm', pid: 1011, time: Date.UTC(2026, 0, 12, 9, 0, 1, 123), msg: '[WARNING] [pool api] child 4711 exited on signal 9 (SIGKILL) after 12.5 seconds from start' }],
    ['<14>1 2026-01-12T10:00:01Z lb-2 nginx - access [meta sequenceId="7" note="a \\] b"][origin ip="10.0.0.4"] \uFEFF198.51.100.23 - - [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 502 157',
      { form: 'rfc5424', host: 'lb-2', tag: 'nginx', time: Date.UTC(2026, 0, 12, 10, 0, 1), msg: '198.51.100.23 - - [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 502 157' }],
    ['<13>1 - - - - - - hello',
      { form: 'rfc5424', host: undefined, tag: '', time: NaN, msg: 'hello' }],
    ['2026-01-12T10:00:01.123456+01:00 web1 kernel: [ 4012.000100] eth0: link up',
      { form: 'iso', host: 'web1', tag: 'kernel', time: Date.UTC(2026, 0, 12, 9, 0, 1, 123), msg: '[ 4012.000100] eth0: link up' }],
    ['2026-01-12T10:00:01+0100 web1 nginx[900]: 2026/01/12 10:00:01 [crit] 900#900: *1 connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory)',
      { form: 'iso', host: 'web1', tag: 'nginx', pid: 900, time: Date.UTC(2026, 0, 12, 9, 0, 1) }],
    ['Mar 11 22:52:12   lighttpd[5369]: (mod_fastcgi.c.2676) FastCGI-stderr: x',
      { form: 'rfc3164', host: undefined, tag: 'lighttpd', pid: 5369 }],
  ])('%s', (line, want) => {
    const h = parseSyslogHeader(line, 'UTC', Date.UTC(2026, 5, 1));
    expect(h).toBeDefined();
    const { msg, ...rest } = want as typeof want & { msg?: string };
    expect(h).toMatchObject(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if ('host' in want && want.host === undefined) expect(h?.host).toBeUndefined();
    if ('pid' in want && want.pid === undefined) expect(h?.pid).toBeUndefined();
    if (msg !== undefined) expect(line.slice(h?.msgStart)).toBe(msg);
  });

  it.each([
    'nginx: [emerg] bind() to 0.0.0.0:80 failed',
    '2026/01/12 10:00:01 [error] 1#1: x',
    '<999>Jan 12 10:00:01 web1 x: y',
    'Foo 12 10:00:01 web1 x: y',
    'Jan 32 10:00:01 web1 x: y',
    'web1 nginx[2833]: 2026/01/12 10:00:01 [error] 2833#0: *1 x',
  ])('no header: %s', (line) => {
    expect(parseSyslogHeader(line, 'UTC', Date.UTC(2026, 5, 1))).toBeUndefined();
  });

  it('reads the untimed form only when asked, and only with tag[pid]', () => {
    const h = parseSyslogHeader('web1 nginx[2833]: 2026/01/12 10:00:01 [error] 2833#0: *1 x', 'UTC', 0, true);
    expect(h).toMatchObject({ form: 'untimed', host: 'web1', tag: 'nginx', pid: 2833 });
    expect(Number.isNaN(h?.time)).toBe(true);
    expect(parseSyslogHeader('web1 nginx: hello', 'UTC', 0, true)).toBeUndefined();
    expect(parseSyslogHeader('hello world: x[1]: y', 'UTC', 0, true)).toBeUndefined();
  });

  it('infers the year across New Year from the reference time', () => {
    const ref = Date.UTC(2027, 0, 1, 0, 5);
    expect(parseSyslogHeader('Dec 31 23:59:59 web1 kernel: x', 'UTC', ref)?.time).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
    expect(parseSyslogHeader('Jan  1 00:00:01 web1 kernel: x', 'UTC', ref)?.time).toBe(Date.UTC(2027, 0, 1, 0, 0, 1));
  });
});

describe('syslog: routing by tag', () => {
  it.each([
    ['nginx', 'nginx'], ['nginx_access', 'nginx'], ['php-fpm', 'php-fpm'], ['php-fpm8.2', 'php-fpm'], ['php8.2-fpm', 'php-fpm'],
    ['php-fpm82', 'php-fpm'], ['php', 'php-error'], ['php8.3', 'php-error'], ['phpMyAdmin', undefined], ['apache2', 'apache-error'],
    ['httpd', 'apache-error'], ['httpd/backend1', 'apache-error'], ['kernel', 'kernel'], ['systemd', 'systemd'], ['sshd', undefined],
    ['CRON', undefined], ['suhosin', undefined],
  ])('routeTag(%s) = %s', (tag, want) => {
    expect(routeTag(tag)).toBe(want);
  });

  it.each([
    ['php8.2-fpm.service', 'php-fpm'], ['php-fpm.service', 'php-fpm'], ['nginx.service', 'nginx'], ['apache2.service', 'apache-error'],
    ['httpd.service', 'apache-error'], ['apache2@site.service', 'apache-error'], ['mariadb.service', undefined],
  ])('routeUnit(%s) = %s', (unit, want) => {
    expect(routeUnit(unit)).toBe(want);
  });

  it('sends nginx error lines to nginx-error with line(), keeping the inner time and adding the host', () => {
    const { calls, format } = setup();
    const { records, results } = parseLines(format, [
      '<187>Jan 12 09:59:58 web1 nginx: 2026/01/12 10:00:01 [error] 1234#1234: *5678 upstream timed out (110: Connection timed out) while reading response header from upstream',
      'Jan 12 10:00:02 web2 nginx: 2026/01/12 10:00:02 [error] 777#777: *12 no live upstreams while connecting to upstream',
    ]);
    expect(results).toEqual([LineResult.Record, LineResult.Record]);
    expect(calls.map((c) => [c.id, c.how])).toEqual([['nginx-error', 'line'], ['nginx-error', 'line']]);
    const ev = eventsOf(records);
    // the stub buffers like the real parser: header data must follow the entry, not the latest line
    expect(ev.map((r) => [r.host, r.time, r.origin.line])).toEqual([
      ['web1', Date.UTC(2026, 0, 12, 10, 0, 1), 1],
      ['web2', Date.UTC(2026, 0, 12, 10, 0, 2), 2],
    ]);
    expect(ev[0]?.raw.startsWith('<187>Jan 12 09:59:58 web1 nginx: ')).toBe(true);
  });

  it('sends nginx access lines to nginx-access', () => {
    const { calls, format } = setup();
    parseLines(format, ['Jan 12 10:00:03 lb-1 nginx: 198.51.100.23 - - [12/Jan/2026:10:00:03 +0000] "POST /api/orders HTTP/1.1" 502 157 "-" "okhttp/4.12.0"']);
    expect(calls.map((c) => c.id)).toEqual(['nginx-access']);
  });

  it('turns nginx startup errors into nginx-error events itself', () => {
    const { calls, format } = setup();
    const { records } = parseLines(format, [
      'Jan 12 10:00:04 web1 nginx[3101]: nginx: [emerg] host not found in upstream "php:9000" in /etc/nginx/conf.d/default.conf:14',
    ]);
    expect(calls).toHaveLength(0);
    expect(records[0]).toMatchObject({
      family: 'nginx-error', level: 'emerg', host: 'web1', time: Date.UTC(2026, 0, 12, 10, 0, 4),
      message: 'host not found in upstream "php:9000" in /etc/nginx/conf.d/default.conf:14',
    });
  });

  it('sends FPM, PHP and Apache syslog bodies to wrapped(), filling time, host and pid from the header', () => {
    const { calls, format } = setup();
    const { records } = parseLines(format, [
      'Jan 12 10:00:05 web1 php-fpm[1011]: [WARNING] [pool www] server reached pm.max_children setting (5), consider raising it',
      'Jan 12 10:00:06 web1 php: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2340',
      'Jan 12 10:00:07 web1 apache2[2211]: [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 203.0.113.7:51234] AH01079: failed to make connection to backend: 127.0.0.1',
      'Jan 12 10:00:08 web1 httpd/backend1[2212]: [authz_core:error] [pid 2212] [client 192.0.2.4:50110] AH01630: client denied by server configuration: /srv/backend1/',
    ]);
    expect(calls.map((c) => [c.id, c.how, c.info?.tag, c.info?.pid])).toEqual([
      ['php-fpm', 'wrapped', 'php-fpm', 1011],
      ['php-error', 'wrapped', 'php', undefined],
      ['apache-error', 'wrapped', 'apache2', 2211],
      ['apache-error', 'wrapped', 'httpd/backend1', 2212],
    ]);
    expect(calls[0]?.text).toBe('[WARNING] [pool www] server reached pm.max_children setting (5), consider raising it');
    const ev = eventsOf(records);
    expect(ev.map((r) => [r.family, r.time, r.host, r.pid])).toEqual([
      ['php-fpm', Date.UTC(2026, 0, 12, 10, 0, 5), 'web1', 1011],
      ['php-error', Date.UTC(2026, 0, 12, 10, 0, 6), 'web1', undefined],
      ['apache-error', Date.UTC(2026, 0, 12, 10, 0, 7), 'web1', 2211],
      ['apache-error', Date.UTC(2026, 0, 12, 10, 0, 8), 'web1', 2212],
    ]);
  });

  it('uses line() when the wrapped message is the family\'s full native line', () => {
    const { calls, format } = setup();
    parseLines(format, [
      'Jan 12 10:00:05 web1 php-fpm8.2[1011]: [12-Jan-2026 10:00:05] WARNING: [pool www] child 4711 exited on signal 9 (SIGKILL) after 81.5 seconds from start',
      'Jan 12 10:00:06 web1 apache2[2211]: [Mon Jan 12 10:00:06.123456 2026] [mpm_event:notice] [pid 2211:tid 1] AH00489: Apache/2.4.58 configured',
    ]);
    expect(calls.map((c) => [c.id, c.how])).toEqual([['php-fpm', 'line'], ['apache-error', 'line']]);
  });

  it('sends kernel messages to the kernel parser', () => {
    const { format } = setup();
    const { records, results } = parseLines(format, [
      'Jan 12 10:00:04 web1 kernel: [812345.678901] Out of memory: Killed process 12345 (php-fpm8.2) total-vm:1023456kB, anon-rss:612340kB, file-rss:0kB, shmem-rss:12345kB, UID:33 pgtables:1480kB oom_score_adj:0',
      'Jan 12 10:00:04 web1 kernel: [812345.600000] Call Trace:',
      'Jan 12 10:00:04 web1 kernel: [812345.700001] php-fpm8.2[12346]: segfault at 18 ip 000055d0c3a1b2c3 sp 00007ffd2f1a0b40 error 4 in php-fpm8.2[55d0c3800000+3a5000]',
    ]);
    expect(results).toEqual([LineResult.Record, LineResult.Ignored, LineResult.Record]);
    const ev = eventsOf(records);
    expect(ev.map((r) => [r.family, r.pid, r.host, r.time, r.monotonic])).toEqual([
      ['kernel', 12345, 'web1', Date.UTC(2026, 0, 12, 10, 0, 4), 812345.678901],
      ['kernel', 12346, 'web1', Date.UTC(2026, 0, 12, 10, 0, 4), 812345.700001],
    ]);
    expect(ev[0]?.raw.startsWith('Jan 12 10:00:04 web1 kernel: [812345.678901] Out of memory')).toBe(true);
  });

  it('reads the untimed form and leaves the time to the inner line', () => {
    const { calls, format } = setup();
    const { records } = parseLines(format, ['web3 nginx[2833]: 2026/01/12 10:00:09 [error] 2833#0: *16 open() "/srv/www/x" failed (2: No such file or directory)']);
    expect(calls.map((c) => c.id)).toEqual(['nginx-error']);
    expect(records[0]).toMatchObject({ host: 'web3', time: Date.UTC(2026, 0, 12, 10, 0, 9) });
  });
});

describe('syslog: systemd notes about our units', () => {
  it.each([
    ['php8.2-fpm.service: A process of this unit has been killed by the OOM killer.', 'kernel', 'error'],
    ["php8.2-fpm.service: Failed with result 'oom-kill'.", 'kernel', 'error'],
    ['mariadb.service: A process of this unit has been killed by the OOM killer.', 'kernel', 'error'],
    ['Stopping The PHP 8.2 FastCGI Process Manager...', 'php-fpm', 'notice'],
    ['Started The PHP 8.2 FastCGI Process Manager.', 'php-fpm', 'notice'],
    ['Started nginx.service - A high performance web server and a reverse proxy server.', 'nginx-error', 'notice'],
    ['Reloading A high performance web server and a reverse proxy server...', 'nginx-error', 'notice'],
    ['Stopped The Apache HTTP Server.', 'apache-error', 'notice'],
    ['php8.2-fpm.service: Main process exited, code=killed, status=9/KILL', 'php-fpm', 'error'],
    ['apache2.service: Consumed 3min 12.004s CPU time.', 'apache-error', 'notice'],
  ])('%s → %s', (msg, family, level) => {
    const { format } = setup();
    const line = `Jan 12 10:00:10 web1 systemd[1]: ${msg}`;
    const { records, results } = parseLines(format, [line]);
    expect(results).toEqual([LineResult.Record]);
    expect(records[0]).toMatchObject({ kind: 'event', family, level, message: msg, host: 'web1', time: Date.UTC(2026, 0, 12, 10, 0, 10), raw: line });
  });

  it.each([
    'Started Session 12 of user deploy.',
    'Starting Daily apt upgrade and clean activities...',
    'ssh.service: Deactivated successfully.',
    'Reached target Multi-User System.',
  ])('ignores %s', (msg) => {
    const { format } = setup();
    const { records, results } = parseLines(format, [`Jan 12 10:00:10 web1 systemd[1]: ${msg}`]);
    expect(results).toEqual([LineResult.Ignored]);
    expect(records).toHaveLength(0);
  });
});

describe('syslog: lines we do not analyse', () => {
  it.each([
    'Jan 12 10:00:11 web1 sshd[4410]: Accepted publickey for deploy from 198.51.100.9 port 50122 ssh2',
    'Jan 12 10:00:12 web1 CRON[4411]: (root) CMD (test -x /usr/sbin/anacron)',
    'Jan 12 10:00:13 web1 --- last message repeated 3 times ---',
    '<30>1 2026-01-12T10:00:14+01:00 web1 dhclient - - -  DHCPREQUEST on eth0 to 10.0.0.1 port 67',
    '-- Journal begins at Mon 2026-01-05 08:00:01 CET, ends at Mon 2026-01-12 10:00:14 CET. --',
    '-- Boot 0c7f3a9b2e4d4f6a8b1c2d3e4f5a6b7c --',
    '',
  ])('%s', (line) => {
    const { format, calls } = setup();
    expect(parseLines(format, [line]).results).toEqual([LineResult.Ignored]);
    expect(calls).toHaveLength(0);
  });

  it('ignores routed lines when that family is not available', () => {
    const { format } = setup(['php-error']);
    expect(parseLines(format, ['Jan 12 10:00:06 web1 php: PHP Warning:  Undefined variable $x in /var/www/a.php on line 3']).results)
      .toEqual([LineResult.Ignored]);
  });

  it('reports what is not syslog, and what the inner family rejects', () => {
    const { format } = setup();
    expect(parseLines(format, [
      'this is not a syslog line',
      'Jan 12 10:00:06 web1 php-fpm: ??? garbage',
    ]).results).toEqual([LineResult.Unrecognized, LineResult.Record]);
    expect(parseLines(format, ['Jan 12 10:00:06 web1 nginx: ??? not nginx']).results).toEqual([LineResult.Unrecognized]);
  });
});

describe('syslog: sniff', () => {
  const { format } = setup();
  it.each([
    ['rsyslog file', ['Jan 12 10:00:01 web1 nginx: 2026/01/12 10:00:01 [error] 1#1: x', 'Jan 12 10:00:02 web1 sshd[1]: y'], 0.9, 1],
    ['RFC 5424', ['<190>1 2026-01-12T10:00:01Z web1 php-fpm 1011 - - [WARNING] x'], 0.9, 1],
    ['kern.log', ['Jan 12 10:00:01 web1 kernel: [  1.2] eth0: link up'], 0.9, 1],
    ['nginx error log', ['2026/01/12 10:00:01 [error] 1234#1234: *5 connect() failed'], 0, 0.05],
    ['access log', ['203.0.113.7 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"'], 0, 0.05],
    ['FPM log', ['[12-Jan-2026 10:00:01] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it'], 0, 0.05],
    ['dmesg', ['[    1.204411] EXT4-fs (vda1): mounted filesystem'], 0, 0.05],
  ])('%s', (_n, lines, lo, hi) => {
    const s = format.sniff(lines);
    expect(s).toBeGreaterThanOrEqual(lo);
    expect(s).toBeLessThanOrEqual(hi);
  });
});

describe('syslog: relayed lines', () => {
  it('drops a second copy of the same header', () => {
    const { calls, format } = setup();
    parseLines(format, [
      'web1 nginx[23141]: web1 nginx: 2026/01/12 10:00:01 [error] 23141#23141: *24 open() "/srv/www/x" failed (2: No such file or directory)',
      'Jan 12 10:00:02 web1 php-fpm[1011]: web1 php-fpm[1011]: [NOTICE] fpm is running, pid 1011',
    ]);
    expect(calls.map((c) => c.text.slice(0, 20))).toEqual(['2026/01/12 10:00:01 ', '[NOTICE] fpm is runn']);
  });
});

describe('syslog: with the real inner families', async () => {
  const { syslog } = await import('../../src/formats/syslog.js');
  const lines = [
    'Jan 12 10:00:01 web1 nginx: 2026/01/12 10:00:01 [error] 1234#1234: *5678 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"',
    'Jan 12 10:00:02 web1 php-fpm[1011]: [WARNING] [pool www] server reached pm.max_children setting (5), consider raising it',
    'Jan 12 10:00:03 web1 php: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2340',
    'Jan 12 10:00:04 web1 apache2[2211]: [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 203.0.113.7:51234] AH01079: failed to make connection to backend: 127.0.0.1',
    'Jan 12 10:00:05 web1 kernel: [812345.678901] Out of memory: Killed process 12345 (php-fpm8.2) total-vm:1023456kB, anon-rss:612340kB, file-rss:0kB, shmem-rss:12345kB, UID:33 pgtables:1480kB oom_score_adj:0',
    'Jan 12 10:00:06 lb-1 nginx: 198.51.100.23 - - [12/Jan/2026:10:00:06 +0000] "POST /api/orders HTTP/1.1" 502 157 "-" "okhttp/4.12.0"',
  ];

  it('parses every routed family and completes the records from the header', () => {
    const { records, unrecognized } = parseLines(syslog, lines);
    expect(unrecognized).toBe(0);
    const got = records.map((r) => [r.kind === 'event' ? r.family : r.family, r.time, r.host]);
    expect(got).toEqual(expect.arrayContaining([
      ['nginx-error', Date.UTC(2026, 0, 12, 10, 0, 1), 'web1'],
      ['php-fpm', Date.UTC(2026, 0, 12, 10, 0, 2), 'web1'],
      ['php-error', Date.UTC(2026, 0, 12, 10, 0, 3), 'web1'],
      ['apache-error', Date.UTC(2026, 0, 12, 10, 0, 4), 'web1'],
      ['kernel', Date.UTC(2026, 0, 12, 10, 0, 5), 'web1'],
      ['nginx-access', Date.UTC(2026, 0, 12, 10, 0, 6), 'lb-1'],
    ]));
    expect(records).toHaveLength(6);
  });
});

describe('lines that only look like syslog', () => {
  it('does not swallow an ISO-stamped access log as untagged syslog lines', async () => {
    const { syslog } = await import('../../src/formats/syslog.js');
    const { parseLines } = await import('../helpers.js');
    const lines = [
      '2026-03-14T09:00:04+00:00 198.51.100.103 shop.example.com "GET /my-account/ HTTP/2.0" 200 7164 0.382 0.380 "unix:/run/php/php8.2-fpm.sock" 200 "Mozilla/5.0"',
      '2026-03-14T09:00:12+00:00 198.51.100.95 shop.example.com "GET / HTTP/2.0" 502 552 0.001 0.000 "unix:/run/php/php8.2-fpm.sock" 502 "curl/8.5"',
    ];
    expect(syslog.sniff(lines)).toBeLessThan(0.3);
    expect(parseLines(syslog, lines).unrecognized).toBe(2);
  });
});
