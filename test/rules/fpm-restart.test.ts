import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, fpm, premature, refused } from './fpm-lines.js';

const REPORT = 'GET /wp-admin/admin.php?page=sales-report HTTP/1.1';
const RELOAD = [
  fpm('10:02:00', 'NOTICE', 'Reloading in progress ...'),
  fpm('10:02:00', 'NOTICE', 'reloading: execvp("/usr/sbin/php-fpm8.2", {"/usr/sbin/php-fpm8.2", "--nodaemonize", "--fpm-config", "/etc/php/8.2/fpm/php-fpm.conf"})'),
  fpm('10:02:00', 'NOTICE', 'using inherited socket fd=7, "/run/php/php8.2-fpm.sock"'),
  fpm('10:02:00', 'NOTICE', 'fpm is running, pid 1011'),
  fpm('10:02:00', 'NOTICE', 'ready to handle connections'),
];
const BOOT = [fpm('09:00:00', 'NOTICE', 'fpm is running, pid 1011'), fpm('09:00:00', 'NOTICE', 'ready to handle connections')];

describe('fpm-restart', () => {
  it('B5: in-flight requests cut by a reload (no exit lines: they are DEBUG) → 0.9, variant reload', async () => {
    const clients = ['203.0.113.7', '203.0.113.8', '203.0.113.9'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...clients.map((c) => access('10:02:00', c, REPORT, 502, { rt: 4.5 })), ...background(3, 4)],
        'error.log': clients.map((c) => premature('10:02:00', c, REPORT)),
        'php8.2-fpm.log': [...BOOT, ...RELOAD],
      },
      'UTC',
    );
    const c = cause(report, 'fpm-restart');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.confidence).toBeCloseTo(0.9, 2);
    expect(c?.variant).toBe('reload');
    expect(c?.fix.directives[0]).toMatchObject({ set: 'process_control_timeout', file: expect.stringContaining('/etc/php/8.2/fpm/php-fpm.conf') });
    expect(affected(report, 'upstream-reset')).toBe(0);
  });

  it('restart: refused connects between "bye-bye" and "ready" belong to the restart, not upstream-down', async () => {
    const clients = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...clients.map((c, i) => access(`10:02:0${i + 1}`, c, REPORT, 502, { rt: 0, urt: 0 })), ...background(3, 4)],
        'error.log': clients.map((c, i) => refused(`10:02:0${i + 1}`, c, REPORT)),
        'php8.2-fpm.log': [
          ...BOOT,
          fpm('10:02:00', 'NOTICE', 'Terminating ...'),
          fpm('10:02:00', 'NOTICE', 'exiting, bye-bye!'),
          fpm('10:02:05', 'NOTICE', 'fpm is running, pid 2044'),
          fpm('10:02:05', 'NOTICE', 'ready to handle connections'),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'fpm-restart');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.variant).toBe('restart');
    expect(affected(report, 'upstream-down')).toBe(0);
  });

  it('must not take refused connects after a stop that no start follows (upstream-down, stopped)', async () => {
    const clients = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...clients.map((c, i) => access(`10:02:0${i + 1}`, c, REPORT, 502, { rt: 0, urt: 0 })), ...background(3, 4)],
        'error.log': clients.map((c, i) => refused(`10:02:0${i + 1}`, c, REPORT)),
        'php8.2-fpm.log': [...BOOT, fpm('10:02:00', 'NOTICE', 'Terminating ...'), fpm('10:02:00', 'NOTICE', 'exiting, bye-bye!')],
      },
      'UTC',
    );
    expect(affected(report, 'fpm-restart')).toBe(0);
    expect(affected(report, 'upstream-down')).toBe(3);
  });

  it('must not report a reload that cut nothing, nor claim a close a minute later', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:03:10', '203.0.113.7', REPORT, 502, { rt: 4.5 }), ...background(3, 4)],
        'error.log': [premature('10:03:10', '203.0.113.7', REPORT)],
        'php8.2-fpm.log': [...BOOT, ...RELOAD],
      },
      'UTC',
    );
    expect(cause(report, 'fpm-restart')).toBeUndefined();
    expect(affected(report, 'upstream-reset')).toBe(1);
  });
});
