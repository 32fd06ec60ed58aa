import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { apacheAccess, apacheErr, at, cause } from './web-lines.js';

/** Apache access lines every second from `from` for `n` seconds with %D microseconds. */
function traffic(from: string, n: number, micros: number): string[] {
  return Array.from({ length: n }, (_, i) => apacheAccess(at(from, i), `192.0.2.${(i % 50) + 10}`, `GET /page/${i % 7} HTTP/1.1`, 200, micros));
}

describe('apache-workers-exhausted', () => {
  it('AH00484 with slow 200s and a silence after it → reported without 5xx at ≥ 0.6, says Apache logs no 503', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...traffic('10:00:00', 60, 90_000), ...traffic('10:01:00', 20, 12_000_000), ...traffic('10:02:00', 60, 80_000)],
        'error.log': [
          apacheErr('10:00:58', 1, 'mpm_event:error', 'AH10159: server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting', { tid: 1 }),
          apacheErr('10:01:02', 1, 'mpm_event:error', 'AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting', { tid: 1 }),
        ],
      },
      'UTC',
    );
    const c = cause(report, 'apache-workers-exhausted');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(0);
    expect(c?.confidence).toBeGreaterThanOrEqual(0.6);
    expect(c?.variant).toBe('event');
    expect(c?.fix.summary).toMatch(/not 503s/);
    expect(c?.fix.summary).toMatch(/no line for \d+ s/);
    expect(c?.fix.directives.map((d) => d.set)).toContain('MaxRequestWorkers');
  });

  it('the AH10159 warning alone stays below the reporting threshold', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': traffic('10:00:00', 60, 90_000),
        'error.log': [apacheErr('10:00:30', 1, 'mpm_event:error', 'AH10159: server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting')],
      },
      'UTC',
    );
    expect(cause(report, 'apache-workers-exhausted')).toBeUndefined();
  });

  it('FPM behind Apache being full (AH01079 503s) is not this cause', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...traffic('10:00:00', 30, 90_000), apacheAccess('10:00:31', '198.51.100.4', 'GET /index.php HTTP/1.1', 503)],
        'error.log': [
          apacheErr('10:00:31', 100, 'proxy:error', 'AH02454: FCGI: attempt to connect to Unix domain socket /run/php/php8.2-fpm.sock (localhost:8000) failed', { errno: '(11)Resource temporarily unavailable' }),
          apacheErr('10:00:31', 140, 'proxy_fcgi:error', 'AH01079: failed to make connection to backend: localhost', { client: '198.51.100.4' }),
        ],
      },
      'UTC',
    );
    expect(cause(report, 'apache-workers-exhausted')).toBeUndefined();
  });
});
