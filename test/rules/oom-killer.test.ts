import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, exited, fpm, kern, oomKill, premature, refused, reset, stderr } from './fpm-lines.js';

const EXPORT = 'GET /export?format=csv HTTP/1.1';
const SHOP = 'GET /shop/?orderby=price HTTP/2.0';

/** Appendix B1: kernel kill, FPM SIGKILL exit of the same pid, nginx close of the request that worker served. */
function b1(opts: { kernel?: 'kill' | 'quiet' | 'none'; fpmPid?: number; kernelPid?: number } = {}): Record<string, string[]> {
  const files: Record<string, string[]> = {
    'access.log': [...background(0, 2), access('10:01:04', '203.0.113.7', EXPORT, 502, { rt: 12.004 }), ...background(3, 4)],
    'error.log': [premature('10:01:04', '203.0.113.7', EXPORT)],
    'php8.2-fpm.log': [
      fpm('09:00:00', 'NOTICE', 'fpm is running, pid 902'),
      fpm('09:00:00', 'NOTICE', 'ready to handle connections'),
      exited('10:01:04', opts.fpmPid ?? 12345, 'on signal 9 (SIGKILL)'),
      fpm('10:01:04', 'NOTICE', '[pool www] child 12399 started'),
    ],
  };
  const kernel = opts.kernel ?? 'kill';
  if (kernel !== 'none') {
    files['kern.log'] = [
      kern('09:00:00', 'EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro'),
      ...(kernel === 'kill' ? [kern('10:01:04', 'php-fpm8.2 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0'), oomKill('10:01:04', opts.kernelPid ?? 12345)] : []),
      kern('11:00:00', 'EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro'),
    ];
  }
  return files;
}

describe('oom-killer', () => {
  it('B1: kernel kill = FPM SIGKILL exit (same pid) = nginx close → 0.95, variant worker', async () => {
    const { report } = await analyzeFiles(b1(), 'UTC');
    const c = cause(report, 'oom-killer');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.byStatus).toEqual({ 502: 1 });
    expect(c?.confidence).toBeCloseTo(0.95, 2);
    expect(c?.variant).toBe('worker');
    expect(c?.missingSources).toBeUndefined();
    expect(c?.evidence.some((e) => e.why === 'same pid' && /Killed process 12345/.test(e.text))).toBe(true);
    expect(c?.fix.directives.find((d) => d.set === 'pm.max_children')?.to).toMatch(/598 MB/);
    expect(affected(report, 'upstream-reset')).toBe(0);
  });

  it('pid namespaces differ (container): same comm and time → 0.85', async () => {
    const { report } = await analyzeFiles(b1({ fpmPid: 47, kernelPid: 812345 }), 'UTC');
    const c = cause(report, 'oom-killer');
    expect(c?.rank).toBe(1);
    expect(c?.confidence).toBeCloseTo(0.85, 2);
  });

  it('SIGKILL without any kernel log → suspected, 0.5, asks for the kernel log', async () => {
    const { report } = await analyzeFiles(b1({ kernel: 'none' }), 'UTC');
    const c = cause(report, 'oom-killer');
    expect(c?.affectedRequests).toBe(1);
    expect(c?.confidence).toBeCloseTo(0.5, 2);
    expect(c?.missingSources).toEqual(['kernel log']);
  });

  it('must not fire when the kernel log covers the moment and shows no kill (external SIGKILL)', async () => {
    const { report } = await analyzeFiles(b1({ kernel: 'quiet' }), 'UTC');
    expect(cause(report, 'oom-killer')).toBeUndefined();
    const crash = cause(report, 'fpm-worker-crash');
    expect(crash?.variant).toBe('external-sigkill');
    expect(crash?.confidence).toBeCloseTo(0.5, 2);
  });

  it('must not take a SIGKILL inside a reload window (the reload escalates QUIT → TERM → KILL)', async () => {
    const files = b1({ kernel: 'quiet' });
    files['php8.2-fpm.log'] = [
      fpm('09:00:00', 'NOTICE', 'fpm is running, pid 902'),
      fpm('10:01:03', 'NOTICE', 'Reloading in progress ...'),
      exited('10:01:04', 12345, 'on signal 9 (SIGKILL)'),
      fpm('10:01:04', 'NOTICE', 'fpm is running, pid 902'),
      fpm('10:01:04', 'NOTICE', 'ready to handle connections'),
    ];
    const { report } = await analyzeFiles(files, 'UTC');
    expect(cause(report, 'oom-killer')).toBeUndefined();
    expect(cause(report, 'fpm-restart')?.affectedRequests).toBe(1);
  });

  it('pairs one kill with one close: the second close in the same second stays residual', async () => {
    const files = b1();
    files['access.log'] = [...background(0, 2), access('10:01:04', '203.0.113.7', EXPORT, 502, { rt: 12.004 }), access('10:01:05', '198.51.100.9', SHOP, 502, { rt: 3.2 }), ...background(3, 4)];
    files['error.log'] = [premature('10:01:04', '203.0.113.7', EXPORT), reset('10:01:05', '198.51.100.9', SHOP)];
    const { report } = await analyzeFiles(files, 'UTC');
    expect(affected(report, 'oom-killer')).toBe(1);
    expect(affected(report, 'upstream-reset')).toBe(1);
  });

  it('master killed: refused connects until FPM is back are the kill’s (variant master)', async () => {
    const clients = ['198.51.100.20', '198.51.100.21', '198.51.100.22', '198.51.100.23'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...clients.map((c, i) => access(`10:02:0${i * 2 + 1}`, c, SHOP, 502, { rt: 0, urt: 0 })), ...background(3, 4)],
        'error.log': clients.map((c, i) => refused(`10:02:0${i * 2 + 1}`, c, SHOP)),
        'php8.2-fpm.log': [fpm('09:00:00', 'NOTICE', 'fpm is running, pid 902'), fpm('10:02:30', 'NOTICE', 'fpm is running, pid 4410'), fpm('10:02:30', 'NOTICE', 'ready to handle connections')],
        'kern.log': [kern('09:00:00', 'EXT4-fs (sda1): re-mounted.'), oomKill('10:02:00', 902, 'php-fpm8.2', 20480), kern('11:00:00', 'EXT4-fs (sda1): re-mounted.')],
      },
      'UTC',
    );
    const c = cause(report, 'oom-killer');
    expect(c?.rank).toBe(1);
    expect(c?.variant).toBe('master');
    expect(c?.affectedRequests).toBe(4);
    expect(c?.confidence).toBeCloseTo(0.9, 2);
  });

  it('database killed: the refused 500s that follow are credited to the kill (variant database)', async () => {
    const req = (i: number): string => `GET /account/${i} HTTP/2.0`;
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...[1, 2, 3].map((i) => access(`10:02:1${i}`, `203.0.113.${40 + i}`, req(i), 500, { rt: 0.02 })), ...background(3, 4)],
        'error.log': [1, 2, 3].map((i) => stderr(`10:02:1${i}`, `203.0.113.${40 + i}`, req(i), 'PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:65')),
        'kern.log': [kern('09:00:00', 'EXT4-fs (sda1): re-mounted.'), oomKill('10:02:09', 1311, 'mysqld', 2812340), kern('11:00:00', 'EXT4-fs (sda1): re-mounted.')],
      },
      'UTC',
    );
    const c = cause(report, 'oom-killer');
    expect(c?.rank).toBe(1);
    expect(c?.variant).toBe('database');
    expect(c?.affectedRequests).toBe(3);
    expect(affected(report, 'database-unavailable')).toBe(0);
  });
});
