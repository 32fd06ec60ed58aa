import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, at, background, cause, ngx } from './web-lines.js';

describe('client-abort', () => {
  it('499s (even many, even with [info] client-closed lines) never become a ranked cause', async () => {
    const acc: string[] = [];
    const err: string[] = [];
    for (let i = 0; i < 20; i++) {
      const t = at('10:01:00', i);
      const r = `GET /search?q=${i} HTTP/1.1`;
      acc.push(access(t, `203.0.113.${i + 1}`, r, 499, { rt: 30.001, urt: 30.001, us: '-' }));
      err.push(
        ngx(t, 'info', 'client prematurely closed connection, so upstream connection is closed too', {
          client: `203.0.113.${i + 1}`,
          request: r,
          action: 'reading response header from upstream',
          upstream: 'fastcgi://unix:/run/php/php8.2-fpm.sock:',
        }),
      );
    }
    const { report } = await analyzeFiles({ 'access.log': [...background(0, 3), ...acc], 'error.log': err }, 'UTC');
    expect(report.summary.errors5xx).toBe(0);
    expect(cause(report, 'client-abort')).toBeUndefined();
    expect(report.statusMeanings.map((s) => s.status)).toContain(499);
  });

  it('does not take a 5xx next to a client abort', async () => {
    const r = 'GET /report HTTP/1.1';
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:00:31', '203.0.113.7', r, 499, { rt: 12 }), access('10:00:32', '203.0.113.8', r, 502, { rt: 0.01 })],
        'error.log': [ngx('10:00:31', 'info', 'client prematurely closed connection', { client: '203.0.113.7', request: r })],
      },
      'UTC',
    );
    expect(cause(report, 'client-abort')).toBeUndefined();
  });
});
