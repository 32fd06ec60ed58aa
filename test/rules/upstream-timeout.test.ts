import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, ngx, timedOut } from './fpm-lines.js';

const AJAX = 'POST /wp-admin/admin-ajax.php HTTP/2.0';

describe('upstream-timeout', () => {
  it('a 504 joined to its "upstream timed out … reading response header" with nothing deeper → 0.6, residual', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', AJAX, 504, { rt: 60.001 }), ...background(3, 4)],
        'error.log': [timedOut('10:02:01', '203.0.113.7', AJAX)],
      },
      'UTC',
    );
    const c = cause(report, 'upstream-timeout');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.byStatus).toEqual({ 504: 1 });
    expect(c?.confidence).toBeCloseTo(0.6, 2);
    expect(c?.variant).toBe('read');
    expect(c?.fix.summary).toMatch(/about 60 s.*enable the FPM slow log/);
    expect(c?.fix.directives[0]).toMatchObject({ set: 'fastcgi_read_timeout' });
  });

  it('connect timeouts point at a backend that is not accepting', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', AJAX, 504, { rt: 60.001, urt: 60.0, ua: '127.0.0.1:9000' }), ...background(3, 4)],
        'error.log': [timedOut('10:02:01', '203.0.113.7', AJAX, 'connecting to upstream')],
      },
      'UTC',
    );
    const c = cause(report, 'upstream-timeout');
    expect(c?.variant).toBe('connect');
    expect(c?.fix.directives[0]?.set).toMatch(/pm\.max_children/);
  });

  it('a 504 at a round timeout with no error log supplied → 0.5 from the access-log shape, asks for the log', async () => {
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', AJAX, 504, { rt: 60.002, urt: 60.001 }), ...background(3, 4)] },
      'UTC',
    );
    const c = cause(report, 'upstream-timeout');
    expect(c?.confidence).toBeCloseTo(0.5, 2);
    expect(c?.missingSources).toEqual(['nginx error log']);
  });

  it('must not claim a 504 the backend sent itself (error log covers the time and has no timeout line)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', AJAX, 504, { rt: 0.2 }), ...background(3, 4)],
        'error.log': [ngx('10:00:00', 'notice', 'signal 1 (SIGHUP) received from 4021, reconfiguring'), ngx('10:04:00', 'notice', 'signal 1 (SIGHUP) received from 4021, reconfiguring')],
      },
      'UTC',
    );
    expect(affected(report, 'upstream-timeout')).toBe(0);
  });

  it('must not count "while reading upstream" (headers already sent: the client got 200)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', AJAX, 200, { rt: 60.001 }), ...background(3, 4)],
        'error.log': [timedOut('10:02:01', '203.0.113.7', AJAX, 'reading upstream')],
      },
      'UTC',
    );
    expect(cause(report, 'upstream-timeout')).toBeUndefined();
  });
});

describe('upstream-timeout with error logs only', () => {
  it('reports the timeouts and asks for the access log to count the 504s', async () => {
    const line = (t: string, n: number) =>
      `2024/06/11 ${t} [error] 1021#1021: *${n} upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.9, server: shop.example, request: "GET /export/orders.csv HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "shop.example"`;
    const { report } = await analyzeFiles({ 'error.log': [line('09:14:02', 551), line('09:16:40', 610)] }, 'UTC');
    const c = report.causes.find((x) => x.id === 'upstream-timeout');
    expect(c).toMatchObject({ rank: 1, affectedRequests: 0, missingSources: ['access log'], variant: 'read' });
    expect(c?.confidence).toBe(0.6);
  });

  it('stays silent when the access log is there and no 5xx matches (the residual has nothing to explain)', async () => {
    const { report } = await analyzeFiles(
      {
        'error.log': [`2024/06/11 09:14:02 [error] 1021#1021: *551 upstream timed out (110: Connection timed out) while reading upstream, client: 203.0.113.9, server: shop.example, request: "GET /big.csv HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "shop.example"`],
        'access.log': ['203.0.113.9 - - [11/Jun/2024:09:14:02 +0000] "GET /big.csv HTTP/1.1" 200 512 "-" "curl/8.5"'],
      },
      'UTC',
    );
    expect(report.causes.find((x) => x.id === 'upstream-timeout')).toBeUndefined();
  });
});
