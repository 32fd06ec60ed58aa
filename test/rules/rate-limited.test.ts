import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, background, cause, ngx } from './web-lines.js';

const BOT = 'python-requests/2.31.0';
const login = 'POST /wp-login.php HTTP/1.1';

describe('rate-limited', () => {
  it('limit_req rejections → 503s joined, zone as culprit, top client and user agent in the note', async () => {
    const acc: string[] = [];
    const err: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = `10:01:1${i}`;
      acc.push(access(t, '203.0.113.66', login, 503, { rt: 0, ua: '-', urt: '-', agent: BOT }));
      err.push(ngx(t, 'error', `limiting requests, excess: ${5 + i}.120 by zone "wplogin"`, { client: '203.0.113.66', request: login }));
    }
    const { report } = await analyzeFiles({ 'access.log': [...background(0, 2), ...acc], 'error.log': err }, 'UTC');
    const c = cause(report, 'rate-limited');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(5);
    expect(c?.byStatus).toEqual({ 503: 5 });
    expect(c?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(c?.culprits).toEqual([{ kind: 'limit-zone', name: 'wplogin', count: 5 }]);
    expect(c?.fix.summary).toContain('203.0.113.66 (5)');
    expect(c?.fix.summary).toContain(BOT);
    expect(c?.fix.directives.map((d) => d.set)).toEqual(expect.arrayContaining(['limit_req_status', 'limit_req zone=wplogin burst']));
  });

  it('dry-run and delaying lines claim nothing; a 503 from the backend stays unexplained by this rule', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:00:31', '203.0.113.66', login, 503, { us: 503 }), access('10:00:32', '203.0.113.67', 'GET /v2/search HTTP/1.1', 200)],
        'error.log': [
          ngx('10:00:31', 'error', 'limiting requests, dry run, excess: 5.120 by zone "wplogin"', { client: '203.0.113.66', request: login }),
          ngx('10:00:32', 'warn', 'delaying request, excess: 0.712, by zone "api_burst"', { client: '203.0.113.67', request: 'GET /v2/search HTTP/1.1' }),
        ],
      },
      'UTC',
    );
    expect(cause(report, 'rate-limited')).toBeUndefined();
  });

  it('limit_conn with a 429 status claims no 5xx and is not reported', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:00:31', '192.0.2.200', 'GET /iso/image.iso HTTP/1.1', 429, { ua: '-', urt: '-' })],
        'error.log': [ngx('10:00:31', 'error', 'limiting connections by zone "addr"', { client: '192.0.2.200', request: 'GET /iso/image.iso HTTP/1.1' })],
      },
      'UTC',
    );
    expect(cause(report, 'rate-limited')).toBeUndefined();
  });
});
