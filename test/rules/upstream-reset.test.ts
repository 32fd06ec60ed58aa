import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, affected, background, cause, exited, fpm, ngx, premature, READ, reset } from './fpm-lines.js';

const PAGE = 'GET /product/waxed-rain-jacket/ HTTP/2.0';
const TCP = 'fastcgi://127.0.0.1:9000';

function closes(n: number, upstream = TCP): { access: string[]; error: string[] } {
  const a: string[] = [];
  const e: string[] = [];
  for (let i = 0; i < n; i++) {
    const hms = `10:02:${String(10 + i * 7).padStart(2, '0')}`;
    a.push(access(hms, `198.51.100.${60 + i}`, PAGE, 502, { rt: 2.4, ua: '127.0.0.1:9000' }));
    e.push(i % 2 ? reset(hms, `198.51.100.${60 + i}`, PAGE, upstream) : premature(hms, `198.51.100.${60 + i}`, PAGE, upstream));
  }
  return { access: a, error: e };
}

const FPM_QUIET = [fpm('09:55:00', 'NOTICE', 'fpm is running, pid 902'), fpm('09:55:00', 'NOTICE', 'ready to handle connections'), exited('10:08:00', 4760, 'with code 0', 3600.1)];

describe('upstream-reset', () => {
  it('§5.27 row 11: the FPM log covers the closes and shows no exit or restart → 0.4, asks for the kernel log', async () => {
    const c4 = closes(4);
    const { report } = await analyzeFiles({ 'access.log': [...background(0, 1), ...c4.access, ...background(3, 4)], 'error.log': c4.error, 'php8.2-fpm.log': FPM_QUIET }, 'UTC');
    const c = cause(report, 'upstream-reset');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.confidence).toBeCloseTo(0.4, 2);
    expect(c?.variant).toBe('no-exit-logged');
    expect(c?.missingSources).toEqual(['kernel log']);
  });

  it('row 12: nothing else supplied → 0.35, asks for the FPM and kernel logs', async () => {
    const c2 = closes(2);
    const { report } = await analyzeFiles({ 'access.log': [...background(0, 1), ...c2.access, ...background(3, 4)], 'error.log': c2.error }, 'UTC');
    const c = cause(report, 'upstream-reset');
    expect(c?.confidence).toBeCloseTo(0.35, 2);
    expect(c?.missingSources).toEqual(['PHP-FPM log', 'kernel log']);
  });

  it('row 10: instant resets of POSTs on a keepalive HTTP backend → keepalive race, 0.6', async () => {
    const req = 'POST /api/orders HTTP/1.1';
    const up = 'http://10.0.0.5:8080/api/orders';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:10', '203.0.113.70', req, 502, { rt: 0.001, urt: 0.0, ua: '10.0.0.5:8080' }), ...background(3, 4)],
        'error.log': [ngx('10:02:10', 'error', 'upstream prematurely closed connection', '203.0.113.70', req, READ, up)],
      },
      'UTC',
    );
    const c = cause(report, 'upstream-reset');
    expect(c?.variant).toBe('keepalive-race');
    expect(c?.confidence).toBeCloseTo(0.6, 2);
    expect(c?.fix.directives[0]?.set).toBe('keepalive_timeout');
  });

  it.each([
    ['a SIGSEGV exit in the same second', [exited('10:02:10', 4711, 'on signal 11 (SIGSEGV)')], 'fpm-worker-crash'],
    ['a reload window', [fpm('10:02:09', 'NOTICE', 'Reloading in progress ...'), fpm('10:02:10', 'NOTICE', 'ready to handle connections')], 'fpm-restart'],
  ])('must leave the close to the deeper cause: %s', async (_n, lines, deeper) => {
    const c1 = closes(1);
    const { report } = await analyzeFiles({ 'access.log': [...background(0, 1), ...c1.access, ...background(3, 4)], 'error.log': c1.error, 'php8.2-fpm.log': [...FPM_QUIET, ...lines] }, 'UTC');
    expect(affected(report, 'upstream-reset')).toBe(0);
    expect(affected(report, deeper)).toBe(1);
  });

  it('must not count a close after the headers were sent (status 200, truncated body)', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:02:10', '198.51.100.60', PAGE, 200, { rt: 2.4 }), ...background(3, 4)],
        'error.log': [ngx('10:02:10', 'error', 'upstream prematurely closed connection', '198.51.100.60', PAGE, 'reading upstream')],
      },
      'UTC',
    );
    expect(cause(report, 'upstream-reset')).toBeUndefined();
  });
});
