import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { analyzeDir } from '../analyze-helpers.js';

describe('HTML report for several hosts', () => {
  it('shows each host with its 5xx and causes', async () => {
    const { report } = await analyzeDir(join(process.cwd(), 'fixtures/fleet/syslog'), 'UTC');
    const html = renderHtml(report);
    expect(report.hosts.map((h) => h.host).sort()).toEqual(['web1', 'web2']);
    const section = /<section id="hosts">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    for (const h of report.hosts) {
      expect(section).toContain(`<code>${h.host}</code></td><td>${h.errors5xx}</td>`);
      for (const c of h.causes) expect(section).toContain(`${c.id} (${c.requests})`);
    }
  });
});
