import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, background, cause, fpm, phpLog, stderr } from './app-lines.js';

const refused =
  'PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:70';

describe('database-unavailable', () => {
  it('joins FastCGI-stderr PDO "Connection refused" to each 500 (variant refused, 0.9)', async () => {
    const reqs = ['GET /orders HTTP/2.0', 'GET /orders/17 HTTP/2.0', 'POST /cart HTTP/2.0'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...reqs.map((r, i) => access(`10:02:0${i}`, '203.0.113.81', r, 500, { rt: 0.02 })), ...background(3, 4)],
        'error.log': reqs.map((r, i) => stderr(`10:02:0${i}`, '203.0.113.81', r, refused)),
      },
      'UTC',
    );
    const c = cause(report, 'database-unavailable');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.byStatus).toEqual({ 500: 3 });
    expect(c?.confidence).toBeCloseTo(0.9, 2);
    expect(c?.variant).toBe('refused');
    expect(c?.fix.directives.map((d) => d.set)).toContain('bind-address / port');
    // the uncaught exception is a dependency failure: not php-fatal-error's
    expect(cause(report, 'php-fatal-error')).toBeUndefined();
  });

  it('gives each of several identical requests of one client in one second its own line', async () => {
    const req = 'GET /shop/catalog.php?cat=1 HTTP/1.1';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...[0, 1, 2].map(() => access('10:02:01', '127.0.0.1', req, 500, { rt: 0.001 }))],
        'error.log': [0, 1, 2].map(() => stderr('10:02:01', '127.0.0.1', req, refused)),
      },
      'UTC',
    );
    const c = cause(report, 'database-unavailable');
    expect(c?.affectedRequests).toBe(3);
    expect(cause(report, 'backend-5xx')).toBeUndefined();
  });

  it('pairs PHP error-log "Too many connections" with 500s by time and sizes max_connections from the pools', async () => {
    const times = ['10:02:01', '10:02:02', '10:02:04', '10:02:07'];
    const { report } = await analyzeFiles(
      {
        'access.log': [
          ...background(0, 1),
          ...times.map((t, i) => access(t, `198.51.100.${20 + i}`, `GET /product/${i} HTTP/1.1`, 500, { rt: 0.01 })),
          ...background(3, 4),
        ],
        'error.log': [],
        'php8.2-fpm.log': [
          fpm('10:01:58', 'WARNING', '[pool www] server reached pm.max_children setting (50), consider raising it'),
          fpm('10:01:59', 'WARNING', '[pool shop] server reached pm.max_children setting (60), consider raising it'),
        ],
        'php-error.log': times.map((t) =>
          phpLog(t, 'PHP Fatal error:  Uncaught PDOException: SQLSTATE[08004] [1040] Too many connections in /var/www/app/vendor/doctrine/dbal/src/Driver/PDO/Connection.php:33'),
        ),
      },
      'UTC',
    );
    const c = cause(report, 'database-unavailable');
    expect(c?.affectedRequests).toBe(4);
    expect(c?.variant).toBe('too-many-connections');
    // time join, one explanation per 500: §5.23 clusters by time → 0.7
    expect(c?.confidence).toBeCloseTo(0.7, 2);
    const maxConn = c?.fix.directives.find((d) => d.set === 'max_connections');
    expect(maxConn?.to).toBe(String(110 * 2 + 20));
  });

  it('reads Redis failures out of Apache AH01071 (variant redis-refused)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [
          apacheAccess('10:00:00', '192.0.2.5', 'GET / HTTP/1.1', 200),
          apacheAccess('10:00:02', '203.0.113.7', 'GET /shop/ HTTP/1.1', 500),
          apacheAccess('10:00:30', '192.0.2.6', 'GET / HTTP/1.1', 200),
        ],
        'error.log': [
          apacheErr(
            '10:00:02',
            'proxy_fcgi:error',
            "AH01071: Got error 'PHP message: PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/html/wp-content/object-cache.php:754'",
            '203.0.113.7',
          ),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'database-unavailable');
    expect(c?.rank).toBe(1);
    expect(c?.variant).toBe('redis-refused');
    expect(c?.byStatus).toEqual({ 500: 1 });
    expect(c?.fix.directives[0]?.file).toMatch(/redis\.conf/);
  });

  it('steps back when the kernel OOM-killed mysqld just before (oom-killer is the root)', async () => {
    const req = 'GET /blog/ HTTP/1.1';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:05', '203.0.113.9', req, 500, { rt: 0.02 })],
        'error.log': [stderr('10:02:05', '203.0.113.9', req, "PHP Warning:  mysqli_real_connect(): (HY000/2002): Connection refused in /var/www/html/wp-includes/class-wpdb.php on line 1982")],
        'kern.log': [
          'Jan 12 10:02:00 web1 kernel: [812345.678901] Out of memory: Killed process 913 (mysqld) total-vm:2523456kB, anon-rss:1612340kB, file-rss:0kB, shmem-rss:0kB, UID:112 pgtables:4480kB oom_score_adj:0',
        ],
      },
      'UTC',
    );
    const c = cause(report, 'database-unavailable');
    // either oom-killer takes the 500 (when it credits the database kill), or this rule keeps it below 0.85
    if (c && c.affectedRequests > 0) expect(c.confidence).toBeLessThanOrEqual(0.8);
    expect(c?.fix.summary ?? '').toMatch(/OOM killer killed mysqld/);
  });

  it('keeps explaining 500s when a long outage overflows the per-signature cap of the digest', async () => {
    // 20 000 lines are kept per signature; the rest are only counted
    const n = 20_600;
    const acc: string[] = [];
    const log: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = Math.floor(i / 10);
      const hms = `1${Math.floor(t / 3600)}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
      acc.push(access(hms, `198.51.100.${i % 200}`, `GET /p/${i} HTTP/1.1`, 500, { rt: 0.01 }));
      log.push(phpLog(hms, 'PHP Warning:  mysqli_real_connect(): (HY000/2002): Connection refused in /var/www/html/wp-includes/class-wpdb.php on line 1982'));
    }
    const { report } = await analyzeFiles({ 'access.log': acc, 'php-error.log': log }, 'UTC');
    const c = cause(report, 'database-unavailable');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(n);
  }, 60_000);

  it.each([
    [
      'a lock wait timeout (contention, not availability)',
      'PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000]: General error: 1205 Lock wait timeout exceeded; try restarting transaction in /var/www/app/vendor/laravel/framework/src/Illuminate/Database/Connection.php:580',
    ],
    ['an uncaught application exception', 'PHP Fatal error:  Uncaught TypeError: App\\Money::add(): Argument #1 ($x) must be of type int, string given in /var/www/app/app/Money.php:12'],
    ['a memory limit', 'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/app/app/Export.php on line 88'],
  ])('does not fire on a look-alike: %s', async (_n, message) => {
    const req = 'POST /checkout HTTP/2.0';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:01', '203.0.113.7', req, 500, { rt: 0.5 })],
        'error.log': [stderr('10:02:01', '203.0.113.7', req, message)],
      },
      'UTC',
    );
    expect(cause(report, 'database-unavailable')).toBeUndefined();
  });
});
