import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { phpError } from '../../src/formats/php-error.js';
import { parseFrame, phpFpmSlow } from '../../src/formats/php-fpm-slow.js';
import { phpFpm } from '../../src/formats/php-fpm.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord } from '../../src/formats/types.js';
import { linesOf, parseLines } from '../helpers.js';

const fixture = readFileSync(new URL('../../fixtures/formats/php-fpm-slow/www-slow.log', import.meta.url), 'utf8')
  .trimEnd()
  .split('\n');

describe('php-fpm-slow: entries', () => {
  it('assembles header, script and frames, one record per entry', () => {
    const { records, results, unrecognized } = parseLines(phpFpmSlow, fixture, { tz: 'Europe/Berlin' });
    expect(unrecognized).toBe(0);
    expect(results.slice(0, 9)).toEqual([2, 0, 1, 1, 1, 1, 1, 1, 2]);
    expect(records).toHaveLength(3);
    const [http, db, failed] = records as EventRecord[];
    expect(http).toMatchObject({
      kind: 'event',
      family: 'php-fpm-slow',
      time: Date.UTC(2026, 1, 3, 10, 2, 26), // 11:02:26 CET
      pool: 'shop',
      childPid: 30871,
      script: '/srv/shop/public/index.php',
      message: '/srv/shop/public/index.php',
      origin: { source: 'test.log', line: 2 },
    });
    expect(http?.frames).toEqual([
      { fn: 'curl_exec', file: '/srv/shop/vendor/guzzlehttp/guzzle/src/Handler/CurlHandler.php', line: 44 },
      { fn: '__invoke', file: '/srv/shop/vendor/guzzlehttp/guzzle/src/Handler/Proxy.php', line: 28 },
      { fn: '???', file: 'unknown', line: 0 },
      { fn: 'send', file: '/srv/shop/app/Payment/Gateway.php', line: 97 },
      { fn: '[INCLUDE_OR_EVAL]', file: '/srv/shop/public/index.php', line: 18 },
    ]);
    expect(http?.raw.split('\n')).toHaveLength(7);
    expect(db?.frames?.[0]).toEqual({ fn: 'mysqli_query', file: '/srv/shop/system/library/db/mysqli.php', line: 24 });
    expect(db?.origin.line).toBe(10);
    expect(failed).toMatchObject({ childPid: 30890, script: '/srv/shop/public/cron.php', frames: [] });
    expect(failed?.raw).toContain('+++ dump failed');
  });

  it('does not need the blank separator, and reads 32-bit frames and debug stamps', () => {
    const { records, results } = parseLines(phpFpmSlow, linesOf(`
      [21-Jun-2026 23:59:58.120044] [pool legacy] pid 811
      script_filename = /home/legacy/htdocs/forum/index.php
      [0x0a3f11c0] sleep() /home/legacy/htdocs/forum/includes/antiflood.php:61
      [0x0a3f1080] check_flood()   /home/legacy/htdocs/forum/index.php:40
      [21-Jun-2026 23:59:59]  [pool legacy] pid 812
      script_filename = /home/legacy/htdocs/forum/post.php
      [0x0a3f1200] fsockopen() /home/legacy/htdocs/forum/includes/mailer.php:117
    `));
    expect(results).toEqual([0, 1, 1, 1, 0, 1, 1]);
    expect(records).toHaveLength(2);
    const [a, b] = records as EventRecord[];
    expect(a?.time).toBe(Date.UTC(2026, 5, 21, 23, 59, 58, 120));
    expect(a?.frames).toEqual([
      { fn: 'sleep', file: '/home/legacy/htdocs/forum/includes/antiflood.php', line: 61 },
      { fn: 'check_flood', file: '/home/legacy/htdocs/forum/index.php', line: 40 },
    ]);
    expect(b).toMatchObject({ childPid: 812, pool: 'legacy', frames: [{ fn: 'fsockopen', line: 117 }] });
  });

  it('accepts a first header cut before its bracket, and drops body lines that have no header', () => {
    const { records, results } = parseLines(phpFpmSlow, [
      '[0x00007fd1e20130e0] do_action() /var/www/site/wp-admin/admin-ajax.php:100',
      '',
      '14-Feb-2026 03:00:12]  [pool www] pid 1201',
      'script_filename = /var/www/site/wp-cron.php',
      '[0x00007fd1e2014300] curl_multi_select() /var/www/site/wp-includes/Requests/src/Transport/Curl.php:274',
    ]);
    expect(results).toEqual([LineResult.Ignored, LineResult.Ignored, 0, 1, 1]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ childPid: 1201, script: '/var/www/site/wp-cron.php' });
  });

  it('flags lines that are not slow-log text', () => {
    const { results } = parseLines(phpFpmSlow, [
      '[12-Jan-2026 10:00:06] WARNING: [pool www] child 4711, script \'/var/www/html/index.php\' (request: "GET /index.php") executing too slow (5.012345 sec), logging',
      '[12-Jan-2026 10:00:06]  [pool www] pid 4711 extra',
      '[0xzz] nope() /x.php:1',
      '[0x00007f3b8c0150f0] curl_exec() /var/www/html/x.php:abc',
    ]);
    expect(results).toEqual([3, 3, 3, 3]);
  });

  it('caps the frames of a runaway trace depth and the raw text', () => {
    const frames = Array.from({ length: 400 }, (_, k) => `[0x00007f3b8c0${(0x10000 + k).toString(16)}] render() /var/www/html/views/partial${k}.php:${k + 1}`);
    const { records } = parseLines(phpFpmSlow, ['[12-Jan-2026 10:00:06]  [pool www] pid 4711', 'script_filename = /var/www/html/index.php', ...frames]);
    const r = records[0] as EventRecord;
    expect(r.frames).toHaveLength(200);
    expect(r.raw.length).toBeLessThanOrEqual(4096);
  });
});

