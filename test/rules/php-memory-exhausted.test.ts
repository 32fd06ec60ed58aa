import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, exited, fpm, oomKill, phpLog, premature, stderr } from './fpm-lines.js';

const EXPORT = 'GET /wp-admin/admin.php?page=export HTTP/1.1';
const MEM = (file = '/var/www/html/wp-content/plugins/big-export/export.php', tried = 20480): string =>
  `PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate ${tried} bytes) in ${file} on line 212`;

describe('php-memory-exhausted', () => {
  it('B4: FastCGI stderr joined to its 500 → 0.95, culprit plugin, limit in the note', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:02', '203.0.113.7', EXPORT, 500, { rt: 3.12 }), ...background(3, 4)],
        'error.log': [stderr('10:02:02', '203.0.113.7', EXPORT, MEM())],
      },
      'UTC',
    );
    const c = cause(report, 'php-memory-exhausted');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.byStatus).toEqual({ 500: 1 });
    expect(c?.confidence).toBeCloseTo(0.95, 2);
    expect(c?.culprits).toEqual([{ kind: 'wordpress-plugin', name: 'big-export', count: 1 }]);
    expect(c?.fix.summary).toMatch(/memory_limit is 128 MB.*grew gradually/);
    expect(c?.fix.directives[0]?.to).toMatch(/^256M/);
  });

  it('PHP error log only (no request keys): joins the one 500 that ended then → 0.7', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:02', '203.0.113.7', EXPORT, 500, { rt: 3.12 }), ...background(3, 4)],
        'php_errors.log': [phpLog('10:02:02', MEM())],
      },
      'UTC',
    );
    const c = cause(report, 'php-memory-exhausted');
    expect(c?.affectedRequests).toBe(1);
    expect(c?.confidence).toBeCloseTo(0.7, 2);
  });

  it('two 500s in the same second and one error-log line: 0.5 for each', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [
          ...background(0, 1),
          access('10:02:02', '203.0.113.7', EXPORT, 500, { rt: 3.12 }),
          access('10:02:02', '203.0.113.8', 'GET /feed/ HTTP/1.1', 500, { rt: 0.4 }),
          ...background(3, 4),
        ],
        'php_errors.log': [phpLog('10:02:02', MEM())],
      },
      'UTC',
    );
    expect(cause(report, 'php-memory-exhausted')?.confidence).toBeCloseTo(0.5, 2);
  });

  it('a memory fatal after headers were sent (status 200) is a hidden failure, reported without 5xx', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:02', '203.0.113.7', EXPORT, 200, { rt: 3.12 }), access('10:02:10', '203.0.113.9', 'GET /x HTTP/1.1', 502, { rt: 1 }), ...background(3, 4)],
        'error.log': [stderr('10:02:02', '203.0.113.7', EXPORT, MEM())],
      },
      'UTC',
    );
    const c = cause(report, 'php-memory-exhausted');
    expect(c?.affectedRequests).toBe(0);
    expect(c?.confidence).toBeCloseTo(0.6, 2);
  });

  it('must not fire on the OS refusing memory ("Out of memory (allocated …)")', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:02', '203.0.113.7', EXPORT, 500, { rt: 3.12 }), ...background(3, 4)],
        'error.log': [stderr('10:02:02', '203.0.113.7', EXPORT, 'PHP Fatal error:  Out of memory (allocated 1054867456 bytes) (tried to allocate 20480 bytes) in /var/www/html/export.php on line 9')],
      },
      'UTC',
    );
    expect(cause(report, 'php-memory-exhausted')).toBeUndefined();
    expect(cause(report, 'host-memory-exhausted')?.rank).toBe(1);
  });

  it('must not fire on a kernel OOM kill of the worker (502, oom-killer)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:02', '203.0.113.7', EXPORT, 502, { rt: 9.1 }), ...background(3, 4)],
        'error.log': [premature('10:02:02', '203.0.113.7', EXPORT)],
        'php8.2-fpm.log': [fpm('09:00:00', 'NOTICE', 'ready to handle connections'), exited('10:02:02', 4711, 'on signal 9 (SIGKILL)')],
        'kern.log': [oomKill('10:02:02', 4711)],
      },
      'UTC',
    );
    expect(cause(report, 'php-memory-exhausted')).toBeUndefined();
    expect(affected(report, 'oom-killer')).toBe(1);
  });
});
