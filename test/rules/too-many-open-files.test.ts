import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, background, cause, fpm, ngx, SOCK, stderr } from './app-lines.js';

const UP = `fastcgi://${SOCK}:`;

describe('too-many-open-files', () => {
  it('joins nginx socket()/open() EMFILE lines to their 500s and reports the accept() gap', async () => {
    const acc = [
      ...background(0, 1),
      access('10:02:01', '203.0.113.7', 'GET /checkout HTTP/2.0', 500, { rt: 0.001, urt: '-' }),
      access('10:02:03', '203.0.113.8', 'GET /style.css HTTP/2.0', 500, { rt: 0, urt: '-' }),
      // no access lines while accept() fails (10:02:10 … 10:02:40)
      ...background(3, 4),
    ];
    const err = [
      ngx('10:02:01', 'alert', 'socket() failed (24: Too many open files)', { client: '203.0.113.7', request: 'GET /checkout HTTP/2.0', action: 'connecting to upstream', upstream: UP }),
      ngx('10:02:03', 'crit', 'open() "/var/www/html/style.css" failed (24: Too many open files)', { client: '203.0.113.8', request: 'GET /style.css HTTP/2.0' }),
      ...[10, 15, 22, 28, 35, 40].map((s) => ngx(`10:02:${s}`, 'crit', 'accept4() failed (24: Too many open files) while accepting new connection on 0.0.0.0:443')),
    ];
    const { report } = await analyzeFiles({ 'access.log': acc, 'error.log': err }, 'UTC');
    const c = cause(report, 'too-many-open-files');
    expect(c).toBeDefined();
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(2);
    expect(c?.byStatus).toEqual({ 500: 2 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(c?.variant).toBe('nginx');
    expect(c?.fix.directives.map((d) => d.set)).toContain('worker_rlimit_nofile');
    expect(c?.fix.summary).toMatch(/no access-log line for \d+ s while accept\(\) failed/);
  });

  it('names the descriptor limit from "only N files are available"', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '198.51.100.23', 'GET /cart HTTP/1.1', 500, { rt: 0, urt: '-' })],
        'error.log': [
          ngx('10:02:01', 'alert', 'the new socket has number 1024, but only 1024 files are available', {
            client: '198.51.100.23',
            request: 'GET /cart HTTP/1.1',
            action: 'connecting to upstream',
            upstream: 'fastcgi://127.0.0.1:9000',
          }),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'too-many-open-files');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.fix.summary).toContain('limited to 1024 descriptors');
  });

  it('joins Apache (24) connect failures through the companion AH01079 line (503)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [
          apacheAccess('10:00:00', '192.0.2.5', 'GET / HTTP/1.1', 200),
          apacheAccess('10:00:01', '203.0.113.7', 'GET /shop HTTP/1.1', 503),
          apacheAccess('10:00:30', '192.0.2.6', 'GET / HTTP/1.1', 200),
        ],
        'error.log': [
          apacheErr('10:00:01', 'proxy:error', 'AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (127.0.0.1:9000) failed', undefined, '(24)Too many open files'),
          apacheErr('10:00:01', 'proxy_fcgi:error', 'AH01079: failed to make connection to backend: 127.0.0.1', '203.0.113.7'),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'too-many-open-files');
    expect(c?.rank).toBe(1);
    expect(c?.byStatus).toEqual({ 503: 1 });
    expect(c?.variant).toBe('apache');
    expect(c?.confidence).toBeGreaterThanOrEqual(0.8);
    expect(c?.fix.directives.map((d) => d.set)).toContain('LimitNOFILE');
  });

  it('credits a PHP "Too many open files" fatal on the failed request, with the FPM fix', async () => {
    const req = 'GET /api/export HTTP/1.1';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.30', req, 500, { rt: 0.2 })],
        'error.log': [
          stderr('10:02:01', '203.0.113.30', req, 'PHP Fatal error:  Uncaught ErrorException: fopen(/var/www/app/storage/cache/x.cache): Failed to open stream: Too many open files in /var/www/app/vendor/laravel/framework/src/Illuminate/Filesystem/Filesystem.php:204'),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'too-many-open-files');
    expect(c?.rank).toBe(1);
    expect(c?.variant).toBe('php');
    expect(c?.fix.directives.map((d) => d.set)).toContain('rlimit_files');
    // memory/fatal rules must not take it: the P-FILES row wins the message
    expect(cause(report, 'php-fatal-error')?.affectedRequests ?? 0).toBe(0);
  });

  it('reports an ENFILE system-wide limit with fs.file-max even without 5xx', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': background(0, 3),
        'kern.log': ['Jan 12 10:01:02 web1 kernel: [812340.200001] VFS: file-max limit 65536 reached'],
      },
      'UTC',
    );
    const c = cause(report, 'too-many-open-files');
    expect(c?.affectedRequests).toBe(0);
    expect(c?.variant).toBe('system');
    expect(c?.fix.directives.map((d) => d.set)).toContain('fs.file-max');
  });

  it.each([
    [
      'EAGAIN on the FPM socket (pool exhausted)',
      ngx('10:02:01', 'error', `connect() to ${SOCK} failed (11: Resource temporarily unavailable)`, { client: '203.0.113.7', request: 'GET /checkout HTTP/2.0', action: 'connecting to upstream', upstream: UP }),
      502,
    ],
    [
      'worker_connections are not enough',
      ngx('10:02:01', 'alert', '768 worker_connections are not enough', { client: '203.0.113.7', request: 'GET /checkout HTTP/2.0', action: 'connecting to upstream', upstream: UP }),
      500,
    ],
    [
      'disk full (28) on a body temp file',
      ngx('10:02:01', 'crit', 'pwritev() "/var/lib/nginx/body/0000000123" failed (28: No space left on device)', { client: '203.0.113.7', request: 'GET /checkout HTTP/2.0' }),
      500,
    ],
  ])('does not fire on a look-alike: %s', async (_name, line, status) => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', 'GET /checkout HTTP/2.0', status, { rt: 0, urt: '-' })],
        'error.log': [line],
        'php8.2-fpm.log': [fpm('10:00:00', 'NOTICE', 'ready to handle connections')],
      },
      'UTC',
    );
    expect(cause(report, 'too-many-open-files')).toBeUndefined();
  });
});
