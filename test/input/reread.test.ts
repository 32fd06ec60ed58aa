// A report's evidence shows the failed request's own line even when the digest did not keep it: past the
// first 4 MiB of 5xx lines, the line is read again from its file.
import { describe, expect, it } from 'vitest';
import { RAW_BUDGET } from '../../src/digest/error-table.js';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, timedOut } from '../rules/fpm-lines.js';

describe('evidence lines past the in-memory budget', () => {
  it('are read again from the access log', async () => {
    const early: string[] = [];
    for (let i = 0, bytes = 0; bytes < RAW_BUDGET * 1.2; i++) {
      const t = 9 * 3600 + Math.floor(i / 20);
      const hms = [Math.floor(t / 3600), Math.floor((t % 3600) / 60), t % 60].map((n) => String(n).padStart(2, '0')).join(':');
      early.push(access(hms, `198.51.100.${i % 250}`, `GET /busy/${i} HTTP/1.1`, 500, { rt: 0.02 }));
      bytes += (early[i]?.length ?? 0) + 1;
    }
    const late = access('11:00:30', '203.0.113.50', 'GET /report HTTP/1.1', 504, { rt: 60, urt: 60, us: 504 });
    const { report, digest } = await analyzeFiles({
      'access.log': [...early, late],
      'error.log': [timedOut('11:00:30', '203.0.113.50', 'GET /report HTTP/1.1')],
    });
    const row = digest.errors.length - 1;
    expect(digest.errors.requestAt(row)).toBe('GET /report HTTP/1.1');
    const timeout = report.causes.find((c) => c.id === 'upstream-timeout');
    const failed = timeout?.evidence.find((e) => e.why === 'the failed request');
    expect(failed?.line).toBe(early.length + 1);
    expect(failed?.text).toBe(late);
  });
});
