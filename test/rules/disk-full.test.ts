import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, background, cause, ngx, phpLog, SOCK, stderr } from './app-lines.js';

const UP = `fastcgi://${SOCK}:`;
const upload = 'POST /wp-admin/async-upload.php HTTP/2.0';

describe('disk-full', () => {
  it('joins nginx body temp-file ENOSPC to the 500 and counts session losses behind 200s', async () => {
    const cart = 'POST /?wc-ajax=get_refreshed_fragments HTTP/2.0';
    const session = [
      'PHP Warning:  Unknown: Write failed: No space left on device (28) in Unknown on line 0',
      'PHP Warning:  Unknown: Failed to write session data (files). Please verify that the current setting of session.save_path is correct (/var/lib/php/sessions) in Unknown on line 0',
    ];
    const { report } = await analyzeFiles(
      {
        'access.log': [
          ...background(0, 1),
          access('10:02:01', '203.0.113.50', upload, 500, { rt: 0.3, urt: '-' }),
          access('10:02:20', '203.0.113.50', upload, 500, { rt: 0.3, urt: '-' }),
          access('10:02:30', '198.51.100.59', cart, 200, { rt: 0.12 }),
          ...background(3, 4),
        ],
        'error.log': [
          ngx('10:02:01', 'crit', 'pwritev() "/var/lib/nginx/body/0000000123" failed (28: No space left on device)', { client: '203.0.113.50', request: upload }),
          ngx('10:02:20', 'crit', 'pwritev() "/var/lib/nginx/body/0000000124" failed (28: No space left on device)', { client: '203.0.113.50', request: upload }),
          stderr('10:02:30', '198.51.100.59', cart, ...session),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'disk-full');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(2);
    expect(c?.byStatus).toEqual({ 500: 2 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(c?.variant).toBe('temp-file');
    expect(c?.fix.directives.map((d) => d.set)).toEqual(expect.arrayContaining(['client_body_temp_path', 'fastcgi_max_temp_file_size']));
    expect(c?.fix.summary).toContain('/var/lib/nginx/body');
    expect(c?.fix.summary).toMatch(/1 more request\(s\) hit the full disk/);
  });

  it('reports session write failures without any 5xx as a hidden failure (variant session)', async () => {
    const reqs = ['POST /cart HTTP/2.0', 'POST /login HTTP/2.0', 'GET /account HTTP/2.0'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 3), ...reqs.map((r, i) => access(`10:02:1${i}`, `198.51.100.${60 + i}`, r, 200))],
        'error.log': reqs.map((r, i) =>
          stderr(`10:02:1${i}`, `198.51.100.${60 + i}`, r, 'PHP Warning:  Unknown: Write failed: No space left on device (28) in Unknown on line 0'),
        ),
      },
      'UTC',
    );
    const c = cause(report, 'disk-full');
    expect(c).toBeDefined();
    expect(c?.affectedRequests).toBe(0);
    expect(c?.variant).toBe('session');
    expect(c?.fix.directives.map((d) => d.set)).toContain('session.save_path');
  });

  it('pairs a PHP error-log ENOSPC fatal with its 500 by time', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.9', 'POST /export HTTP/1.1', 500, { rt: 0.4 }), ...background(3, 4)],
        'error.log': [],
        'php-error.log': [
          phpLog('10:02:01', 'PHP Fatal error:  Uncaught ErrorException: file_put_contents(/var/www/html/wp-content/cache/export.csv): Failed to open stream: No space left on device in /var/www/html/wp-content/plugins/exporter/export.php:96'),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'disk-full');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    // error-log line joined by time, one candidate: §5.2's 0.7 (not the 0.9 of a request-scoped line)
    expect(c?.confidence).toBeGreaterThanOrEqual(0.6);
    expect(c?.confidence).toBeLessThanOrEqual(0.75);
    expect(c?.variant).toBe('php-write');
    // the fatal text is a disk failure: php-fatal-error must not take it
    expect(cause(report, 'php-fatal-error')?.affectedRequests ?? 0).toBe(0);
  });

  it('tells a temp-path permission problem (13) apart, with the ownership fix', async () => {
    const req = 'GET /report.pdf HTTP/1.1';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '192.0.2.45', req, 500, { rt: 0.2 })],
        'error.log': [
          ngx('10:02:01', 'crit', 'open() "/var/cache/nginx/fastcgi_temp/3/01/0000000013" failed (13: Permission denied)', {
            client: '192.0.2.45',
            request: req,
            action: 'reading upstream',
            upstream: UP,
          }),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'disk-full');
    expect(c?.rank).toBe(1);
    expect(c?.variant).toBe('temp-permission');
    expect(c?.fix.directives[0]?.to).toMatch(/owned by the nginx worker user/);
  });

  it.each([
    [
      'open() 13 on a document (an ordinary 403)',
      ngx('10:02:01', 'error', 'open() "/var/www/html/private/index.html" failed (13: Permission denied)', { client: '203.0.113.7', request: 'GET /private/ HTTP/1.1' }),
      403,
    ],
    [
      'too many open files (24)',
      ngx('10:02:01', 'crit', 'open() "/var/www/html/style.css" failed (24: Too many open files)', { client: '203.0.113.7', request: 'GET /private/ HTTP/1.1' }),
      500,
    ],
  ])('does not fire on a look-alike: %s', async (_n, line, status) => {
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', 'GET /private/ HTTP/1.1', status, { rt: 0, urt: '-' })], 'error.log': [line] },
      'UTC',
    );
    expect(cause(report, 'disk-full')).toBeUndefined();
  });
});
