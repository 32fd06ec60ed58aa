// The operator's answers on the insight-* scenarios and the demo: culprit plugin, recurring vs transient,
// traffic context, crawler impact, failing layer and who generated the 5xx.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/pipeline.js';
import { analyzeDir } from '../analyze-helpers.js';

const ROOT = join(__dirname, '../..');

async function scenario(name: string, tz?: string): Promise<Analysis> {
  const dir = join(ROOT, name);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { tz: string };
  return analyzeDir(dir, tz ?? expected.tz);
}

describe('insight-wordpress-plugin-memory: memory exhaustion from one plugin', () => {
  it('names the plugin as the top culprit although some fatal errors point at core and WooCommerce', async () => {
    const { report } = await scenario('fixtures/scenarios/insight-wordpress-plugin-memory');
    const top = report.causes[0];
    expect(top?.id).toBe('php-memory-exhausted');
    expect(top?.affectedRequests).toBe(13);
    expect(top?.culprits[0]).toEqual({ kind: 'wordpress-plugin', name: 'smart-product-feed', count: 9 });
    // the allocation sites are named too, but below the plugin
    expect(top?.culprits.slice(1)).toEqual(
      expect.arrayContaining([
        { kind: 'wordpress-core', name: 'wordpress', count: 3 },
        { kind: 'wordpress-plugin', name: 'woocommerce', count: 1 },
      ]),
    );
    // warnings of other plugins on 200s are not the culprit of the 500s
    expect(top?.culprits.map((c) => c.name)).not.toContain('contact-form-7');
    expect(report.insights.topCulprit).toEqual({ kind: 'wordpress-plugin', name: 'smart-product-feed', count: 9, cause: 'php-memory-exhausted' });
    expect(report.insights.failingLayer).toBe('app');
    expect(report.insights.origin).toMatchObject({ backend: 13, webServer: 0, unknown: 0 });
  });

  it('reports the Googlebot feed fetches that got 500 as crawler impact', async () => {
    const { report } = await scenario('fixtures/scenarios/insight-wordpress-plugin-memory');
    const g = report.insights.crawlers.byCrawler.find((c) => c.crawler === 'Googlebot');
    expect(g).toMatchObject({ errors5xx: 3, byStatus: { 500: 3 }, topPaths: [{ path: '/feed/spf-google-shopping/', count: 3 }] });
  });
});

describe('insight-nightly-db-backup: 5xx every night at 03:00', () => {
  it('is recurring, daily, at 03:00 local time on 4 of 4 nights', async () => {
    const { report } = await scenario('fixtures/scenarios/insight-nightly-db-backup');
    const a = report.insights;
    expect(a.pattern).toBe('recurring');
    expect(a.recurrences).toHaveLength(1);
    expect(a.recurrences[0]).toMatchObject({ kind: 'daily', hour: 3, days: 4, ofDays: 4, occurrences: 4, errors5xx: 13, causes: ['database-unavailable'] });
    expect(a.recurrences[0]?.atLocalTime).toMatch(/^03:0\d$/);
    expect(a.incidents).toHaveLength(4);
    expect(a.incidents.every((i) => i.pattern === 'recurring' && i.recurrence === 0)).toBe(true);
    expect(a.patternSummary).toMatch(/^Recurring: 5xx every day around 03:0\d .*on 4 of 4 days.*cron jobs, backups/);
    expect(a.failingLayer).toBe('dep');
  });

  it('states the hour on the operator’s clock: the same logs read in UTC recur at 09:00', async () => {
    const { report } = await scenario('fixtures/scenarios/insight-nightly-db-backup', 'UTC');
    expect(report.insights.recurrences[0]).toMatchObject({ kind: 'daily', hour: 9 });
  });

  it('says search engines saw the errors night after night', async () => {
    const { report } = await scenario('fixtures/scenarios/insight-nightly-db-backup');
    const g = report.insights.crawlers.byCrawler.find((c) => c.crawler === 'Googlebot');
    expect(g?.recurring).toBe(true);
    expect(g?.incidents).toBeGreaterThanOrEqual(3);
    expect(report.insights.crawlers.summary).toMatch(/Googlebot \d+ \(repeatedly\)/);
  });

  it('does not call a handful of 3 a.m. requests a traffic spike', async () => {
    const { report } = await scenario('fixtures/scenarios/insight-nightly-db-backup');
    for (const inc of report.insights.incidents) expect(inc.traffic.spike).toBe(false);
  });
});

describe('insight-single-burst: one newsletter wave', () => {
  it('is one transient incident during a traffic spike from many clients', async () => {
    const { report } = await scenario('fixtures/scenarios/insight-single-burst');
    const a = report.insights;
    expect(a.pattern).toBe('transient');
    expect(a.recurrences).toEqual([]);
    expect(a.incidents).toHaveLength(1);
    const inc = a.incidents[0];
    expect(inc).toMatchObject({ pattern: 'transient', errors5xx: 30, byStatus: { 502: 30 }, causes: [{ id: 'fpm-pool-exhausted', count: 30 }] });
    expect(inc?.traffic.spike).toBe(true);
    expect(inc?.traffic.change).toBeGreaterThanOrEqual(3);
    expect(inc?.traffic.topClient).toBeNull();
    expect(a.patternSummary).toMatch(/^Transient: one burst, 30 × 5xx on 2026-03-04 11:41–11:44/);
    // nginx answered 502 itself: the connect to the pool failed, no backend answered
    expect(a.origin).toMatchObject({ webServer: 30, backend: 0 });
    expect(a.failingLayer).toBe('fpm');
    expect(a.headline).toMatch(/^PHP-FPM failed: PHP-FPM pool exhausted .* 30 of 30 5xx\.$/);
  });
});

describe('the demo', () => {
  it('answers layer, origin, pattern, culprit and the one-client spike', async () => {
    const { report } = await scenario('fixtures/demo');
    const a = report.insights;
    expect(a.failingLayer).toBe('os');
    expect(a.layers.map((l) => l.layer)).toEqual(['edge', 'web', 'fpm', 'app', 'dep', 'os']);
    expect(a.layers.filter((l) => l.failed).map((l) => l.layer)).toEqual(['fpm', 'app', 'os']);
    // 18 OOM + 7 EAGAIN 502s made by nginx; 9 memory_limit + 3 silent 500s from PHP
    expect(a.origin).toMatchObject({ webServer: 25, backend: 12, unknown: 0 });
    expect(a.topCulprit).toMatchObject({ kind: 'wordpress-plugin', name: 'bulk-order-export', cause: 'php-memory-exhausted' });
    expect(a.pattern).toBe('transient');
    const pool = a.incidents.find((i) => i.causes.some((c) => c.id === 'fpm-pool-exhausted'));
    expect(pool?.traffic.spike).toBe(true);
    expect(pool?.traffic.topClient?.client).toBe('185.191.171.4');
    expect(pool?.traffic.topClient?.userAgent).toContain('SemrushBot');
    // every 5xx is in exactly one incident
    expect(a.incidents.reduce((n, i) => n + i.errors5xx, 0)).toBe(report.summary.errors5xx);
  });
});
