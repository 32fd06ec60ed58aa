import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { phpError } from '../../src/formats/php-error.js';
import { phpFpmSlow } from '../../src/formats/php-fpm-slow.js';
import { phpFpm } from '../../src/formats/php-fpm.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord, LogRecord, WrapperInfo } from '../../src/formats/types.js';
import { linesOf, parseLines } from '../helpers.js';

const at = (h: number, m: number, s: number, ms = 0): number => Date.UTC(2026, 0, 12, h, m, s, ms);

function one(line: string, tz = 'UTC'): EventRecord {
  const { records, results } = parseLines(phpFpm, [line], { tz });
  expect(results).toEqual([LineResult.Record]);
  expect(records).toHaveLength(1);
  return records[0] as EventRecord;
}

function fixture(name: string): string[] {
  return readFileSync(new URL(`../../fixtures/formats/php-fpm/${name}`, import.meta.url), 'utf8').trimEnd().split('\n');
}

// [line, fields the record must have] — one row per message family of signatures.md §3.4
const cases: [string, Partial<EventRecord>][] = [
  [
    '[12-Jan-2026 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it',
    { time: at(10, 0, 0), level: 'warn', pool: 'www', message: '[pool www] server reached pm.max_children setting (5), consider raising it' },
  ],
  [
    '[12-Jan-2026 10:00:00] WARNING: [pool api] server reached max_children setting (20), consider raising it',
    { level: 'warn', pool: 'api' },
  ],
  [
    '[12-Jan-2026 09:59:58] WARNING: [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 16 children, there are 1 idle, and 23 total children',
    { time: at(9, 59, 58), level: 'warn', pool: 'www', childPid: undefined, errno: undefined },
  ],
  [
    '[12-Jan-2026 10:00:04] WARNING: [pool www] child 12345 exited on signal 9 (SIGKILL) after 81.503321 seconds from start',
    { level: 'warn', pool: 'www', childPid: 12345, message: '[pool www] child 12345 exited on signal 9 (SIGKILL) after 81.503321 seconds from start' },
  ],
  [
    '[12-Jan-2026 10:00:04] WARNING: [pool www] child 12346 exited on signal 11 (SIGSEGV - core dumped) after 3.120001 seconds from start',
    { childPid: 12346, pool: 'www', errno: undefined },
  ],
  [
    '[12-Jan-2026 10:00:05] WARNING: [pool www] child 12350 exited with code 124 after 34.002117 seconds from start',
    { level: 'warn', childPid: 12350 },
  ],
  [
    '[12-Jan-2026 10:00:05] NOTICE: [pool www] child 12351 exited with code 0 after 1804.771203 seconds from start',
    { level: 'notice', childPid: 12351 },
  ],
  [
    '[12-Jan-2026 10:00:35] WARNING: [pool www] child 12347, script \'/var/www/html/index.php\' (request: "GET /index.php?route=report") execution timed out (30.000870 sec), terminating',
    { time: at(10, 0, 35), level: 'warn', pool: 'www', childPid: 12347, script: '/var/www/html/index.php' },
  ],
  [
    '[12-Jan-2026 10:00:06] WARNING: [pool www] child 4711, script \'/var/www/html/wp-cron.php\' (request: "POST /wp-cron.php?doing_wp_cron=1768212000.1234") executing too slow (5.012345 sec), logging',
    { childPid: 4711, script: '/var/www/html/wp-cron.php', pool: 'www' },
  ],
  [
    '[12-Jan-2026 10:00:02] WARNING: [pool www] child 12348 said into stderr: "NOTICE: PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 65536 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2349"',
    { level: 'warn', pool: 'www', childPid: 12348, script: undefined, errno: undefined,
      message: '[pool www] child 12348 said into stderr: "NOTICE: PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 65536 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2349"' },
  ],
  [
    '[12-Jan-2026 10:00:02] WARNING: [pool www] child 12348 said into stdout: "Fatal error: Maximum execution time of 30+2 seconds exceeded (terminated) in /var/www/html/lib/Feed.php on line 88", pipe is closed',
    { childPid: 12348, pool: 'www' },
  ],
  ['[12-Jan-2026 10:00:01] NOTICE: ready to handle connections', { level: 'notice', message: 'ready to handle connections', pool: undefined }],
  ['[12-Jan-2026 10:00:01] NOTICE: fpm is running, pid 1011', { level: 'notice', pid: 1011 }],
  ['[12-Jan-2026 10:15:00] NOTICE: Reloading in progress ...', { level: 'notice', message: 'Reloading in progress ...' }],
  ['[12-Jan-2026 10:15:00] NOTICE: Terminating ...', { message: 'Terminating ...' }],
  ['[12-Jan-2026 10:15:00] NOTICE: Finishing ...', { message: 'Finishing ...' }],
  ['[12-Jan-2026 10:15:01] NOTICE: exiting, bye-bye!', { message: 'exiting, bye-bye!' }],
  [
    "[12-Jan-2026 10:15:02] ERROR: unable to bind listening socket for address '/run/php/php8.2-fpm.sock': Address already in use (98)",
    { level: 'error', errno: 98, errnoText: 'Address already in use' },
  ],
  [
    "[12-Jan-2026 10:15:02] ERROR: unable to bind listening socket for address '127.0.0.1:9000': Permission denied (13)",
    { errno: 13, errnoText: 'Permission denied' },
  ],
  ['[12-Jan-2026 10:15:02] ERROR: FPM initialization failed', { level: 'error', errno: undefined }],
  [
    '[12-Jan-2026 10:00:06] ERROR: failed to ptrace(ATTACH) child 12345: Operation not permitted (1)',
    { level: 'error', childPid: 12345, errno: 1, errnoText: 'Operation not permitted' },
  ],
  [
    '[12-Jan-2026 10:00:06] ERROR: failed to ptrace(PEEKDATA) pid 12360: Input/output error (5)',
    { childPid: 12360, errno: 5, errnoText: 'Input/output error' },
  ],
  ['[12-Jan-2026 10:00:06] NOTICE: child 12361 stopped for tracing', { childPid: 12361 }],
  ['[12-Jan-2026 10:00:06] NOTICE: about to trace 12361', { childPid: 12361 }],
  ['[12-Jan-2026 10:00:06] NOTICE: finished trace of 12361', { childPid: 12361 }],
  [
    '[12-Jan-2026 10:00:07] ERROR: fork() failed: Cannot allocate memory (12)',
    { level: 'error', errno: 12, errnoText: 'Cannot allocate memory' },
  ],
  [
    '[12-Jan-2026 10:00:07] ALERT: oops, unknown child (4012) exited on signal 9 (SIGKILL). Please open a bug report (https://bugs.php.net).',
    { level: 'alert', errno: undefined },
  ],
  [
    '[12-Jan-2026 10:00:07] ERROR: unable to read what child say: Bad file descriptor (9)',
    { errno: 9, errnoText: 'Bad file descriptor' },
  ],
  [
    // log_level = debug: microseconds and the 'pid N, fn(), line N: ' prefix
    '[12-Jan-2026 10:00:04.503321] WARNING: pid 1011, fpm_children_bury(), line 256: [pool www] child 1240 exited on signal 9 (SIGKILL) after 81.503321 seconds from start',
    { time: at(10, 0, 4, 503), level: 'warn', pid: 1011, pool: 'www', childPid: 1240,
      message: '[pool www] child 1240 exited on signal 9 (SIGKILL) after 81.503321 seconds from start' },
  ],
  [
    '[12-Jan-2026 10:00:04.000117] DEBUG: pid 1011, fpm_pctl_perform_idle_server_maintenance(), line 379: [pool www] currently 5 active children, 0 spare children, 5 running children. Spawning rate 1',
    { level: 'debug', pid: 1011, pool: 'www', message: '[pool www] currently 5 active children, 0 spare children, 5 running children. Spawning rate 1' },
  ],
  [
    // undecorated worker output (decorate_workers_output = no): no time at all
    'NOTICE: PHP message: PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3',
    { time: NaN, level: 'notice', message: 'PHP message: PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3' },
  ],
  ['WARNING: [pool www] child 8 said into stderr: "php_network_getaddresses: getaddrinfo for db failed"', { time: NaN, pool: 'www', childPid: 8 }],
];

