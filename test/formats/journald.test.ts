import { describe, expect, it } from 'vitest';
import { createJournaldFormat, journalText } from '../../src/formats/wrapper.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord } from '../../src/formats/types.js';
import { parseLines } from '../helpers.js';
import { stubInner, type Call } from './wrapper-stubs.js';

function setup() {
  const calls: Call[] = [];
  return { calls, format: createJournaldFormat(stubInner(calls)) };
}

const T = '1768212004123456'; // 2026-01-12T10:00:04.123456Z
const T_MS = Date.UTC(2026, 0, 12, 10, 0, 4, 123);

function entry(fields: Record<string, unknown>): string {
  return JSON.stringify({
    __CURSOR: 's=5f1c;i=1a2b;b=9d3e;m=3b9aca00;t=64829f1c2d3e4;x=77aa',
    __REALTIME_TIMESTAMP: T,
    __MONOTONIC_TIMESTAMP: '1000000000',
    _BOOT_ID: '9d3e4f5a6b7c8d9e0f1a2b3c4d5e6f70',
    _HOSTNAME: 'web1',
    ...fields,
  });
}

describe('journald: routing', () => {
  it('sends kernel transport to the kernel parser with time and host', () => {
    const { format } = setup();
    const line = entry({
      _TRANSPORT: 'kernel', SYSLOG_IDENTIFIER: 'kernel', PRIORITY: '3',
      MESSAGE: 'Out of memory: Killed process 30441 (php-fpm8.2) total-vm:482048kB, anon-rss:392004kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:860kB oom_score_adj:0',
    });
    const { records, results } = parseLines(format, [line]);
    expect(results).toEqual([LineResult.Record]);
    expect(records[0]).toMatchObject({ family: 'kernel', pid: 30441, host: 'web1', time: T_MS });
  });

  it('decodes a MESSAGE given as bytes', () => {
    const { format } = setup();
    const msg = 'php-fpm8.2[12346]: segfault at 18 ip 000055d0c3a1b2c3 sp 00007ffd2f1a0b40 error 4 in caf\u00e9.so[55d0c3800000+3a5000]';
    const bytes = [...Buffer.from(msg, 'utf8'), 0xff];
    const { records } = parseLines(format, [entry({ _TRANSPORT: 'kernel', MESSAGE: bytes })]);
    const r = records[0] as EventRecord;
    expect(r.pid).toBe(12346);
    expect(r.message).toBe(`${msg}\uFFFD`);
  });

  it.each([
    [{ SYSLOG_IDENTIFIER: 'nginx', _COMM: 'nginx', _PID: '901', _SYSTEMD_UNIT: 'nginx.service', _TRANSPORT: 'stdout',
      MESSAGE: '2026/01/12 10:00:04 [error] 901#901: *77 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream' },
      'nginx-error', 'line', 901],
    [{ SYSLOG_IDENTIFIER: 'php-fpm', _COMM: 'php-fpm8.2', _PID: '1011', _SYSTEMD_UNIT: 'php8.2-fpm.service', _TRANSPORT: 'syslog',
      MESSAGE: '[WARNING] [pool www] child 4711 exited on signal 9 (SIGKILL) after 81.503321 seconds from start' },
      'php-fpm', 'wrapped', 1011],
    // FPM error_log to stderr: the journal has the native line; no SYSLOG_IDENTIFIER, the unit decides
    [{ _COMM: 'php-fpm8.2', _PID: '1011', _SYSTEMD_UNIT: 'php8.2-fpm.service', _TRANSPORT: 'stdout',
      MESSAGE: '[12-Jan-2026 10:00:04] NOTICE: fpm is running, pid 1011' },
      'php-fpm', 'line', 1011],
    [{ _COMM: 'php-cgi', _PID: '5521', _SYSTEMD_UNIT: 'php8.2-fpm.service', _TRANSPORT: 'stdout', MESSAGE: 'NOTICE: PHP message: PHP Warning:  Undefined array key "id" in /var/www/html/api.php on line 18' },
      'php-fpm', 'wrapped', 5521],
    [{ SYSLOG_IDENTIFIER: 'php', _COMM: 'php-fpm8.2', _PID: '4711', _TRANSPORT: 'syslog',
      MESSAGE: 'PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/html/report.php on line 88' },
      'php-error', 'wrapped', 4711],
    [{ SYSLOG_IDENTIFIER: 'apache2', _COMM: 'apache2', _PID: '2211', _SYSTEMD_UNIT: 'apache2.service', _TRANSPORT: 'syslog',
      MESSAGE: '[proxy:error] [pid 2211:tid 140234567890688] (111)Connection refused: AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (127.0.0.1:9000) failed' },
      'apache-error', 'wrapped', 2211],
  ])('%o', (fields, id, how, pid) => {
    const { calls, format } = setup();
    const { records, results } = parseLines(format, [entry(fields)]);
    expect(results).toEqual([LineResult.Record]);
    expect(calls.map((c) => [c.id, c.how])).toEqual([[id, how]]);
    expect(calls[0]?.text).toBe(fields.MESSAGE);
    const r = records[0] as EventRecord;
    expect(r.host).toBe('web1');
    expect(r.pid).toBe(pid);
    // the nginx stub keeps its own stamp (second precision); the others take the journal's
    expect(r.time).toBe(id === 'nginx-error' ? Date.UTC(2026, 0, 12, 10, 0, 4) : T_MS);
    expect(r.raw).toBe(fields.MESSAGE);
  });

  it('feeds the later lines of a multi-line MESSAGE to the same parser', () => {
    const { calls, format } = setup();
    const { records } = parseLines(format, [entry({
      SYSLOG_IDENTIFIER: 'nginx', _PID: '901', _TRANSPORT: 'syslog',
      MESSAGE: '2026/01/12 10:00:04 [error] 901#901: *78 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught Exception: boom in /var/www/html/a.php:3\nStack trace:\n#0 {main}" while reading response header from upstream',
    })]);
    expect(calls.map((c) => c.how)).toEqual(['line', 'line', 'line']);
    expect((records[0] as EventRecord).message.split('\n')).toHaveLength(3);
  });
});

