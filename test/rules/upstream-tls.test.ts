import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, background, cause, ngx } from './web-lines.js';

const UP = 'https://10.0.0.5:443/';

describe('upstream-tls', () => {
  it('expired backend certificate → 502s joined, variant expired, SNI/CA directives', async () => {
    const reqs = ['GET / HTTP/1.1', 'GET /api/status HTTP/1.1', 'GET /api/items HTTP/1.1'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 2), ...reqs.map((r, i) => access(`10:01:0${i}`, '203.0.113.7', r, 502, { rt: 0.01, ua: '10.0.0.5:443' }))],
        'error.log': reqs.map((r, i) =>
          ngx(`10:01:0${i}`, 'error', 'upstream SSL certificate verify error: (10:certificate has expired)', { client: '203.0.113.7', request: r, action: 'SSL handshaking to upstream', upstream: UP }),
        ),
      },
      'UTC',
    );
    const c = cause(report, 'upstream-tls');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(c?.variant).toBe('expired');
    expect(c?.fix.directives.map((d) => d.set)).toEqual(expect.arrayContaining(['proxy_ssl_server_name', 'proxy_ssl_trusted_certificate']));
  });

  it('Apache "Error during SSL Handshake with remote server" → 500, Apache directives only', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [apacheAccess('10:00:01', '198.51.100.9', 'GET /api/ HTTP/1.1', 500)],
        'error.log': [
          apacheErr('10:00:01', 300, 'ssl:info', 'AH02004: SSL Proxy: Peer certificate is expired'),
          apacheErr('10:00:01', 400, 'proxy:error', 'AH00898: Error during SSL Handshake with remote server returned by /api/', { client: '198.51.100.9' }),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'upstream-tls');
    expect(c?.byStatus).toEqual({ 500: 1 });
    expect(c?.variant).toBe('expired');
    expect(c?.fix.directives.every((d) => !d.file.startsWith('nginx'))).toBe(true);
  });

  it('ignores client-side TLS handshake failures', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1)],
        'error.log': [
          ngx('10:00:07', 'error', 'SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking', undefined),
          '2026/01/12 10:00:08 [error] 1234#1234: *99 SSL_do_handshake() failed (SSL: error:0A000102:SSL routines::unsupported protocol) while SSL handshaking, client: 203.0.113.66, server: 0.0.0.0:443',
        ],
      },
      'UTC',
    );
    expect(cause(report, 'upstream-tls')).toBeUndefined();
  });
});