describe('php-fpm: one line, one record', () => {
  it.each(cases)('%s', (line, expected) => {
    const r = one(line);
    expect(r).toMatchObject({ kind: 'event', family: 'php-fpm', raw: line, origin: { source: 'test.log', line: 1 } });
    for (const [k, v] of Object.entries(expected)) {
      const got = (r as unknown as Record<string, unknown>)[k];
      if (typeof v === 'number' && Number.isNaN(v)) expect(got, k).toBeNaN();
      else expect(got, k).toEqual(v);
    }
  });

  it('reads the stamp in the given zone', () => {
    const r = one('[12-Jan-2026 10:00:00] NOTICE: ready to handle connections', 'Europe/Berlin');
    expect(r.time).toBe(at(9, 0, 0));
    const summer = one('[12-Jul-2026 10:00:00] NOTICE: ready to handle connections', 'Europe/Berlin');
    expect(summer.time).toBe(Date.UTC(2026, 6, 12, 8, 0, 0));
  });
});

describe('php-fpm: multi-line worker output', () => {
  it('joins an undecorated stack trace to the PHP message before it', () => {
    const { records, results } = parseLines(phpFpm, fixture('docker-undecorated.log'));
    expect(results).toEqual([0, 0, 2, 0, 2, 0, 1, 1, 1, 1, 1, 2, 0, 0]);
    const fatal = records[3] as EventRecord;
    expect(fatal.message).toMatch(/^PHP message: PHP Fatal error: {2}Uncaught PDOException: SQLSTATE\[HY000\] \[2002\] Connection refused/);
    expect(fatal.trace).toHaveLength(5);
    expect(fatal.trace?.[0]).toBe('Stack trace:');
    expect(fatal.trace?.[4]).toMatch(/^ {2}thrown in .*Connection\.php on line 33$/);
    expect(fatal.raw.split('\n')).toHaveLength(6);
    expect(fatal.origin.line).toBe(6);
    expect(records[4]).toMatchObject({ childPid: 41, pool: 'www', time: Date.UTC(2026, 2, 9, 14, 25, 31) });
  });

  it('joins decorated trace lines of the same child, not of another child', () => {
    const { records, results } = parseLines(phpFpm, linesOf(`
      [12-Jan-2026 10:00:02] WARNING: [pool www] child 900 said into stderr: "NOTICE: PHP message: PHP Fatal error:  Uncaught Exception: boom in /var/www/html/a.php:7"
      [12-Jan-2026 10:00:02] WARNING: [pool www] child 900 said into stderr: "Stack trace:"
      [12-Jan-2026 10:00:02] WARNING: [pool www] child 900 said into stderr: "#0 {main}"
      [12-Jan-2026 10:00:02] WARNING: [pool www] child 901 said into stderr: "#0 {main}"
      [12-Jan-2026 10:00:02] WARNING: [pool www] child 900 said into stderr: "  thrown in /var/www/html/a.php on line 7", pipe is closed
    `));
    expect(results).toEqual([0, 1, 1, 0, 0]);
    expect(records).toHaveLength(3);
    expect((records[0] as EventRecord).trace).toEqual(['Stack trace:', '#0 {main}']);
    expect((records[1] as EventRecord).childPid).toBe(901);
  });

  it('keeps the master fixture one record per line, in order', () => {
    const lines = fixture('master.log');
    const { records, results } = parseLines(phpFpm, lines);
    // the four decorated trace lines of child 30902 join its message
    expect(records).toHaveLength(lines.length - 4);
    expect(results.filter((r) => r === LineResult.Continuation)).toHaveLength(4);
    const redis = records.find((r) => (r as EventRecord).childPid === 30902) as EventRecord;
    expect(redis.trace).toHaveLength(4);
    const lines2 = records.map((r) => r.origin.line);
    expect([...lines2].sort((a, b) => a - b)).toEqual(lines2);
  });

  it('ignores blank lines, rejects foreign ones, and caps raw', () => {
    const long = 'NOTICE: PHP message: ' + 'x'.repeat(10_000);
    const { results, records } = parseLines(phpFpm, [
      '',
      '2026/01/12 10:00:01 [error] 811#811: *4 connect() failed (111: Connection refused)',
      '[12-Jan-2026 10:00:01 UTC] PHP Warning:  nope',
      '12.0.0.1 - - [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 12',
      long,
    ]);
    expect(results).toEqual([2, 3, 3, 3, 0]);
    expect(records[0]?.raw.length).toBe(4096);
  });
});