describe('journald: systemd', () => {
  it.each([
    [{ UNIT: 'php8.2-fpm.service', MESSAGE: 'php8.2-fpm.service: A process of this unit has been killed by the OOM killer.' }, 'kernel'],
    [{ UNIT: 'php8.2-fpm.service', MESSAGE: 'Started The PHP 8.2 FastCGI Process Manager.' }, 'php-fpm'],
    [{ UNIT: 'nginx.service', MESSAGE: 'Stopping A high performance web server and a reverse proxy server...' }, 'nginx-error'],
    [{ UNIT: 'apache2.service', MESSAGE: 'apache2.service: Main process exited, code=killed, status=9/KILL' }, 'apache-error'],
  ])('%o → %s', (fields, family) => {
    const { format } = setup();
    const { records } = parseLines(format, [entry({ SYSLOG_IDENTIFIER: 'systemd', _COMM: 'systemd', _PID: '1', _SYSTEMD_UNIT: 'init.scope', _TRANSPORT: 'journal', ...fields })]);
    expect(records[0]).toMatchObject({ family, message: fields.MESSAGE, host: 'web1', time: T_MS });
    expect((records[0] as EventRecord).pid).toBeUndefined();
  });

  it('ignores systemd lines about other units', () => {
    const { format } = setup();
    const { results, records } = parseLines(format, [entry({
      SYSLOG_IDENTIFIER: 'systemd', _PID: '1', UNIT: 'apt-daily.service', MESSAGE: 'Starting Daily apt download activities...',
    })]);
    expect(results).toEqual([LineResult.Ignored]);
    expect(records).toHaveLength(0);
  });
});

