import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, background, cause, fpm, phpLog, stderr } from './app-lines.js';

const undefinedFn =
  'PHP Fatal error:  Uncaught Error: Call to undefined function sw_fetch_share_counts_legacy() in /var/www/html/wp-content/plugins/social-widget/includes/render.php:42';

describe('php-fatal-error', () => {
  it('joins request-scoped fatal errors to their 500s, with the plugin as culprit', async () => {
    const reqs = [7, 14, 21, 28].map((n) => `GET /index.php?p=${n} HTTP/1.1`);
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...reqs.map((r, i) => access(`10:02:1${i}`, '198.51.100.4', r, 500, { rt: 0.09 })), ...background(3, 4)],
        'error.log': reqs.map((r, i) => stderr(`10:02:1${i}`, '198.51.100.4', r, undefinedFn)),
      },
      'UTC',
    );
    const c = cause(report, 'php-fatal-error');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.byStatus).toEqual({ 500: 4 });
    expect(c?.confidence).toBeCloseTo(0.95, 2);
    expect(c?.variant).toBe('undefined-function');
    expect(c?.culprits).toEqual([{ kind: 'wordpress-plugin', name: 'social-widget', count: 4 }]);
    expect(c?.fix.summary).toContain('Most frequent (4×)');
  });

  it('names the missing extension for an undefined mysqli_connect()', async () => {
    const req = 'GET /legacy/report.php HTTP/1.1';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', req, 500, { rt: 0.01 })],
        'error.log': [stderr('10:02:01', '203.0.113.7', req, 'PHP Fatal error:  Uncaught Error: Call to undefined function mysqli_connect() in /var/www/html/legacy/db.php:14')],
      },
      'UTC',
    );
    const c = cause(report, 'php-fatal-error');
    expect(c?.rank).toBe(1);
    expect(c?.fix.summary).toMatch(/mysql \(php-mysql\) extension/);
    expect(c?.fix.directives[0]).toMatchObject({ set: 'extension', to: 'mysql (php-mysql)' });
  });

  it('pairs PHP error-log parse errors with 500s by time (0.7) and says they started after a reload', async () => {
    const times = ['10:06:01', '10:06:03', '10:06:09'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 5), ...times.map((t, i) => access(t, `192.0.2.${90 + i}`, 'GET / HTTP/1.1', 500, { rt: 0.004 })), ...background(7, 8)],
        'error.log': [],
        'php8.2-fpm.log': [fpm('10:05:58', 'NOTICE', 'Reloading in progress ...'), fpm('10:05:58', 'NOTICE', 'ready to handle connections')],
        'php-error.log': times.map((t) =>
          phpLog(t, 'PHP Parse error:  syntax error, unexpected token "}", expecting ";" in /var/www/html/wp-content/themes/storefront-child/functions.php on line 57'),
        ),
      },
      'UTC',
    );
    const c = cause(report, 'php-fatal-error');
    expect(c?.affectedRequests).toBe(3);
    expect(c?.variant).toBe('parse-error');
    expect(c?.confidence).toBeCloseTo(0.7, 2);
    expect(c?.culprits[0]).toMatchObject({ kind: 'wordpress-theme', name: 'storefront-child' });
    expect(c?.fix.summary).toMatch(/started \d+ s after a PHP-FPM reload/);
  });

  it('still reports fatal errors when no access log was supplied, naming the missing source', async () => {
    const { report } = await analyzeFiles(
      { 'php-error.log': [phpLog('10:02:01', 'PHP Fatal error:  Uncaught Error: Class "Acme\\Billing\\Invoice" not found in /var/www/app/src/Billing/Job.php:31')] },
      'UTC',
    );
    const c = cause(report, 'php-fatal-error');
    expect(c?.affectedRequests).toBe(0);
    expect(c?.variant).toBe('class-not-found');
    expect(c?.missingSources).toEqual(['access log']);
  });

  it('does not pair the FPM log copy of a stderr fatal (catch_workers_output) with a neighbouring 500', async () => {
    const req = 'GET /index.php?p=7 HTTP/1.1';
    const { report } = await analyzeFiles(
      {
        'access.log': [
          ...background(0, 1),
          access('10:02:01', '198.51.100.4', req, 500, { rt: 0.09 }),
          // another 500 a second later that no line explains
          access('10:02:02', '198.51.100.99', 'GET /feed/ HTTP/1.1', 500, { rt: 0.05 }),
        ],
        'error.log': [stderr('10:02:01', '198.51.100.4', req, undefinedFn)],
        'php8.2-fpm.log': [fpm('10:02:01', 'WARNING', `[pool www] child 12348 said into stderr: "NOTICE: PHP message: ${undefinedFn}"`)],
      },
      'UTC',
    );
    const c = cause(report, 'php-fatal-error');
    expect(c?.affectedRequests).toBe(1);
    expect(c?.topPaths).toEqual([{ path: '/index.php', count: 1 }]);
  });

  it('keeps a fatal error on a 200 (display_errors on, headers sent) out of the 5xx causes', async () => {
    const req = 'GET /about HTTP/1.1';
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', req, 200)], 'error.log': [stderr('10:02:01', '203.0.113.7', req, undefinedFn)] },
      'UTC',
    );
    expect(cause(report, 'php-fatal-error')).toBeUndefined();
  });

  it.each([
    ['memory_limit', 'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-content/plugins/big-export/export.php on line 212'],
    ['max_execution_time', 'PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/html/lib/Report.php on line 77'],
    ['the allocator out of memory', 'PHP Fatal error:  Out of memory (allocated 1054867456 bytes) (tried to allocate 20480 bytes) in /var/www/html/vendor/phpoffice/phpspreadsheet/src/PhpSpreadsheet/Cell/Cell.php on line 212'],
    ['a database connection failure', 'PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/app/src/Db.php:22'],
    ['a Redis failure', 'PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/html/wp-content/object-cache.php:754'],
  ])('does not fire on a look-alike: %s', async (_n, message) => {
    const req = 'GET /export HTTP/1.1';
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', req, 500, { rt: 3.1 })], 'error.log': [stderr('10:02:01', '203.0.113.7', req, message)] },
      'UTC',
    );
    expect(cause(report, 'php-fatal-error')).toBeUndefined();
  });
});
