import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { apacheAccess, apacheErr, background, cause, kern } from './web-lines.js';

describe('webserver-worker-crash', () => {
  it('nginx worker SIGSEGV + kernel fault in a module (same pid) → event finding, variant segv, module culprit', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1, 1), ...background(3, 4, 1)],
        'error.log': ['2026/01/12 10:02:00 [alert] 980#980: worker process 1234 exited on signal 11 (core dumped)'],
        'kern.log': [kern('10:02:00', 'nginx[1234]: segfault at 0 ip 00007f1a2c4a1b2c sp 00007ffd2f1a0c00 error 4 in ngx_http_geoip2_module.so[7f1a2c480000+5c000]')],
      },
      'UTC',
    );
    const c = cause(report, 'webserver-worker-crash');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(0);
    expect(c?.confidence).toBeGreaterThanOrEqual(0.7);
    expect(c?.confidence).toBeLessThanOrEqual(0.9);
    expect(c?.variant).toBe('segv');
    expect(c?.culprits).toEqual([{ kind: 'nginx-module', name: 'ngx_http_geoip2_module.so', count: 1 }]);
    expect(c?.fix.directives.map((d) => d.set)).toContain('worker_rlimit_core');
    expect(c?.fix.summary).toMatch(/no access-log line/);
  });

  it('Apache child segfault (AH00052, mod_php) → Apache directives', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [apacheAccess('10:00:00', '198.51.100.4', 'GET / HTTP/1.1', 200)],
        'error.log': [apacheErr('10:00:01', 1, 'core:notice', 'AH00052: child pid 4567 exit signal Segmentation fault (11)')],
      },
      'UTC',
    );
    const c = cause(report, 'webserver-worker-crash');
    expect(c?.variant).toBe('segv');
    expect(c?.fix.directives.map((d) => d.set)).toContain('CoreDumpDirectory');
  });

  it('not a crash: graceful exits, SIGTERM, and an OOM kill of nginx (oom-killer owns it)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': background(0, 2),
        'error.log': [
          '2026/01/12 10:00:30 [notice] 980#980: worker process 1236 exited with code 0',
          '2026/01/12 10:00:40 [alert] 980#980: worker process 1237 exited on signal 15',
          '2026/01/12 10:01:00 [alert] 980#980: worker process 1238 exited on signal 9',
        ],
        'kern.log': [kern('10:01:00', 'Out of memory: Killed process 1238 (nginx) total-vm:1023456kB, anon-rss:612340kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:1480kB oom_score_adj:0')],
      },
      'UTC',
    );
    expect(cause(report, 'webserver-worker-crash')).toBeUndefined();
  });
});