describe('php-fpm-slow: parseFrame', () => {
  it.each([
    ['[0x00007f3b8c0150f0] curl_exec() /var/www/html/Curl.php:205', { fn: 'curl_exec', file: '/var/www/html/Curl.php', line: 205 }],
    ['[0x00007f3b8c014e40] ???() unknown:0', { fn: '???', file: 'unknown', line: 0 }],
    ['[0x00007f3b8c014d90] [INCLUDE_OR_EVAL]() /var/www/html/wp-settings.php:560', { fn: '[INCLUDE_OR_EVAL]', file: '/var/www/html/wp-settings.php', line: 560 }],
    ['[0x00007f3b8c014d90] {closure}() /srv/app/routes/api.php:14', { fn: '{closure}', file: '/srv/app/routes/api.php', line: 14 }],
    ['[0xb6f2a0c4] mysql_query() C:\\inetpub\\site\\db.php:9', { fn: 'mysql_query', file: 'C:\\inetpub\\site\\db.php', line: 9 }],
    ['[0x00007f3b8c0150f0] curl_exec()', undefined],
    ['[0x00007f3b8c0150f0 curl_exec() /x.php:1', undefined],
  ])('%s', (line, expected) => {
    expect(parseFrame(line)).toEqual(expected);
  });
});

describe('php-fpm-slow: sniff', () => {
  it('claims slow logs and nothing else', () => {
    const sample = fixture.filter((l) => l.trim() !== '');
    expect(phpFpmSlow.sniff(sample)).toBe(1);
    expect(phpFpm.sniff(sample)).toBe(0);
    expect(phpError.sniff(sample)).toBe(0);
    expect(phpFpmSlow.sniff(['[12-Jan-2026 10:00:01] NOTICE: ready to handle connections'])).toBe(0);
    expect(phpFpmSlow.sniff(['[12-Jan-2026 10:00:01 UTC] PHP Warning:  x in /a.php on line 1'])).toBe(0);
  });
});
