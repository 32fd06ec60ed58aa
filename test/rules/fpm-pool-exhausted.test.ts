import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, at, background, cause, eagain, fpm, refused, slowEntry, timedOut } from './fpm-lines.js';

const SHOP = 'GET /shop HTTP/1.1';
const RELATED = 'GET /wp-content/plugins/related-posts-pro/related.php HTTP/1.1';
const MAXCHILD = (hms: string): string => fpm(hms, 'WARNING', '[pool www] server reached pm.max_children setting (5), consider raising it');

/** n 502s with EAGAIN, starting at `hms`, one every `step` seconds (same client and URL when `same`). */
function backlogBurst(hms: string, n: number, step = 0, same = false): { access: string[]; error: string[] } {
  const a: string[] = [];
  const e: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = at(hms, i * step);
    const client = same ? '127.0.0.1' : `198.51.100.${10 + i}`;
    const req = same ? RELATED : i % 2 ? SHOP : `GET /product/${i} HTTP/1.1`;
    a.push(access(t, client, req, 502, { rt: 0, urt: 0 }));
    e.push(eagain(t, client, req));
  }
  return { access: a, error: e };
}

describe('fpm-pool-exhausted', () => {
  it('B2: EAGAIN on the unix socket + max_children warning → 0.9 for each 502', async () => {
    const b = backlogBurst('10:02:07', 6, 1);
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), ...b.access, ...background(3, 4)], 'error.log': b.error, 'php8.2-fpm.log': [MAXCHILD('10:02:00')] },
      'UTC',
    );
    const c = cause(report, 'fpm-pool-exhausted');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(6);
    expect(c?.byStatus).toEqual({ 502: 6 });
    expect(c?.confidence).toBeCloseTo(0.9, 2);
    expect(c?.fix.summary).toMatch(/pm\.max_children is 5/);
    expect(c?.fix.directives[0]).toMatchObject({ set: 'pm.max_children', file: expect.stringContaining('/etc/php/8.2/fpm/pool.d/www.conf') });
  });

  it('a burst of identical requests from one client in one second: every 502 is joined to its own line', async () => {
    const b = backlogBurst('10:02:07', 12, 0, true);
    const { report } = await analyzeFiles({ 'access.log': [...background(0, 1), ...b.access, ...background(3, 4)], 'error.log': b.error }, 'UTC');
    expect(affected(report, 'fpm-pool-exhausted')).toBe(12);
    expect(cause(report, 'fpm-pool-exhausted')?.confidence).toBeCloseTo(0.9, 2);
  });

  it('queued requests that timed out (504) inside an episode with the warning → 0.85', async () => {
    const urls = ['/a', '/b', '/c', '/d'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...urls.map((u, i) => access(`10:03:0${i}`, `203.0.113.${i + 1}`, `GET ${u} HTTP/1.1`, 504, { rt: 60.001 })), ...background(4, 5)],
        'error.log': urls.map((u, i) => timedOut(`10:03:0${i}`, `203.0.113.${i + 1}`, `GET ${u} HTTP/1.1`)),
        'php8.2-fpm.log': [MAXCHILD('10:02:01')],
      },
      'UTC',
    );
    const c = cause(report, 'fpm-pool-exhausted');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.byStatus).toEqual({ 504: 4 });
    expect(c?.confidence).toBeCloseTo(0.85, 2);
    expect(affected(report, 'upstream-timeout')).toBe(0);
  });

  it('a traffic spike is named as such', async () => {
    const spike: string[] = [];
    for (let i = 0; i < 60; i++) spike.push(access(at('10:50:00', i % 3), `198.51.100.${i}`, `GET /p/${i} HTTP/1.1`, 200, { rt: 0.2 }));
    const b = backlogBurst('10:50:01', 5, 0);
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 49), ...spike, ...b.access], 'error.log': b.error, 'php8.2-fpm.log': [MAXCHILD('10:50:00')] },
      'UTC',
    );
    expect(cause(report, 'fpm-pool-exhausted')?.variant).toBe('traffic-spike');
  });

  it('workers held by one dependency (slow log): slow-dependency is the root, the pool the mechanism', async () => {
    const b = backlogBurst('10:02:07', 6, 1);
    const slow = [0, 1, 2, 3].flatMap((i) =>
      slowEntry(`10:02:0${i + 2}`, 4700 + i, '/var/www/html/index.php', [['curl_exec', '/var/www/html/wp-content/plugins/stock-sync/src/Api.php', 88]]),
    );
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), ...b.access, ...background(3, 4)], 'error.log': b.error, 'php8.2-fpm.log': [MAXCHILD('10:02:00')], 'slow.log': slow },
      'UTC',
    );
    expect(cause(report, 'slow-dependency')?.rank).toBe(1);
    expect(affected(report, 'slow-dependency')).toBe(6);
    expect(affected(report, 'fpm-pool-exhausted')).toBe(0);
  });

  it('Apache: AH02454 (11) and the AH01079 of the same thread are one request → each 503 joined', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [
          '192.0.2.10 - - [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0" 120000',
          '198.51.100.5 - - [12/Jan/2026:10:00:04 +0000] "GET /shop HTTP/1.1" 503 299 "-" "Mozilla/5.0" 1000',
          '198.51.100.6 - - [12/Jan/2026:10:00:04 +0000] "GET /cart HTTP/1.1" 503 299 "-" "Mozilla/5.0" 1000',
          '192.0.2.11 - - [12/Jan/2026:10:00:09 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0" 120000',
        ],
        'error.log': [
          '[Mon Jan 12 10:00:04.101001 2026] [proxy:error] [pid 2211:tid 140234567890688] (11)Resource temporarily unavailable: AH02454: FCGI: attempt to connect to Unix domain socket /run/php/php8.2-fpm.sock (localhost:8000) failed',
          '[Mon Jan 12 10:00:04.101051 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 198.51.100.5:40112] AH01079: failed to make connection to backend: localhost',
          '[Mon Jan 12 10:00:04.201001 2026] [proxy:error] [pid 2211:tid 140234567890699] (11)Resource temporarily unavailable: AH02454: FCGI: attempt to connect to Unix domain socket /run/php/php8.2-fpm.sock (localhost:8000) failed',
          '[Mon Jan 12 10:00:04.201051 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890699] [client 198.51.100.6:40113] AH01079: failed to make connection to backend: localhost',
        ],
      },
      'UTC',
    );
    const c = cause(report, 'fpm-pool-exhausted');
    expect(c?.rank).toBe(1);
    expect(c?.byStatus).toEqual({ 503: 2 });
    expect(c?.confidence).toBeCloseTo(0.9, 2);
  });

  it('must not take refused connects (111: backend down, not busy)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:07', '198.51.100.4', SHOP, 502, { rt: 0, urt: 0 }), ...background(3, 4)],
        'error.log': [refused('10:02:07', '198.51.100.4', SHOP)],
        'php8.2-fpm.log': [MAXCHILD('10:02:00')],
      },
      'UTC',
    );
    expect(affected(report, 'fpm-pool-exhausted')).toBe(0);
  });

  it('must not stretch an old warning over a 504 an hour later', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:03:00', '203.0.113.1', SHOP, 504, { rt: 60.001 }), ...background(4, 5)],
        'error.log': [timedOut('10:03:00', '203.0.113.1', SHOP)],
        'php8.2-fpm.log': [MAXCHILD('09:00:00')],
      },
      'UTC',
    );
    expect(affected(report, 'fpm-pool-exhausted')).toBe(0);
    expect(affected(report, 'upstream-timeout')).toBe(1);
  });
});

describe('fpm-pool-exhausted on a keepalive connection', () => {
  it('joins each repeated EAGAIN 502 of one connection to its own request', async () => {
    const r = 'GET /shop/ HTTP/1.1';
    const times = ['10:00:01', '10:00:01', '10:00:02', '10:00:03'];
    const err = times.map(
      (t) =>
        `2026/01/12 ${t} [error] 1234#1234: *77 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 198.51.100.9, server: shop.example.com, request: "${r}", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"`,
    );
    const acc = times.map((t) => `198.51.100.9 - - [12/Jan/2026:${t} +0000] "${r}" 502 157 "-" "Mozilla/5.0"`);
    const { report } = await analyzeFiles({ 'access.log': acc, 'error.log': err }, 'UTC');
    const c = report.causes.find((x) => x.id === 'fpm-pool-exhausted');
    expect(c?.affectedRequests).toBe(4);
    expect(report.unexplained.count).toBe(0);
  });
});
