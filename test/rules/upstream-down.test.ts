import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, at, background, cause, combined, connectFail, fpm, ngx, SOCK } from './web-lines.js';

const REFUSED = '111: Connection refused';
const reqs = ['GET /checkout HTTP/1.1', 'GET /cart HTTP/1.1', 'POST /?wc-ajax=add_to_cart HTTP/1.1', 'GET /account HTTP/1.1'];

describe('upstream-down', () => {
  it('nginx: one keepalive connection repeating the same request gets every 502 joined, not just the first', async () => {
    // a browser retrying F5 over one connection: same *N, same client and request line, one line per 502
    const r = 'GET /index.php HTTP/1.1';
    const times = ['10:58:15', '10:58:15', '10:58:16', '10:58:16'];
    const err = times.map((t) =>
      ngx(t, 'error', 'connect() failed (111: Connection refused)', { conn: 33, client: '172.18.0.1', request: r, action: 'connecting to upstream', upstream: 'fastcgi://127.0.0.1:9000' }),
    );
    const acc = times.map((t) => combined(t, '172.18.0.1', r, 502));
    const { report } = await analyzeFiles({ 'access.log': [...background(50, 57), ...acc], 'error.log': err }, 'UTC');
    expect(cause(report, 'upstream-down')?.affectedRequests).toBe(4);
    expect(report.unexplained.count).toBe(0);
  });


  it('nginx: refused connects after FPM stopped and never came back → variant stopped, 502s joined per request', async () => {
    const access502 = reqs.map((r, i) => access(at('10:02:00', i * 3), `203.0.113.${i + 1}`, r, 502, { rt: 0.001, urt: 0 }));
    const errors = reqs.map((r, i) => connectFail(at('10:02:00', i * 3), REFUSED, `203.0.113.${i + 1}`, r));
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...access502, ...background(3, 4)],
        'error.log': errors,
        'php8.2-fpm.log': [fpm('09:00:00', 'NOTICE', 'fpm is running, pid 1011'), fpm('10:01:58', 'NOTICE', 'Terminating ...'), fpm('10:01:58', 'NOTICE', 'exiting, bye-bye!')],
      },
      'UTC',
    );
    const c = cause(report, 'upstream-down');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.byStatus).toEqual({ 502: 4 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(c?.variant).toBe('stopped');
    expect(c?.upstreams).toContain(SOCK);
    expect(c?.fix.directives.map((d) => d.set)).toContain('[Service] Restart');
    expect(c?.fix.summary).toMatch(/not started again/);
  });

  it('Apache mod_proxy_fcgi: AH00957 (errno) + AH01079 (client) pairs → 503 per request', async () => {
    const clients = ['198.51.100.4', '198.51.100.5', '198.51.100.6'];
    const err: string[] = [];
    const acc: string[] = [];
    clients.forEach((cl, i) => {
      const t = at('10:05:00', i);
      err.push(apacheErr(t, 100 + i, 'proxy:error', 'AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (127.0.0.1:9000) failed', { errno: '(111)Connection refused', tid: 10 + i }));
      err.push(apacheErr(t, 130 + i, 'proxy_fcgi:error', 'AH01079: failed to make connection to backend: 127.0.0.1', { client: cl, tid: 10 + i }));
      acc.push(apacheAccess(t, cl, 'GET /index.php HTTP/1.1', 503));
    });
    const { report } = await analyzeFiles({ 'access.log': acc, 'error.log': err }, 'UTC');
    const c = cause(report, 'upstream-down');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.byStatus).toEqual({ 503: 3 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(c?.upstreams).toContain('127.0.0.1:9000');
    expect(c?.variant).toBe('refused');
    expect(c?.missingSources).toContain('PHP-FPM log');
  });

  it('errno 2 on an old socket path (plain combined access log) → variant socket-missing with the listen/fastcgi_pass fix', async () => {
    const old = 'unix:/run/php/php7.4-fpm.sock';
    const { report } = await analyzeFiles(
      {
        'access.log': reqs.map((r, i) => combined(at('10:10:00', i * 20), '203.0.113.9', r, 502)),
        'error.log': reqs.map((r, i) => connectFail(at('10:10:00', i * 20), '2: No such file or directory', '203.0.113.9', r, old, 'crit')),
      },
      'UTC',
    );
    const c = cause(report, 'upstream-down');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.variant).toBe('socket-missing');
    expect(c?.fix.directives).toEqual(expect.arrayContaining([expect.objectContaining({ set: 'fastcgi_pass', to: 'unix:/run/php/php7.4-fpm.sock' })]));
  });

  it('does not fire for look-alikes: errno 11 (busy), 13 (permission), 99 (ports)', async () => {
    for (const [errno, peer] of [
      ['11: Resource temporarily unavailable', SOCK],
      ['13: Permission denied', SOCK],
      ['99: Cannot assign requested address', '127.0.0.1:9000'],
    ] as const) {
      const { report } = await analyzeFiles(
        {
          'access.log': [access('10:00:01', '203.0.113.7', 'GET /checkout HTTP/1.1', 502, { rt: 0.001 })],
          'error.log': [connectFail('10:00:01', errno, '203.0.113.7', 'GET /checkout HTTP/1.1', peer)],
        },
        'UTC',
      );
      expect(cause(report, 'upstream-down'), errno).toBeUndefined();
    }
  });

  it('stays quiet when the refused server was retried and the client got a 200', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:00:31', '203.0.113.7', 'GET /api/items HTTP/1.1', 200, { ua: '10.0.0.11:8080, 10.0.0.12:8080', us: '502, 200' })],
        'error.log': [connectFail('10:00:31', REFUSED, '203.0.113.7', 'GET /api/items HTTP/1.1', '10.0.0.11:8080', 'error', 'http://10.0.0.11:8080/api/items')],
      },
      'UTC',
    );
    expect(cause(report, 'upstream-down')).toBeUndefined();
  });
});