describe('journald: other lines', () => {
  it.each([
    [entry({ SYSLOG_IDENTIFIER: 'sshd', _SYSTEMD_UNIT: 'ssh.service', MESSAGE: 'Accepted publickey for deploy from 198.51.100.9 port 50122 ssh2' }), LineResult.Ignored],
    [entry({ SYSLOG_IDENTIFIER: 'nginx', MESSAGE: null }), LineResult.Ignored],
    ['', LineResult.Ignored],
    ['{"MESSAGE": "truncated', LineResult.Unrecognized],
    ['[1, 2, 3]', LineResult.Unrecognized],
    ['Jan 12 10:00:01 web1 nginx: 2026/01/12 10:00:01 [error] 1#1: x', LineResult.Unrecognized],
  ])('%s', (line, want) => {
    const { format } = setup();
    expect(parseLines(format, [line]).results).toEqual([want]);
  });

  it.each([
    [[104, 105], 'hi'],
    [['first', 'second'], 'first'],
    [[300], undefined],
    [null, undefined],
    [42, undefined],
  ])('journalText(%o) = %s', (v, want) => {
    expect(journalText(v)).toBe(want);
  });
});

describe('journald: sniff', () => {
  const { format } = setup();
  it('is sure about journalctl -o json', () => {
    expect(format.sniff([entry({ MESSAGE: 'a' }), entry({ MESSAGE: 'b' })])).toBe(1);
  });
  it.each([
    ['{"level":"info","msg":"listening","time":"2026-01-12T10:00:01Z"}'],
    ['Jan 12 10:00:01 web1 nginx: 2026/01/12 10:00:01 [error] 1#1: x'],
    ['203.0.113.7 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"'],
  ])('does not claim %s', (line) => {
    expect(format.sniff([line])).toBe(0);
  });
});

describe('journald: with the real inner families', async () => {
  const { journald } = await import('../../src/formats/journald.js');

  it('parses native and syslog-form messages and fills time, host and pid', () => {
    const { records, unrecognized } = parseLines(journald, [
      entry({ SYSLOG_IDENTIFIER: 'php-fpm', _COMM: 'php-fpm8.2', _PID: '1011', _TRANSPORT: 'syslog', MESSAGE: '[WARNING] [pool www] child 4711 exited on signal 9 (SIGKILL) after 81.503321 seconds from start' }),
      entry({ _COMM: 'php-fpm8.2', _PID: '1011', _SYSTEMD_UNIT: 'php8.2-fpm.service', _TRANSPORT: 'stdout', MESSAGE: '[12-Jan-2026 10:00:04] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it' }),
      entry({ SYSLOG_IDENTIFIER: 'nginx', _PID: '901', _TRANSPORT: 'stdout', MESSAGE: '2026/01/12 10:00:04 [error] 901#901: *77 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.7, server: example.com, request: "GET /export HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"' }),
      entry({ _TRANSPORT: 'kernel', MESSAGE: 'Out of memory: Killed process 4711 (php-fpm8.2) total-vm:482048kB, anon-rss:392004kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:860kB oom_score_adj:0' }),
    ]);
    expect(unrecognized).toBe(0);
    const ev = records as EventRecord[];
    expect(ev.every((r) => r.host === 'web1')).toBe(true);
    expect(ev.map((r) => r.family).sort()).toEqual(['kernel', 'nginx-error', 'php-fpm', 'php-fpm']);
    const kill = ev.find((r) => r.family === 'kernel');
    expect(kill).toMatchObject({ pid: 4711, time: T_MS });
    const exit = ev.find((r) => r.family === 'php-fpm' && r.message.includes('exited on signal'));
    expect(exit).toMatchObject({ time: T_MS, childPid: 4711 });
    const ngx = ev.find((r) => r.family === 'nginx-error');
    expect(ngx?.time).toBe(Date.UTC(2026, 0, 12, 10, 0, 4));
  });
});