describe('php-fpm: syslog form', () => {
  const info: WrapperInfo = { time: Date.UTC(2026, 0, 12, 9, 0, 1), host: 'web1', pid: 1011, tag: 'php-fpm' };

  it('takes the level from the [LEVEL] text and the time from the wrapper', () => {
    const records: LogRecord[] = [];
    const p = phpFpm.createParser({ tz: 'UTC', referenceTime: 0, source: 'syslog', emit: (r) => records.push(r) });
    expect(p.wrapped?.('[WARNING] [pool www] server reached pm.max_children setting (5), consider raising it', 7, info)).toBe(0);
    expect(p.wrapped?.('[NOTICE] [pool www] child 3120 exited with code 0 after 600.100200 seconds from start', 8, info)).toBe(0);
    expect(p.wrapped?.('[12-Jan-2026 10:00:02] ERROR: FPM initialization failed', 9, info)).toBe(0);
    expect(p.wrapped?.('NOTICE: PHP message: PHP Notice:  Undefined index: id in /var/www/a.php on line 4', 10, info)).toBe(0);
    p.flush();
    expect(records).toHaveLength(4);
    expect(records[0]).toMatchObject({
      time: info.time, level: 'warn', pool: 'www', host: 'web1', pid: 1011, origin: { line: 7 },
      message: '[pool www] server reached pm.max_children setting (5), consider raising it',
    });
    expect(records[1]).toMatchObject({ level: 'notice', childPid: 3120 });
    expect(records[2]).toMatchObject({ time: Date.UTC(2026, 0, 12, 10, 0, 2), level: 'error', host: 'web1' });
    expect(records[3]).toMatchObject({ time: info.time, level: 'notice' });
  });
});

