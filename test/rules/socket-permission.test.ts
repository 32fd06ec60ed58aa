import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, background, cause, connectFail, kern, ngx } from './web-lines.js';

const DENIED = '13: Permission denied';

describe('socket-permission', () => {
  it('nginx [crit] errno 13 on the FPM socket → 502s joined, variant socket-mode, pool listen.* fix', async () => {
    const reqs = ['GET / HTTP/1.1', 'GET /shop HTTP/1.1', 'POST /wp-login.php HTTP/1.1'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...reqs.map((r, i) => access(`10:02:0${i}`, '203.0.113.7', r, 502, { rt: 0 }))],
        'error.log': reqs.map((r, i) => connectFail(`10:02:0${i}`, DENIED, '203.0.113.7', r, 'unix:/run/php/php8.2-fpm.sock', 'crit')),
      },
      'UTC',
    );
    const c = cause(report, 'socket-permission');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.byStatus).toEqual({ 502: 3 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(c?.variant).toBe('socket-mode');
    expect(c?.fix.directives).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'listen.mode', to: '0660' })]),
    );
  });

  it('TCP backend with an SELinux AVC denial → variant selinux with setsebool', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [access('10:00:01', '203.0.113.7', 'GET /api/ HTTP/1.1', 502, { rt: 0, ua: '127.0.0.1:8080' })],
        'error.log': [connectFail('10:00:01', DENIED, '203.0.113.7', 'GET /api/ HTTP/1.1', '127.0.0.1:8080', 'crit', 'http://127.0.0.1:8080/api/')],
        'kern.log': [
          kern(
            '10:00:01',
            'audit: type=1400 audit(1768212001.123:456): avc:  denied  { name_connect } for  pid=1234 comm="nginx" dest=8080 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:http_cache_port_t:s0 tclass=tcp_socket permissive=0',
          ),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'socket-permission');
    expect(c?.rank).toBe(1);
    expect(c?.variant).toBe('selinux');
    expect(c?.fix.directives.map((d) => d.set)).toContain('httpd_can_network_connect');
  });

  it('Apache (13)Permission denied AH02454 + AH01079 → 503', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [apacheAccess('10:00:01', '198.51.100.4', 'GET / HTTP/1.1', 503)],
        'error.log': [
          apacheErr('10:00:01', 100, 'proxy:error', 'AH02454: FCGI: attempt to connect to Unix domain socket /run/php/php8.2-fpm.sock (localhost:8000) failed', { errno: '(13)Permission denied' }),
          apacheErr('10:00:01', 140, 'proxy_fcgi:error', 'AH01079: failed to make connection to backend: localhost', { client: '198.51.100.4' }),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'socket-permission');
    expect(c?.byStatus).toEqual({ 503: 1 });
    expect(cause(report, 'upstream-down')).toBeUndefined();
  });

  it('does not claim errno 13 on an nginx temp file (disk-full temp-permission) or a refused connect', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [
          access('10:00:01', '203.0.113.7', 'GET / HTTP/1.1', 502, { rt: 0 }),
          access('10:00:05', '203.0.113.8', 'GET /report.pdf HTTP/1.1', 500, { rt: 0.2 }),
        ],
        'error.log': [
          connectFail('10:00:01', '111: Connection refused', '203.0.113.7', 'GET / HTTP/1.1'),
          ngx('10:00:05', 'crit', 'open() "/var/cache/nginx/fastcgi_temp/3/01/0000000013" failed (13: Permission denied)', {
            client: '203.0.113.8',
            request: 'GET /report.pdf HTTP/1.1',
            action: 'reading upstream',
            upstream: 'fastcgi://unix:/run/php/php8.2-fpm.sock:',
          }),
        ],
      },
      'UTC',
    );
    expect(cause(report, 'socket-permission')).toBeUndefined();
  });
});
