import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, exited, fpm, reset, slowEntry, timedOut } from './fpm-lines.js';

const CHECKOUT = 'POST /checkout HTTP/1.1';
const FPM_START = [fpm('09:00:00', 'NOTICE', 'fpm is running, pid 902'), fpm('09:00:00', 'NOTICE', 'ready to handle connections')];
const terminate = (hms: string, pid: number, request = 'POST /index.php', secs = '30.001337'): string =>
  fpm(hms, 'WARNING', `[pool www] child ${pid}, script '/var/www/html/index.php' (request: "${request}") execution timed out (${secs} sec), terminating`);

/** Appendix B3 without the slow log: terminate + SIGTERM exit + nginx reset of a request that ran 30 s. */
function b3(): Record<string, string[]> {
  return {
    'access.log': [...background(0, 1), access('10:02:30', '203.0.113.9', CHECKOUT, 502, { rt: 30.002 }), ...background(3, 4)],
    'error.log': [reset('10:02:30', '203.0.113.9', CHECKOUT)],
    'php8.2-fpm.log': [...FPM_START, terminate('10:02:30', 12347), exited('10:02:30', 12347, 'on signal 15 (SIGTERM)', 600.120001)],
  };
}

describe('fpm-request-terminated', () => {
  it('F-TERMINATE + SIGTERM exit, request started `seconds` before → 0.9', async () => {
    const { report } = await analyzeFiles(b3(), 'UTC');
    const c = cause(report, 'fpm-request-terminated');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(1);
    expect(c?.byStatus).toEqual({ 502: 1 });
    expect(c?.confidence).toBeCloseTo(0.9, 2);
    expect(c?.fix.directives.find((d) => d.set === 'request_terminate_timeout')?.to).toMatch(/^30s/);
    expect(affected(report, 'upstream-reset')).toBe(0);
  });

  it('B3: a slow-log entry of the same worker blocked in curl_exec() makes slow-dependency the root', async () => {
    const files = b3();
    files['slow.log'] = slowEntry('10:02:05', 12347, '/var/www/html/index.php', [
      ['curl_exec', '/var/www/html/wp-content/plugins/stock-sync/src/Api.php', 88],
      ['sync', '/var/www/html/wp-content/plugins/stock-sync/src/Sync.php', 41],
    ]);
    files['php8.2-fpm.log']?.splice(2, 0, fpm('10:02:05', 'WARNING', '[pool www] child 12347, script \'/var/www/html/index.php\' (request: "POST /index.php") executing too slow (5.004120 sec), logging'));
    const { report } = await analyzeFiles(files, 'UTC');
    const slow = cause(report, 'slow-dependency');
    expect(slow?.rank).toBe(1);
    expect(slow?.affectedRequests).toBe(1);
    expect(slow?.variant).toBe('http-call');
    expect(slow?.culprits).toEqual([{ kind: 'wordpress-plugin', name: 'stock-sync', count: 1 }]);
    expect(slow?.confidence).toBeCloseTo(0.8, 2);
    expect(affected(report, 'fpm-request-terminated')).toBe(0);
  });

  it('matches the terminated request by start time and method when several 502s share the second', async () => {
    const files = b3();
    files['access.log'] = [
      ...background(0, 1),
      access('10:02:30', '203.0.113.9', CHECKOUT, 502, { rt: 30.002 }),
      access('10:02:30', '203.0.113.10', 'GET /cart HTTP/1.1', 502, { rt: 0.9 }),
      ...background(3, 4),
    ];
    files['error.log'] = [reset('10:02:30', '203.0.113.10', 'GET /cart HTTP/1.1'), reset('10:02:30', '203.0.113.9', CHECKOUT)];
    const { report, diagnosis } = await analyzeFiles(files, 'UTC');
    expect(affected(report, 'fpm-request-terminated')).toBe(1);
    const credited = [...diagnosis.attribution.entries()].filter(([, id]) => id === 'fpm-request-terminated').map(([i]) => diagnosis.ctx.errors.at(i)?.request);
    expect(credited).toEqual([CHECKOUT]);
  });

  it('the proxy timed out first (504) and FPM terminated the same request later → 0.7 over upstream-timeout', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:20', '203.0.113.9', CHECKOUT, 504, { rt: 20.001 }), ...background(3, 4)],
        'error.log': [timedOut('10:02:20', '203.0.113.9', CHECKOUT)],
        'php8.2-fpm.log': [...FPM_START, terminate('10:02:30', 12347), exited('10:02:30', 12347, 'on signal 15 (SIGTERM)')],
      },
      'UTC',
    );
    const c = cause(report, 'fpm-request-terminated');
    expect(c?.affectedRequests).toBe(1);
    expect(c?.byStatus).toEqual({ 504: 1 });
    expect(c?.confidence).toBeCloseTo(0.7, 2);
    expect(affected(report, 'upstream-timeout')).toBe(0);
  });

  it('must not take a SIGTERM during "Terminating ..." (FPM stop → fpm-restart)', async () => {
    const files = b3();
    files['php8.2-fpm.log'] = [
      ...FPM_START,
      fpm('10:02:29', 'NOTICE', 'Terminating ...'),
      exited('10:02:30', 12347, 'on signal 15 (SIGTERM)'),
      fpm('10:02:30', 'NOTICE', 'exiting, bye-bye!'),
      fpm('10:02:31', 'NOTICE', 'fpm is running, pid 4410'),
      fpm('10:02:31', 'NOTICE', 'ready to handle connections'),
    ];
    const { report } = await analyzeFiles(files, 'UTC');
    expect(cause(report, 'fpm-request-terminated')).toBeUndefined();
    expect(affected(report, 'fpm-restart')).toBe(1);
  });

  it('must not take a terminate whose request started at another time', async () => {
    const files = b3();
    files['access.log'] = [...background(0, 1), access('10:02:30', '203.0.113.9', CHECKOUT, 502, { rt: 2.5 }), ...background(3, 4)];
    const { report } = await analyzeFiles(files, 'UTC');
    expect(affected(report, 'fpm-request-terminated')).toBe(0);
  });
});