describe('php-fpm: sniff', () => {
  it('is sure about master logs, decorated or not', () => {
    expect(phpFpm.sniff(fixture('master.log'))).toBeGreaterThanOrEqual(0.9);
    expect(phpFpm.sniff(fixture('docker-undecorated.log'))).toBeGreaterThanOrEqual(0.8);
  });

  it('stays away from the other PHP families and from web server logs', () => {
    const slow = readFileSync(new URL('../../fixtures/formats/php-fpm-slow/www-slow.log', import.meta.url), 'utf8').split('\n').filter((l) => l);
    const err = readFileSync(new URL('../../fixtures/formats/php-error/www-error.log', import.meta.url), 'utf8').split('\n').filter((l) => l);
    expect(phpFpm.sniff(slow)).toBe(0);
    expect(phpFpm.sniff(err)).toBe(0);
    expect(phpFpm.sniff(['2026/01/12 10:00:01 [error] 811#811: *4 upstream timed out (110: Connection timed out)'])).toBe(0);
    expect(phpFpm.sniff(['10.1.2.3 -  12/Jan/2026:10:00:01 +0000 "GET /index.php" 200'])).toBe(0);
    const master = fixture('master.log');
    expect(phpFpmSlow.sniff(master)).toBe(0);
    expect(phpError.sniff(master)).toBe(0);
  });
});
