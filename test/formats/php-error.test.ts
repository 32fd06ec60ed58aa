import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { phpError } from '../../src/formats/php-error.js';
import { phpFpmSlow } from '../../src/formats/php-fpm-slow.js';
import { phpFpm } from '../../src/formats/php-fpm.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord, LogRecord, WrapperInfo } from '../../src/formats/types.js';
import { linesOf, parseLines } from '../helpers.js';

const fixture = readFileSync(new URL('../../fixtures/formats/php-error/www-error.log', import.meta.url), 'utf8')
  .trimEnd()
  .split('\n');

function one(line: string, tz = 'UTC'): EventRecord {
  const { records, results } = parseLines(phpError, [line], { tz });
  expect(results).toEqual([LineResult.Record]);
  return records[0] as EventRecord;
}

const cases: [string, Partial<EventRecord>][] = [
  [
    '[12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2349',
    {
      time: Date.UTC(2026, 0, 12, 10, 0, 1), level: 'error', phpLevel: 'Fatal error',
      file: '/var/www/html/wp-includes/class-wpdb.php', fileLine: 2349,
      message: 'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2349',
    },
  ],
  [
    '[12-Jan-2026 11:00:01 Europe/Berlin] PHP Warning:  Undefined array key "sku" in /srv/shop/catalog/model/product.php on line 88',
    { time: Date.UTC(2026, 0, 12, 10, 0, 1), level: 'warn', phpLevel: 'Warning', file: '/srv/shop/catalog/model/product.php', fileLine: 88 },
  ],
  [
    '[12-Jul-2026 12:00:01 Europe/Berlin] PHP Notice:  Undefined index: page in /srv/shop/index.php on line 5',
    { time: Date.UTC(2026, 6, 12, 10, 0, 1), level: 'notice', phpLevel: 'Notice' },
  ],
  [
    '[12-Jan-2026 11:00:01 +01:00] PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/html/lib/Report.php on line 77',
    { time: Date.UTC(2026, 0, 12, 10, 0, 1), phpLevel: 'Fatal error', file: '/var/www/html/lib/Report.php', fileLine: 77 },
  ],
  [
    '[12-Jan-2026 07:00:01 America/Argentina/Buenos_Aires] PHP Parse error:  syntax error, unexpected token ")" in /var/www/html/config.php on line 19',
    { time: Date.UTC(2026, 0, 12, 10, 0, 1), level: 'error', phpLevel: 'Parse error', fileLine: 19 },
  ],
  [
    '[12-Jan-2026 10:00:01 UTC] PHP Deprecated:  Creation of dynamic property Foo::$bar is deprecated in /var/www/html/src/Foo.php on line 14',
    { phpLevel: 'Deprecated', level: 'notice' },
  ],
  [
    '[12-Jan-2026 10:00:01 UTC] PHP Warning:  Unknown: Write failed: No space left on device (28) in Unknown on line 0',
    { phpLevel: 'Warning', file: 'Unknown', fileLine: 0 },
  ],
  [
    '[12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Out of memory (allocated 2097152 bytes) (tried to allocate 4096 bytes) in /var/www/html/index.php on line 3',
    { phpLevel: 'Fatal error', fileLine: 3 },
  ],
  [
    '[12-Jan-2026 10:00:01 UTC] PHP Recoverable fatal error:  Object of class WP_Error could not be converted to string in /var/www/html/wp-content/plugins/shipping/rates.php on line 140',
    { phpLevel: 'Recoverable fatal error', level: 'error', file: '/var/www/html/wp-content/plugins/shipping/rates.php' },
  ],
  [
    '[12-Jan-2026 10:00:01 UTC] PHP Catchable fatal error:  Argument 1 passed to render() must be an instance of View, null given in /var/www/old/app.php on line 9',
    { phpLevel: 'Catchable fatal error', level: 'error' },
  ],
  [
    // free text from the app's error_log()
    '[12-Jan-2026 10:00:01 UTC] WordPress database error MySQL server has gone away for query SELECT option_value FROM wp_options WHERE option_name = \'cron\' LIMIT 1 made by do_action_ref_array',
    { phpLevel: undefined, level: undefined, file: undefined },
  ],
  ['[12-Jan-2026 10:00:01 UTC] cache warmup finished in 10:30', { file: undefined, fileLine: undefined }],
  [
    // no zone token: read in the context zone
    '[12-Jan-2026 11:00:01] PHP Warning:  Division by zero in /var/www/html/stats.php on line 21',
    { time: Date.UTC(2026, 0, 12, 10, 0, 1), phpLevel: 'Warning' },
  ],
];

