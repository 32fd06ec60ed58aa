import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, background, cause, ngx } from './web-lines.js';

describe('webserver-config-error', () => {
  it('try_files loop to a missing /index.php → 500s joined, variant redirect-cycle, try_files fix', async () => {
    const reqs = ['GET /about/ HTTP/1.1', 'GET /shop/ HTTP/1.1', 'GET /blog/hello-world/ HTTP/1.1'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 2), ...reqs.map((r, i) => access(`10:01:0${i}`, '192.0.2.90', r, 500, { rt: 0, ua: '-', urt: '-' }))],
        'error.log': reqs.map((r, i) => ngx(`10:01:0${i}`, 'error', 'rewrite or internal redirection cycle while internally redirecting to "/index.php"', { client: '192.0.2.90', request: r })),
      },
      'UTC',
    );
    const c = cause(report, 'webserver-config-error');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.byStatus).toEqual({ 500: 3 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(c?.variant).toBe('redirect-cycle');
    expect(c?.fix.directives.map((d) => d.set)).toContain('try_files');
  });

  it('Apache AH01144 (no proxy_fcgi handler) → 500 with LoadModule fix', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [apacheAccess('10:00:01', '198.51.100.142', 'GET /index.php HTTP/1.1', 500)],
        'error.log': [
          apacheErr(
            '10:00:01',
            303,
            'proxy:warn',
            "AH01144: No protocol handler was valid for the URL /index.php (scheme 'fcgi'). If you are using a DSO version of mod_proxy, make sure the proxy submodules are included in the configuration using LoadModule.",
            { client: '198.51.100.142' },
          ),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'webserver-config-error');
    expect(c?.variant).toBe('no-handler');
    expect(c?.fix.directives.map((d) => d.set)).toContain('LoadModule proxy_fcgi_module');
  });

  it('a failed reload ([emerg] unknown directive) while traffic continues is not a cause', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': background(0, 4),
        'error.log': ['2026/01/12 10:02:00 [emerg] 4410#4410: unknown directive "fastcgi_pas" in /etc/nginx/sites-enabled/shop.conf:31'],
      },
      'UTC',
    );
    expect(cause(report, 'webserver-config-error')).toBeUndefined();
  });

  it('a PHP 500 without a web-server config line is not claimed', async () => {
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), access('10:00:31', '203.0.113.7', 'GET / HTTP/1.1', 500, { us: 500 })], 'error.log': [] },
      'UTC',
    );
    expect(cause(report, 'webserver-config-error')).toBeUndefined();
  });
});
