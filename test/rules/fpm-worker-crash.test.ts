import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, exited, fpm, kern, premature, refused, reset } from './fpm-lines.js';

const RESIZE = 'POST /wp-admin/admin-ajax.php?action=imgopt_resize HTTP/2.0';
const FPM_START = [fpm('09:00:00', 'NOTICE', 'fpm is running, pid 902'), fpm('09:00:00', 'NOTICE', 'ready to handle connections')];

function crash(how: string, extra: Record<string, string[]> = {}): Record<string, string[]> {
  return {
    'access.log': [...background(0, 2), access('10:01:10', '203.0.113.50', RESIZE, 502, { rt: 1.02 }), ...background(3, 4)],
    'error.log': [premature('10:01:10', '203.0.113.50', RESIZE)],
    'php8.2-fpm.log': [...FPM_START, exited('10:01:10', 12346, how, 3.120001), fpm('10:01:10', 'NOTICE', '[pool www] child 12400 started')],
    ...extra,
  };
}

describe('fpm-worker-crash', () => {
  it('SIGSEGV exit joined to the close within W-CLOSE → 0.9, variant segv', async () => {
    const { report } = await analyzeFiles(crash('on signal 11 (SIGSEGV - core dumped)'), 'UTC');
    const c = cause(report, 'fpm-worker-crash');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.byStatus).toEqual({ 502: 1 });
    expect(c?.confidence).toBeCloseTo(0.9, 2);
    expect(c?.variant).toBe('segv');
    expect(c?.fix.summary).toMatch(/core dump/);
    expect(affected(report, 'upstream-reset')).toBe(0);
  });

  it('the kernel fault line of the same pid confirms it (0.95) and names the extension', async () => {
    const { report } = await analyzeFiles(
      crash('on signal 11 (SIGSEGV)', {
        'kern.log': [kern('10:01:10', 'php-fpm8.2[12346]: segfault at 18 ip 000055d0c3a1b2c3 sp 00007ffd2f1a0b40 error 4 in opcache.so[7f1a2c400000+1bd000] likely on CPU 1 (core 1, socket 0)')],
      }),
      'UTC',
    );
    const c = cause(report, 'fpm-worker-crash');
    expect(c?.confidence).toBeCloseTo(0.95, 2);
    expect(c?.culprits).toEqual([{ kind: 'php-extension', name: 'opcache', count: 1 }]);
    expect(c?.fix.directives[0]?.set).toMatch(/opcache/);
  });

  it.each([
    ['SIGBUS', 'on signal 7 (SIGBUS)', 'bus'],
    ['SIGABRT', 'on signal 6 (SIGABRT)', 'abort'],
  ])('%s is a crash too', async (_n, how, variant) => {
    const { report } = await analyzeFiles(crash(how), 'UTC');
    expect(cause(report, 'fpm-worker-crash')?.variant).toBe(variant);
  });

  it('a crash storm with an emergency reload owns the reload window’s 5xx, not fpm-restart', async () => {
    const clients = ['198.51.100.31', '198.51.100.32', '198.51.100.33'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), ...clients.map((c, i) => access(`10:02:0${i}`, c, RESIZE, 502, { rt: 0.8 })), access('10:02:05', '198.51.100.34', RESIZE, 502, { rt: 0.4 }), ...background(3, 4)],
        'error.log': [...clients.map((c, i) => reset(`10:02:0${i}`, c, RESIZE)), premature('10:02:05', '198.51.100.34', RESIZE)],
        'php8.2-fpm.log': [
          ...FPM_START,
          ...[0, 1, 2].map((i) => exited(`10:02:0${i}`, 12350 + i, 'on signal 11 (SIGSEGV)', 2.5)),
          fpm('10:02:04', 'WARNING', 'failed processes threshold (3 in 60 sec) is reached, initiating reload'),
          fpm('10:02:04', 'NOTICE', 'Reloading in progress ...'),
          fpm('10:02:06', 'NOTICE', 'fpm is running, pid 902'),
          fpm('10:02:06', 'NOTICE', 'ready to handle connections'),
        ],
      },
      'UTC',
    );
    expect(affected(report, 'fpm-worker-crash')).toBe(4);
    expect(cause(report, 'fpm-worker-crash')?.rank).toBe(1);
    expect(affected(report, 'fpm-restart')).toBe(0);
  });

  it('must not take a SIGTERM that follows "execution timed out … terminating" (fpm-request-terminated)', async () => {
    const files = crash('on signal 15 (SIGTERM)');
    files['php8.2-fpm.log'] = [
      ...FPM_START,
      fpm('10:01:10', 'WARNING', '[pool www] child 12346, script \'/var/www/html/wp-admin/admin-ajax.php\' (request: "POST /wp-admin/admin-ajax.php?action=imgopt_resize") execution timed out (1.020000 sec), terminating'),
      exited('10:01:10', 12346, 'on signal 15 (SIGTERM)'),
    ];
    const { report } = await analyzeFiles(files, 'UTC');
    expect(cause(report, 'fpm-worker-crash')).toBeUndefined();
    expect(affected(report, 'fpm-request-terminated')).toBe(1);
  });

  it('must not take normal recycling (exit code 0) or a crash far from the close', async () => {
    const files = crash('with code 0');
    files['php8.2-fpm.log']?.push(exited('10:01:40', 12360, 'on signal 11 (SIGSEGV)'));
    const { report } = await analyzeFiles(files, 'UTC');
    expect(affected(report, 'fpm-worker-crash')).toBe(0);
    expect(affected(report, 'upstream-reset')).toBe(1);
  });

  it('Apache + mod_proxy_fcgi: AH01067/AH01075 reset joined by client and time → 503 credited to the crash', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [
          '192.0.2.10 - - [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0" 120000',
          '198.51.100.5 - - [12/Jan/2026:10:00:04 +0000] "GET /wp-admin/admin-ajax.php?action=resize HTTP/1.1" 503 299 "-" "Mozilla/5.0" 1101000',
          '192.0.2.11 - - [12/Jan/2026:10:00:09 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0" 120000',
        ],
        'error.log': [
          '[Mon Jan 12 10:00:05.101001 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 198.51.100.5:40112] AH01067: Failed to read FastCGI header',
          '[Mon Jan 12 10:00:05.101101 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890688] (104)Connection reset by peer: [client 198.51.100.5:40112] AH01075: Error dispatching request to : ',
        ],
        'php8.2-fpm.log': [...FPM_START, exited('10:00:05', 12346, 'on signal 11 (SIGSEGV)', 3.120001)],
      },
      'UTC',
    );
    const c = cause(report, 'fpm-worker-crash');
    expect(c?.byStatus).toEqual({ 503: 1 });
    expect(c?.evidence.find((e) => e.via)?.via).toBe('AH01067 Failed to read FastCGI header ← child 12346 SIGSEGV');
  });

  it('refused connects after a crash are not crashes (upstream-down or restart)', async () => {
    const files = crash('on signal 11 (SIGSEGV)');
    files['access.log']?.push(access('10:01:11', '203.0.113.51', RESIZE, 502, { rt: 0, urt: 0 }));
    files['error.log']?.push(refused('10:01:11', '203.0.113.51', RESIZE));
    const { report } = await analyzeFiles(files, 'UTC');
    expect(affected(report, 'fpm-worker-crash')).toBe(1);
  });
});