describe('php-error: entries', () => {
  it.each(cases)('%s', (line, expected) => {
    const r = one(line, line.includes(' UTC]') || line.includes(' +01:00]') ? 'Asia/Tokyo' : 'Europe/Berlin');
    expect(r).toMatchObject({ kind: 'event', family: 'php-error', raw: line, origin: { source: 'test.log', line: 1 } });
    for (const [k, v] of Object.entries(expected)) {
      expect((r as unknown as Record<string, unknown>)[k], k).toEqual(v);
    }
  });

  it('keeps a Laravel stack trace with its entry and reads the exception location', () => {
    const { records, results, unrecognized } = parseLines(phpError, fixture);
    expect(unrecognized).toBe(0);
    expect(results).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(records).toHaveLength(7);
    const pdo = records[2] as EventRecord;
    expect(pdo).toMatchObject({
      phpLevel: 'Fatal error',
      file: '/var/www/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php',
      fileLine: 65,
      origin: { line: 3 },
    });
    expect(pdo.message).toMatch(/^PHP Fatal error: {2}Uncaught PDOException: SQLSTATE\[HY000\] \[2002\] Connection refused in \S+Connector\.php:65$/);
    expect(pdo.trace).toHaveLength(6);
    expect(pdo.trace?.[0]).toBe('Stack trace:');
    expect(pdo.trace?.[4]).toBe('#3 {main}');
    expect(pdo.raw.split('\n')).toHaveLength(7);
    expect(records[3]).toMatchObject({ time: Date.UTC(2026, 3, 14, 7, 35, 2), fileLine: 214 });
    expect(records[4]).toMatchObject({ time: Date.UTC(2026, 3, 14, 7, 36, 40), fileLine: 77 });
    expect(records[6]).toMatchObject({ message: 'Payment webhook rejected: signature mismatch for order 88213' });
  });

  it('keeps chained exceptions and caps the trace', () => {
    const deep = Array.from({ length: 80 }, (_, k) => `#${k} /srv/app/src/Node.php(${k + 10}): Node->walk()`);
    const { records } = parseLines(phpError, [
      '[12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Uncaught RuntimeException: first in /srv/app/src/A.php:3',
      'Stack trace:',
      '#0 {main}',
      '',
      'Next LogicException: second in /srv/app/src/B.php:9',
      'Stack trace:',
      ...deep,
      '  thrown in /srv/app/src/B.php on line 9',
      '[12-Jan-2026 10:00:02 UTC] PHP Warning:  after in /srv/app/src/C.php on line 1',
    ]);
    expect(records).toHaveLength(2);
    const r = records[0] as EventRecord;
    expect(r.trace).toHaveLength(50);
    expect(r.trace?.[2]).toMatch(/^Next LogicException/);
    expect(r.raw.length).toBeLessThanOrEqual(4096);
    expect(r.file).toBe('/srv/app/src/A.php');
  });

  it('takes the location from the thrown-in line when log_errors_max_len cut the first line', () => {
    const { records } = parseLines(phpError, linesOf(`
      [12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Uncaught TypeError: count(): Argument #1 ($value) must be of type Countable|array, null given
      Stack trace:
      #0 /var/www/html/wp-content/themes/shop/functions.php(88): count(NULL)
      #1 {main}
        thrown in /var/www/html/wp-content/themes/shop/functions.php on line 88
    `));
    expect(records[0]).toMatchObject({ file: '/var/www/html/wp-content/themes/shop/functions.php', fileLine: 88 });
  });

  it('joins Xdebug stack lines that carry their own stamp', () => {
    const { records, results } = parseLines(phpError, linesOf(`
      [12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Maximum function nesting level of '256' reached, aborting! in /srv/app/Tree.php on line 12
      [12-Jan-2026 10:00:01 UTC] PHP Stack trace:
      [12-Jan-2026 10:00:01 UTC] PHP   1. {main}() /srv/app/index.php:0
      [12-Jan-2026 10:00:01 UTC] PHP   2. Tree->walk() /srv/app/index.php:7
      [12-Jan-2026 10:00:09 UTC] PHP   1. {main}() /srv/app/index.php:0
    `));
    expect(results).toEqual([0, 1, 1, 1, 0]);
    expect((records[0] as EventRecord).trace).toEqual(['PHP Stack trace:', 'PHP   1. {main}() /srv/app/index.php:0', 'PHP   2. Tree->walk() /srv/app/index.php:7']);
    expect(records).toHaveLength(2);
  });

  it('ignores blank lines and flags stray lines', () => {
    const { results } = parseLines(phpError, [
      '',
      'Stack trace:',
      'some stray text',
      '[12-Jan-2026 10:00:01] NOTICE: ready to handle connections',
      '[12-Jan-2026 10:00:01 not a zone] PHP Warning:  x',
      '[Mon Jan 12 10:00:01.123456 2026] [php:error] [pid 811] PHP Fatal error:  x',
    ]);
    expect(results).toEqual([2, 2, 3, 0, 3, 3]);
  });
});

