import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, at, background, cause, ngx } from './web-lines.js';

const API = { server: 'api.example.com' };
const noLive = (hms: string, client: string, request: string): string =>
  ngx(hms, 'error', 'no live upstreams', { client, request, action: 'connecting to upstream', upstream: `http://backend${request.split(' ')[1]}`, ...API });

/** two failed requests (both servers each), then `n` no-live refusals inside fail_timeout */
function scenario(failure: (hms: string, client: string, request: string, server: string, conn: number) => string, firstStatus: number, n: number): { access: string[]; error: string[] } {
  const acc: string[] = [];
  const err: string[] = [];
  for (let k = 0; k < 2; k++) {
    const t = at('10:02:00', k);
    const r = `GET /v1/items?page=${k} HTTP/1.1`;
    acc.push(access(t, '203.0.113.7', r, firstStatus, { ua: '10.0.0.11:8080, 10.0.0.12:8080', us: `${firstStatus}, ${firstStatus}` }));
    err.push(failure(t, '203.0.113.7', r, '10.0.0.11:8080', 900 + k), failure(t, '203.0.113.7', r, '10.0.0.12:8080', 900 + k));
  }
  for (let i = 0; i < n; i++) {
    const t = at('10:02:02', i);
    const r = `GET /v1/cart?i=${i} HTTP/1.1`;
    acc.push(access(t, '198.51.100.8', r, 502, { rt: 0, ua: 'backend', us: 502 }));
    err.push(noLive(t, '198.51.100.8', r));
  }
  return { access: [...background(0, 4), ...acc], error: err };
}

describe('no-live-upstreams', () => {
  it('servers marked after refused connects: upstream-down gets the no-live 502s too, no-live is not ranked', async () => {
    const s = scenario(
      (t, c, r, server, conn) => ngx(t, 'error', 'connect() failed (111: Connection refused)', { client: c, request: r, action: 'connecting to upstream', upstream: `http://${server}${r.split(' ')[1]}`, conn, ...API }),
      502,
      5,
    );
    const { report } = await analyzeFiles({ 'access.log': s.access, 'error.log': s.error }, 'UTC');
    const c = cause(report, 'upstream-down');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(7);
    expect(c?.confidence).toBeGreaterThanOrEqual(0.8);
    expect(cause(report, 'no-live-upstreams')).toBeUndefined();
  });

  it('servers marked after timeouts: no-live-upstreams claims the refusals itself and names the marking cause', async () => {
    const s = scenario(
      (t, c, r, server, conn) =>
        ngx(t, 'error', 'upstream timed out (110: Connection timed out)', { client: c, request: r, action: 'reading response header from upstream', upstream: `http://${server}${r.split(' ')[1]}`, conn, ...API }),
      504,
      4,
    );
    const { report } = await analyzeFiles({ 'access.log': s.access, 'error.log': s.error }, 'UTC');
    const c = cause(report, 'no-live-upstreams');
    expect(c?.affectedRequests).toBe(4);
    expect(c?.byStatus).toEqual({ 502: 4 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.55);
    expect(c?.confidence).toBeLessThanOrEqual(0.65);
    expect(c?.variant).toBe('marked-after-failures');
    expect(c?.fix.summary).toContain('upstream-timeout');
  });

  it('no failure in the look-back (down / max_conns) → no-live-upstreams at 0.6', async () => {
    const lines = [0, 1, 2].map((i) => ({ t: at('10:03:00', i), r: `GET /v1/items?p=${i} HTTP/1.1` }));
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 4), ...lines.map((l) => access(l.t, '198.51.100.8', l.r, 502, { rt: 0, ua: 'backend', us: 502 }))],
        'error.log': lines.map((l) => noLive(l.t, '198.51.100.8', l.r)),
      },
      'UTC',
    );
    const c = cause(report, 'no-live-upstreams');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.variant).toBe('no-failures-logged');
    expect(c?.confidence).toBeCloseTo(0.6, 2);
  });

  it('Apache: AH00957 + AH00959 disable the worker, AH00940 refusals (no client) follow → credited to upstream-down', async () => {
    const err = [
      apacheErr('10:00:01', 100, 'proxy:error', 'AH00957: HTTP: attempt to connect to 10.0.0.21:8080 (10.0.0.21:8080) failed', { errno: '(111)Connection refused' }),
      apacheErr('10:00:01', 120, 'proxy:error', 'AH00959: ap_proxy_connect_backend disabling worker for (10.0.0.21:8080) for 60s'),
      apacheErr('10:00:01', 140, 'proxy:error', 'AH01114: HTTP: failed to make connection to backend: 10.0.0.21', { client: '198.51.100.3' }),
      ...[5, 9, 14].map((s, i) => apacheErr(at('10:00:00', s), 200 + i, 'proxy:error', 'AH00940: HTTP: disabled connection for (10.0.0.21:8080)')),
    ];
    const acc = [
      apacheAccess('10:00:01', '198.51.100.3', 'GET /api/a HTTP/1.1', 503),
      ...[5, 9, 14].map((s, i) => apacheAccess(at('10:00:00', s), `198.51.100.${10 + i}`, 'GET /api/b HTTP/1.1', 503)),
    ];
    const { report } = await analyzeFiles({ 'access.log': acc, 'error.log': err }, 'UTC');
    const c = cause(report, 'upstream-down');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.evidence.some((e) => (e.via ?? '').includes('proxy worker disabled'))).toBe(true);
    expect(cause(report, 'no-live-upstreams')).toBeUndefined();
  });
});
