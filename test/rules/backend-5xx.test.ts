import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, background, cause, combined, fpm, ngx, SOCK, stderr } from './app-lines.js';

const UP = `fastcgi://${SOCK}:`;

/** Maintenance mode: every PHP request answers 503 fast, the backend's own status. */
function maintenance(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    access(`10:02:${String(i * 5).padStart(2, '0')}`, `198.51.100.${30 + i}`, `GET /orders/${i} HTTP/2.0`, 503, { rt: 0.015, urt: 0.014 }),
  );
}

describe('backend-5xx', () => {
  it('reports 503s the backend answered itself, with no error line, as maintenance (0.4)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...maintenance(8), ...background(3, 4)],
        'error.log': [ngx('10:00:30', 'notice', 'signal 1 (SIGHUP) received from 4021, reconfiguring')],
        'php8.2-fpm.log': [fpm('09:00:00', 'NOTICE', 'ready to handle connections')],
      },
      'UTC',
    );
    const c = cause(report, 'backend-5xx');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(8);
    expect(c?.byStatus).toEqual({ 503: 8 });
    expect(c?.confidence).toBeCloseTo(0.4, 2);
    expect(c?.variant).toBe('maintenance');
    expect(c?.upstreams).toEqual([SOCK]);
    expect(c?.fix.summary).toMatch(/8 × 503 answered by the backend .*median 0\.014 s/);
  });

  it('still counts a 500 whose only PHP line is a deprecation notice', async () => {
    const req = 'GET /orders/51473 HTTP/2.0';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.81', req, 500, { rt: 0.2 })],
        'error.log': [stderr('10:02:01', '203.0.113.81', req, 'PHP Deprecated:  Implicit conversion from float 12.5 to int loses precision in /var/www/app/app/Support/Money.php on line 41')],
      },
      'UTC',
    );
    const c = cause(report, 'backend-5xx');
    expect(c?.affectedRequests).toBe(1);
    expect(c?.variant).toBe('app-error');
  });

  it('falls back to access-log shape (0.35) without $upstream_status when the error log is silent', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [combined('10:00:00', '192.0.2.1', 'GET / HTTP/1.1', 200), combined('10:02:01', '203.0.113.7', 'GET /api/orders HTTP/1.1', 500), combined('10:04:00', '192.0.2.2', 'GET / HTTP/1.1', 200)],
        'error.log': [ngx('10:00:30', 'notice', 'signal 1 (SIGHUP) received from 4021, reconfiguring'), ngx('10:04:30', 'notice', 'signal 1 (SIGHUP) received from 4021, reconfiguring')],
      },
      'UTC',
    );
    const c = cause(report, 'backend-5xx');
    expect(c?.affectedRequests).toBe(1);
    expect(c?.confidence).toBeCloseTo(0.35, 2);
  });

  it('leaves a 504 with $upstream_status 504 alone when no error log could say nginx timed out itself', async () => {
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', 'GET /report HTTP/1.1', 504, { rt: 60.002, urt: 60.001 })] },
      'UTC',
    );
    expect(cause(report, 'backend-5xx')).toBeUndefined();
  });

  it.each([
    [
      'a PHP fatal error explains the 500',
      500,
      { rt: 0.1 },
      [stderr('10:02:01', '203.0.113.7', 'GET /x HTTP/1.1', 'PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3')],
    ],
    [
      'nginx could not connect (502 with $upstream_status 502 and an error line)',
      502,
      { rt: 0, urt: 0 },
      [ngx('10:02:01', 'error', `connect() to ${SOCK} failed (111: Connection refused)`, { client: '203.0.113.7', request: 'GET /x HTTP/1.1', action: 'connecting to upstream', upstream: UP })],
    ],
    [
      'limit_req rejected it (no upstream asked)',
      503,
      { rt: 0, urt: '-' as const },
      [ngx('10:02:01', 'error', 'limiting requests, excess: 20.640 by zone "perip"', { client: '203.0.113.7', request: 'GET /x HTTP/1.1' })],
    ],
    ['an nginx `return 503` (no upstream asked, no line)', 503, { rt: 0, urt: '-' as const }, []],
  ])('does not fire on a look-alike: %s', async (_n, status, opts, errLines) => {
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', 'GET /x HTTP/1.1', status, opts), ...background(3, 4)], 'error.log': errLines },
      'UTC',
    );
    expect(cause(report, 'backend-5xx')).toBeUndefined();
  });
});
