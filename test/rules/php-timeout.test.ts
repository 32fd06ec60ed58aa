import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, exited, fpm, phpLog, premature, stderr, timedOut } from './fpm-lines.js';

const SITEMAP = 'GET /sitemap.xml HTTP/1.1';
const SOFT = 'PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/html/wp-content/plugins/seo-sitemap/build.php on line 77';

describe('php-timeout', () => {
  it('soft: the fatal error in FastCGI stderr joined to its 500 → 0.95, variant soft', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:31', '203.0.113.7', SITEMAP, 500, { rt: 31.2 }), ...background(3, 4)],
        'error.log': [stderr('10:02:31', '203.0.113.7', SITEMAP, SOFT)],
      },
      'UTC',
    );
    const c = cause(report, 'php-timeout');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.byStatus).toEqual({ 500: 1 });
    expect(c?.confidence).toBeCloseTo(0.95, 2);
    expect(c?.variant).toBe('soft');
    expect(c?.culprits[0]?.name).toBe('seo-sitemap');
    expect(c?.fix.directives.find((d) => d.set === 'request_terminate_timeout')?.to).toBe('35s');
  });

  it('soft, from the PHP error log by time → 0.7', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:31', '203.0.113.7', SITEMAP, 500, { rt: 31.2 }), ...background(3, 4)],
        'php_errors.log': [phpLog('10:02:31', SOFT)],
      },
      'UTC',
    );
    expect(cause(report, 'php-timeout')?.confidence).toBeCloseTo(0.7, 2);
  });

  it('hard: exit code 124 joined to the close → 0.85, variant hard', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:32', '203.0.113.7', SITEMAP, 502, { rt: 32.1 }), ...background(3, 4)],
        'error.log': [premature('10:02:32', '203.0.113.7', SITEMAP)],
        'php8.2-fpm.log': [
          fpm('09:00:00', 'NOTICE', 'ready to handle connections'),
          fpm('10:02:32', 'WARNING', '[pool www] child 5120 said into stderr: "Fatal error: Maximum execution time of 30+2 seconds exceeded (terminated) in /var/www/html/wp-content/plugins/seo-sitemap/build.php on line 80"'),
          exited('10:02:32', 5120, 'with code 124', 140.2),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'php-timeout');
    expect(c?.rank).toBe(1);
    expect(c?.variant).toBe('hard');
    expect(c?.byStatus).toEqual({ 502: 1 });
    expect(c?.confidence).toBeCloseTo(0.85, 2);
    expect(affected(report, 'fpm-worker-crash')).toBe(0);
    expect(affected(report, 'upstream-reset')).toBe(0);
  });

  it('must not fire on a 504 after the proxy read timeout (PHP kept running: I/O is not CPU time)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:31', '203.0.113.7', SITEMAP, 504, { rt: 60.001 }), ...background(3, 4)],
        'error.log': [timedOut('10:02:31', '203.0.113.7', SITEMAP)],
      },
      'UTC',
    );
    expect(cause(report, 'php-timeout')).toBeUndefined();
    expect(cause(report, 'upstream-timeout')?.rank).toBe(1);
  });

  it('must not fire on FPM’s request_terminate_timeout', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:31', '203.0.113.7', SITEMAP, 502, { rt: 30.5 }), ...background(3, 4)],
        'error.log': [premature('10:02:31', '203.0.113.7', SITEMAP)],
        'php8.2-fpm.log': [
          fpm('09:00:00', 'NOTICE', 'ready to handle connections'),
          fpm('10:02:31', 'WARNING', '[pool www] child 5121, script \'/var/www/html/index.php\' (request: "GET /index.php") execution timed out (30.500000 sec), terminating'),
          exited('10:02:31', 5121, 'on signal 15 (SIGTERM)'),
        ],
      },
      'UTC',
    );
    expect(cause(report, 'php-timeout')).toBeUndefined();
    expect(cause(report, 'fpm-request-terminated')?.rank).toBe(1);
  });
});
