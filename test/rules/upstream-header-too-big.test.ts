import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, background, cause, FCGI_SOCK, ngx } from './web-lines.js';

const big = (hms: string, client: string, request: string, upstream = FCGI_SOCK): string =>
  ngx(hms, 'error', 'upstream sent too big header', { client, request, action: 'reading response header from upstream', upstream });

describe('upstream-header-too-big', () => {
  it('nginx FastCGI: joined per request → fastcgi_buffer_size fix', async () => {
    const reqs = ['GET /?add-to-cart=12 HTTP/1.1', 'GET /?add-to-cart=15 HTTP/1.1', 'GET /?add-to-cart=12 HTTP/1.1'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 2), ...reqs.map((r, i) => access(`10:01:1${i}`, '198.51.100.20', r, 502, { rt: 0.21 }))],
        'error.log': reqs.map((r, i) => big(`10:01:1${i}`, '198.51.100.20', r)),
      },
      'UTC',
    );
    const c = cause(report, 'upstream-header-too-big');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.byStatus).toEqual({ 502: 3 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(c?.variant).toBe('fastcgi-buffer');
    expect(c?.fix.directives.map((d) => d.set)).toEqual(expect.arrayContaining(['fastcgi_buffer_size', 'fastcgi_buffers']));
  });

  it('nginx proxy_pass backend → proxy_buffer_size fix', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [access('10:01:10', '198.51.100.20', 'GET /sso/callback HTTP/1.1', 502, { ua: '10.0.0.5:8080' })],
        'error.log': [big('10:01:10', '198.51.100.20', 'GET /sso/callback HTTP/1.1', 'http://10.0.0.5:8080/sso/callback')],
      },
      'UTC',
    );
    const c = cause(report, 'upstream-header-too-big');
    expect(c?.variant).toBe('proxy-buffer');
    expect(c?.fix.directives.map((d) => d.set)).toContain('proxy_buffer_size');
  });

  it('Apache AH10124 + AH01106 → header-too-big, not upstream-invalid-response', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [apacheAccess('10:01:02', '192.0.2.8', 'GET /legacy/ HTTP/1.1', 502)],
        'error.log': [
          apacheErr('10:01:02', 120, 'proxy_http:warn', "AH10124: header size is over the limit allowed by ResponseFieldSize (8192 bytes). Bad response header: 'Set-Cookie: session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa[...]'", { client: '192.0.2.8' }),
          apacheErr('10:01:02', 150, 'proxy_http:error', 'AH01106: bad HTTP/1.1 header returned by /legacy/ (GET)', { client: '192.0.2.8' }),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'upstream-header-too-big');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.fix.summary).toMatch(/8192 bytes/);
    expect(cause(report, 'upstream-invalid-response')).toBeUndefined();
  });

  it('does not fire on an invalid header (a malformed one, not a big one)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [access('10:01:10', '198.51.100.20', 'GET / HTTP/1.1', 502)],
        'error.log': [
          ngx('10:01:10', 'error', 'upstream sent invalid header: "X-Debug\\x01..."', {
            client: '198.51.100.20',
            request: 'GET / HTTP/1.1',
            action: 'reading response header from upstream',
            upstream: FCGI_SOCK,
          }),
        ],
      },
      'UTC',
    );
    expect(cause(report, 'upstream-header-too-big')).toBeUndefined();
    expect(cause(report, 'upstream-invalid-response')?.rank).toBe(1);
  });
});
