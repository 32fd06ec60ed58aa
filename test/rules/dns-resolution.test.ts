import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, apacheAccess, apacheErr, background, cause, ngx } from './web-lines.js';

describe('dns-resolution', () => {
  it('nginx "php could not be resolved (3: Host not found)" → 502s joined, names the host', async () => {
    const reqs = ['GET / HTTP/1.1', 'GET /about HTTP/1.1', 'GET /contact HTTP/1.1'];
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 2), ...reqs.map((r, i) => access(`10:01:0${i}`, '172.18.0.1', r, 502, { rt: 0.005, ua: '-', urt: '-' }))],
        'error.log': reqs.map((r, i) => ngx(`10:01:0${i}`, 'error', 'php could not be resolved (3: Host not found)', { client: '172.18.0.1', request: r })),
      },
      'UTC',
    );
    const c = cause(report, 'dns-resolution');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(3);
    expect(c?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(c?.variant).toBe('not-found');
    expect(c?.fix.summary).toMatch(/"php" \(3×\)/);
    expect(c?.fix.directives.map((d) => d.set)).toContain('resolver');
  });

  it('Apache 2.4.59+ DNS lookup failure → 500', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [apacheAccess('10:00:01', '198.51.100.9', 'GET /api/ HTTP/1.1', 500)],
        'error.log': [
          apacheErr('10:00:01', 500, 'proxy:error', 'AH00898: DNS lookup failure for: backend.internal returned by /api/', { client: '198.51.100.9', errno: '(EAI 2)Name or service not known' }),
        ],
      },
      'UTC',
    );
    expect(cause(report, 'dns-resolution')?.byStatus).toEqual({ 500: 1 });
  });

  it('startup "host not found in upstream" counts only when nginx then stopped answering', async () => {
    const emerg = '2026/01/12 10:01:00 [emerg] 1#1: host not found in upstream "app-php:9000" in /etc/nginx/conf.d/default.conf:21';
    // an access log that simply ends at that moment may have been cut there: no proof of an outage
    const cut = await analyzeFiles({ 'access.log': background(0, 1), 'error.log': [emerg] }, 'UTC');
    expect(cause(cut.report, 'dns-resolution')).toBeUndefined();
    const gap = await analyzeFiles({ 'access.log': [...background(0, 1), ...background(3, 4)], 'error.log': [emerg] }, 'UTC');
    const g = cause(gap.report, 'dns-resolution');
    expect(g?.variant).toBe('startup');
    expect(g?.affectedRequests).toBe(0);
    const reload = await analyzeFiles({ 'access.log': background(0, 4), 'error.log': [emerg] }, 'UTC');
    expect(cause(reload.report, 'dns-resolution')).toBeUndefined();
  });

  it('"no resolver defined" is a configuration error, not dns-resolution', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [access('10:00:01', '203.0.113.7', 'GET /api/ HTTP/1.1', 502, { ua: '-', urt: '-' })],
        'error.log': [ngx('10:00:01', 'error', 'no resolver defined to resolve backend.internal', { client: '203.0.113.7', request: 'GET /api/ HTTP/1.1' })],
      },
      'UTC',
    );
    expect(cause(report, 'dns-resolution')).toBeUndefined();
    expect(cause(report, 'webserver-config-error')?.variant).toBe('no-resolver');
  });
});