describe('php-error: syslog form', () => {
  const t = Date.UTC(2026, 0, 12, 10, 0, 1);
  const info = (time: number, host = 'web1'): WrapperInfo => ({ time, host, tag: 'php' });

  it('joins trace lines that arrive as syslog records with the same stamp', () => {
    const records: LogRecord[] = [];
    const p = phpError.createParser({ tz: 'UTC', referenceTime: 0, source: 'syslog', emit: (r) => records.push(r) });
    const w = p.wrapped;
    expect(w).toBeDefined();
    if (!w) return;
    const call = (m: string, n: number, i: WrapperInfo) => w.call(p, m, n, i);
    expect(call('PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/html/vendor/predis/Client.php:55', 1, info(t))).toBe(0);
    expect(call('Stack trace:', 2, info(t))).toBe(1);
    expect(call('#0 {main}', 3, info(t))).toBe(1);
    expect(call('thrown in /var/www/html/vendor/predis/Client.php on line 55', 4, info(t + 400))).toBe(1);
    expect(call('#0 {main}', 5, info(t, 'web2'))).toBe(0);
    expect(call('PHP Warning:  Undefined variable $cart in /var/www/html/cart.php on line 9', 6, info(t + 5000))).toBe(0);
    p.flush();
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      time: t, host: 'web1', phpLevel: 'Fatal error', level: 'error', fileLine: 55,
      trace: ['Stack trace:', '#0 {main}', 'thrown in /var/www/html/vendor/predis/Client.php on line 55'],
    });
    expect(records[2]).toMatchObject({ time: t + 5000, phpLevel: 'Warning', file: '/var/www/html/cart.php' });
  });
});

describe('php-error: sniff', () => {
  it('claims PHP error logs, not the FPM families', () => {
    expect(phpError.sniff(fixture)).toBeGreaterThanOrEqual(0.9);
    expect(phpFpm.sniff(fixture)).toBe(0);
    expect(phpFpmSlow.sniff(fixture)).toBe(0);
    expect(phpError.sniff(['[12-Jan-2026 10:00:01] NOTICE: fpm is running, pid 1011'])).toBe(0);
    expect(phpError.sniff(['[Mon Jan 12 10:00:01.123456 2026] [php:error] [pid 811] PHP Fatal error:  x'])).toBe(0);
    expect(phpError.sniff(['[12-Jan-2026 11:00:01] PHP Warning:  Division by zero in /x.php on line 2'])).toBeGreaterThan(0.5);
  });
});
