import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, background, cause, ngx } from './web-lines.js';

const poll = 'GET /wp-admin/admin-ajax.php?action=chat_poll HTTP/1.1';

describe('nginx-worker-connections', () => {
  it('upstream slot missing → 500s joined; worker_connections raised from the logged value', async () => {
    const acc: string[] = [];
    const err: string[] = [];
    for (let i = 0; i < 4; i++) {
      acc.push(access(`10:01:0${i}`, `203.0.113.${i + 1}`, poll, 500, { rt: 0, ua: '-', urt: '-' }));
      err.push(ngx(`10:01:0${i}`, 'alert', '16 worker_connections are not enough', { client: `203.0.113.${i + 1}`, request: poll, action: 'connecting to upstream', upstream: 'fastcgi://127.0.0.1:9000' }));
    }
    const { report } = await analyzeFiles({ 'access.log': [...background(0, 2), ...acc], 'error.log': err }, 'UTC');
    const c = cause(report, 'nginx-worker-connections');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(4);
    expect(c?.byStatus).toEqual({ 500: 4 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(c?.fix.directives).toEqual(expect.arrayContaining([expect.objectContaining({ set: 'events { worker_connections }', to: '1024' })]));
  });

  it('dropped client connections (no request, no access line) → reported without 5xx', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': background(0, 2),
        'error.log': [1, 2, 3].map((i) => `2026/01/12 10:01:0${i} [alert] 1234#1234: 768 worker_connections are not enough`),
      },
      'UTC',
    );
    const c = cause(report, 'nginx-worker-connections');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(0);
    expect(c?.confidence).toBeGreaterThanOrEqual(0.7);
    expect(c?.variant).toBe('clients-dropped');
    expect(c?.fix.summary).toMatch(/3 of them client connections dropped/);
  });

  it('the "reusing connections" warning alone is a precursor, not a cause', async () => {
    const { report } = await analyzeFiles(
      { 'access.log': background(0, 2), 'error.log': ['2026/01/12 10:01:01 [warn] 1234#1234: 768 worker_connections are not enough, reusing connections'] },
      'UTC',
    );
    expect(cause(report, 'nginx-worker-connections')).toBeUndefined();
  });
});
