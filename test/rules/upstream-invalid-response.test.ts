import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, background, cause, FCGI_SOCK, ngx } from './web-lines.js';

const hdr = (hms: string, client: string, request: string, message: string, upstream: string): string =>
  ngx(hms, 'error', message, { client, request, action: 'reading response header from upstream', upstream });

describe('upstream-invalid-response', () => {
  it('fastcgi_pass to an HTTP port ("protocol version: 72") → protocol-mismatch, every request to it', async () => {
    const reqs = [1, 2, 3, 4].map((i) => `GET /legacy/orders.php?id=${i} HTTP/1.1`);
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 2), ...reqs.map((r, i) => access(`10:01:2${i}`, '203.0.113.30', r, 502, { rt: 0.002, ua: '127.0.0.1:8080' }))],
        'error.log': reqs.map((r, i) => hdr(`10:01:2${i}`, '203.0.113.30', r, 'upstream sent unsupported FastCGI protocol version: 72', 'fastcgi://127.0.0.1:8080')),
      },
      'UTC',
    );
    const c = cause(report, 'upstream-invalid-response');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(c?.variant).toBe('protocol-mismatch');
    expect(c?.fix.summary).toMatch(/"H" of "HTTP\/1\.1"/);
    expect(c?.upstreams).toContain('127.0.0.1:8080');
  });

  it('an invalid Status from the application → bad-header', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [access('10:01:20', '203.0.113.31', 'GET /maintenance HTTP/1.1', 502)],
        'error.log': [hdr('10:01:20', '203.0.113.31', 'GET /maintenance HTTP/1.1', 'upstream sent invalid status "abc"', FCGI_SOCK)],
      },
      'UTC',
    );
    expect(cause(report, 'upstream-invalid-response')?.variant).toBe('bad-header');
  });

  it('Apache AH01068 bogus version (mod_proxy_fcgi to an HTTP port) → 503 joined', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [apacheAccess('10:00:05', '198.51.100.6', 'GET /index.php HTTP/1.1', 503)],
        'error.log': [
          apacheErr('10:00:05', 200, 'proxy_fcgi:error', 'AH01068: Got bogus version 72', { client: '198.51.100.6' }),
          apacheErr('10:00:05', 230, 'proxy_fcgi:error', 'AH01075: Error dispatching request to : ', { client: '198.51.100.6' }),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'upstream-invalid-response');
    expect(c?.byStatus).toEqual({ 503: 1 });
    expect(c?.variant).toBe('protocol-mismatch');
  });

  it('does not claim framing errors after headers were sent (200, truncated) nor premature closes', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [
          access('10:01:20', '203.0.113.31', 'GET /feed HTTP/1.1', 200),
          access('10:01:30', '203.0.113.32', 'GET /report HTTP/1.1', 502, { rt: 3.1 }),
        ],
        'error.log': [
          ngx('10:01:20', 'error', 'upstream sent invalid chunked response', { client: '203.0.113.31', request: 'GET /feed HTTP/1.1', action: 'reading upstream', upstream: 'http://10.0.0.5:8080/feed' }),
          hdr('10:01:30', '203.0.113.32', 'GET /report HTTP/1.1', 'upstream prematurely closed connection', FCGI_SOCK),
        ],
      },
      'UTC',
    );
    expect(cause(report, 'upstream-invalid-response')).toBeUndefined();
  });
});
