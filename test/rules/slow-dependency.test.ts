import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, fpm, slowEntry, stderr, timedOut } from './fpm-lines.js';

const SYNC = (i: number): string => `GET /wp-admin/admin-ajax.php?action=stock_sync&sku=${100 + i} HTTP/1.1`;
const API = '/var/www/html/wp-content/plugins/stock-sync/src/Api.php';

/** n requests that block in `frame` for longer than fastcgi_read_timeout (3 s); slow log at 1 s. */
function blocked(n: number, frame: [string, string, number], opts: { fslow?: boolean } = {}): Record<string, string[]> {
  const a: string[] = [];
  const e: string[] = [];
  const f: string[] = [fpm('09:00:00', 'NOTICE', 'ready to handle connections')];
  const s: string[] = [];
  for (let i = 0; i < n; i++) {
    const start = 10 + i * 4; // seconds into 10:02
    const hms = (sec: number): string => `10:02:${String(sec).padStart(2, '0')}`;
    a.push(access(hms(start + 3), '127.0.0.1', SYNC(i), 504, { rt: 3.0 }));
    e.push(timedOut(hms(start + 3), '127.0.0.1', SYNC(i)));
    s.push(...slowEntry(hms(start + 1), 12960 + i, '/var/www/html/wp-admin/admin-ajax.php', [frame, ['fetchLevels', '/var/www/html/wp-content/plugins/stock-sync/ajax-stock_sync.php', 3]]));
    if (opts.fslow !== false) {
      f.push(fpm(hms(start + 1), 'WARNING', `[pool www] child ${12960 + i}, script '/var/www/html/wp-admin/admin-ajax.php' (request: "GET /wp-admin/admin-ajax.php?action=stock_sync&sku=${100 + i}") executing too slow (1.065336 sec), logging`));
    }
  }
  return { 'access.log': [...background(0, 1), ...a, ...background(3, 4)], 'error.log': e, 'php8.2-fpm.log': f, 'slow.log': s };
}

describe('slow-dependency', () => {
  it('504s whose slow-log entry (same start, same pool) blocks in curl_exec() → 0.8, http-call, culprit', async () => {
    const { report } = await analyzeFiles(blocked(4, ['curl_exec', API, 12]), 'UTC');
    const c = cause(report, 'slow-dependency');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.byStatus).toEqual({ 504: 4 });
    expect(c?.confidence).toBeCloseTo(0.8, 2);
    expect(c?.variant).toBe('http-call');
    expect(c?.culprits).toEqual([{ kind: 'wordpress-plugin', name: 'stock-sync', count: 4 }]);
    expect(c?.fix.directives[0]).toMatchObject({ set: expect.stringMatching(/CURLOPT_TIMEOUT/), file: expect.stringContaining('stock-sync') });
    expect(affected(report, 'upstream-timeout')).toBe(0);
  });

  it('without F-SLOW lines the slowlog timeout is unknown: the entry inside the request’s span → 0.7', async () => {
    const { report } = await analyzeFiles(blocked(1, ['curl_exec', API, 12], { fslow: false }), 'UTC');
    const c = cause(report, 'slow-dependency');
    expect(c?.affectedRequests).toBe(1);
    expect(c?.confidence).toBeCloseTo(0.7, 2);
  });

  it('a database layer frame is the database class', async () => {
    const { report } = await analyzeFiles(blocked(3, ['query', '/var/www/html/wp-includes/class-wpdb.php', 2349]), 'UTC');
    const c = cause(report, 'slow-dependency');
    expect(c?.variant).toBe('database');
    expect(c?.fix.directives.some((d) => /long_query_time/.test(d.set))).toBe(true);
  });

  it('a cURL timeout text on the failed request itself → 0.85', async () => {
    const req = 'POST /checkout/pay HTTP/2.0';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:31', '203.0.113.7', req, 500, { rt: 30.1 }), ...background(3, 4)],
        'error.log': [
          stderr('10:02:31', '203.0.113.7', req, 'PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\ConnectException: cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received for https://api.payments.example/v1/charge in /var/www/app/vendor/guzzlehttp/guzzle/src/Handler/CurlFactory.php:210'),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'slow-dependency');
    expect(c?.rank).toBe(1);
    expect(c?.confidence).toBeCloseTo(0.85, 2);
  });

  it('must not fire when the slow log shows PHP code busy (cpu class): upstream-timeout keeps it', async () => {
    const { report } = await analyzeFiles(blocked(3, ['md5', '/var/www/html/wp-content/themes/twentyfour/front-hook-impl.php', 9]), 'UTC');
    expect(affected(report, 'slow-dependency')).toBe(0);
    const t = cause(report, 'upstream-timeout');
    expect(t?.rank).toBe(1);
    expect(t?.culprits[0]?.name).toBe('twentyfour');
  });

  it('must not claim a 504 whose request started long before the slow entry’s request', async () => {
    const files = blocked(1, ['curl_exec', API, 12]);
    files['access.log'] = [...background(0, 1), access('10:02:13', '127.0.0.1', SYNC(0), 504, { rt: 60.0 }), ...background(3, 4)];
    const { report } = await analyzeFiles(files, 'UTC');
    expect(affected(report, 'slow-dependency')).toBe(0);
  });
});
