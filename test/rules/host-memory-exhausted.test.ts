import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, eagain, fpm, kern, phpLog, stderr } from './fpm-lines.js';

const REPORT = 'GET /reports/annual HTTP/2.0';
const OOM = 'PHP Fatal error:  Out of memory (allocated 1054867456 bytes) (tried to allocate 20480 bytes) in /var/www/app/vendor/phpoffice/phpspreadsheet/src/PhpSpreadsheet/Cell/Cell.php on line 212';

describe('host-memory-exhausted', () => {
  it('"Out of memory (allocated …)" in FastCGI stderr joined to its 500 → 0.95, names the package', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:02', '203.0.113.7', REPORT, 500, { rt: 4.2 }), ...background(3, 4)],
        'error.log': [stderr('10:02:02', '203.0.113.7', REPORT, OOM)],
        'php8.2-fpm.log': [fpm('10:02:03', 'ERROR', 'fork() failed: Cannot allocate memory (12)')],
        'kern.log': [kern('09:00:00', 'EXT4-fs (sda1): re-mounted.'), kern('11:00:00', 'EXT4-fs (sda1): re-mounted.')],
      },
      'UTC',
    );
    const c = cause(report, 'host-memory-exhausted');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.confidence).toBeCloseTo(0.95, 2);
    expect(c?.variant).toBe('php-allocator');
    expect(c?.culprits[0]).toEqual({ kind: 'composer-package', name: 'phpoffice/phpspreadsheet', count: 1 });
    expect(c?.fix.summary).toMatch(/1006 MB/);
    expect(cause(report, 'php-memory-exhausted')).toBeUndefined();
    expect(cause(report, 'oom-killer')).toBeUndefined();
  });

  it('PHP error log only → 0.7', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:02', '203.0.113.7', REPORT, 500, { rt: 4.2 }), ...background(3, 4)],
        'php_errors.log': [phpLog('10:02:02', OOM)],
      },
      'UTC',
    );
    expect(cause(report, 'host-memory-exhausted')?.confidence).toBeCloseTo(0.7, 2);
  });

  it('fork() failures without max_children: the refused connects are memory’s, not the pool’s', async () => {
    const clients = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...clients.map((c, i) => access(`10:02:0${i + 2}`, c, REPORT, 502, { rt: 0, urt: 0 })), ...background(3, 4)],
        'error.log': clients.map((c, i) => eagain(`10:02:0${i + 2}`, c, REPORT)),
        'php8.2-fpm.log': [fpm('10:02:01', 'ERROR', 'fork() failed: Cannot allocate memory (12)'), fpm('10:02:03', 'ERROR', 'fork() failed: Cannot allocate memory (12)')],
      },
      'UTC',
    );
    const c = cause(report, 'host-memory-exhausted');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.variant).toBe('fork');
    expect(affected(report, 'fpm-pool-exhausted')).toBe(0);
  });

  it('must not take them when the pool also reached max_children (the pool was really full)', async () => {
    const clients = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...clients.map((c, i) => access(`10:02:0${i + 2}`, c, REPORT, 502, { rt: 0, urt: 0 })), ...background(3, 4)],
        'error.log': clients.map((c, i) => eagain(`10:02:0${i + 2}`, c, REPORT)),
        'php8.2-fpm.log': [fpm('10:02:00', 'WARNING', '[pool www] server reached pm.max_children setting (5), consider raising it'), fpm('10:02:01', 'ERROR', 'fork() failed: Cannot allocate memory (12)')],
      },
      'UTC',
    );
    expect(affected(report, 'fpm-pool-exhausted')).toBe(3);
    expect(affected(report, 'host-memory-exhausted')).toBe(0);
  });

  it('must not fire on memory_limit fatals', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:02', '203.0.113.7', REPORT, 500, { rt: 4.2 }), ...background(3, 4)],
        'error.log': [stderr('10:02:02', '203.0.113.7', REPORT, 'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/app/Export.php on line 3')],
      },
      'UTC',
    );
    expect(cause(report, 'host-memory-exhausted')).toBeUndefined();
  });
});
