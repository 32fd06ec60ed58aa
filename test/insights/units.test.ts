// The pure parts: incident grouping, recurrence detection, crawler names, the sparkline.
import { describe, expect, it } from 'vitest';
import { tableOf, type ErrorRow } from '../../src/digest/error-table.js';
import { crawlerName } from '../../src/insights/crawlers.js';
import { groupIncidents, INCIDENT_GAP_MS, peakPerMinute } from '../../src/insights/incidents.js';
import { findRecurrences } from '../../src/insights/recurrence.js';
import { sparkline } from '../../src/report/table.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** 2026-02-09 00:00 in Europe/Berlin (+01:00) */
const BERLIN_MIDNIGHT = Date.UTC(2026, 1, 8, 23, 0, 0);

function err(time: number): ErrorRow {
  return { time, timeIsStart: false, status: 502, client: '203.0.113.9', request: 'GET / HTTP/1.1', method: 'GET', path: '/', family: 'nginx-access', source: 'a.log', line: 1, raw: '' };
}

describe('groupIncidents', () => {
  it('joins 5xx up to the gap apart and starts a new incident after it', () => {
    const t = Date.UTC(2026, 0, 12, 10, 0, 0);
    const errors = [t, t + 30_000, t + 30_000 + INCIDENT_GAP_MS, t + 30_000 + INCIDENT_GAP_MS + INCIDENT_GAP_MS + 1].map(err);
    const incidents = groupIncidents(tableOf(errors));
    expect(incidents.map((i) => i.errors)).toEqual([[0, 1, 2], [3]]);
    expect(incidents[0]).toMatchObject({ from: t, to: t + 30_000 + INCIDENT_GAP_MS });
  });

  it('leaves 5xx without a time out of every incident', () => {
    const errors = tableOf([err(NaN), err(Date.UTC(2026, 0, 1))]);
    errors.sort();
    expect(groupIncidents(errors).map((i) => i.errors)).toEqual([[0]]);
  });

  it('counts the peak per clock minute', () => {
    const t = Date.UTC(2026, 0, 12, 10, 0, 50);
    expect(peakPerMinute([t, t + 5000, t + 11_000, t + 12_000, t + 13_000])).toBe(3);
  });
});

describe('findRecurrences', () => {
  const span = (from: number, minutes = 3) => ({ from, to: from + minutes * MIN });
  const cover = { from: BERLIN_MIDNIGHT, to: BERLIN_MIDNIGHT + 5 * DAY - 1 };

  it('finds a nightly 03:00 incident on 4 of 5 nights, in the operator’s zone', () => {
    const nights = [0, 1, 3, 4].map((d) => span(BERLIN_MIDNIGHT + d * DAY + 3 * 60 * MIN + d * 2 * MIN));
    const noon = span(BERLIN_MIDNIGHT + 2 * DAY + 12 * 60 * MIN);
    const list = [...nights.slice(0, 2), noon, ...nights.slice(2)];
    const [r, ...rest] = findRecurrences(list, cover, 'Europe/Berlin');
    expect(rest).toEqual([]);
    expect(r?.report).toMatchObject({ kind: 'daily', hour: 3, atLocalTime: '03:04', days: 4, ofDays: 5, occurrences: 4 });
    expect(r?.members).toEqual([0, 1, 3, 4]);
  });

  it('does not see a pattern in bursts at unrelated times', () => {
    const list = [span(BERLIN_MIDNIGHT + 2 * 60 * MIN), span(BERLIN_MIDNIGHT + DAY + 9 * 60 * MIN), span(BERLIN_MIDNIGHT + 2 * DAY + 17 * 60 * MIN)];
    expect(findRecurrences(list, cover, 'Europe/Berlin')).toEqual([]);
  });

  it('needs the time of day on at least half of the days that could show it', () => {
    // 2 of 4 nights: a pattern; 2 of 10: a coincidence
    const list = [span(BERLIN_MIDNIGHT + 3 * 60 * MIN), span(BERLIN_MIDNIGHT + 3 * DAY + 3 * 60 * MIN)];
    const long = { from: BERLIN_MIDNIGHT, to: BERLIN_MIDNIGHT + 10 * DAY };
    expect(findRecurrences(list, long, 'Europe/Berlin')).toEqual([]);
    const short = findRecurrences(list, { from: BERLIN_MIDNIGHT, to: BERLIN_MIDNIGHT + 3 * DAY + 6 * 60 * MIN }, 'Europe/Berlin');
    expect(short.map((r) => r.report)).toMatchObject([{ kind: 'daily', days: 2, ofDays: 4 }]);
  });

  it('treats 23:55 and 00:05 as the same night', () => {
    const list = [span(BERLIN_MIDNIGHT + DAY - 5 * MIN, 2), span(BERLIN_MIDNIGHT + 2 * DAY + 5 * MIN, 2), span(BERLIN_MIDNIGHT + 3 * DAY - 4 * MIN, 2)];
    const [r] = findRecurrences(list, cover, 'Europe/Berlin');
    expect(r?.report).toMatchObject({ kind: 'daily', occurrences: 3 });
    expect(r?.report.atLocalTime).toBe('23:56');
  });

  it('finds a fixed period within a day (a cron every 15 minutes)', () => {
    const t = BERLIN_MIDNIGHT + 8 * 60 * MIN;
    const list = [0, 1, 2, 3, 4, 5].map((k) => span(t + k * 15 * MIN + (k % 2) * 20_000, 1));
    const [r] = findRecurrences(list, cover, 'Europe/Berlin');
    expect(r?.report).toMatchObject({ kind: 'interval', occurrences: 6 });
    expect(Math.abs((r?.report.everySeconds ?? 0) - 900)).toBeLessThanOrEqual(20);
  });
});

describe('crawlerName', () => {
  it.each([
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Googlebot'],
    ['Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Googlebot'],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'Bingbot'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)', 'Applebot'],
    ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', 'YandexBot'],
    ['Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)', 'Baiduspider'],
    ['DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)', 'DuckDuckBot'],
    ['AdsBot-Google (+http://www.google.com/adsbot.html)', 'AdsBot-Google'],
  ])('%s → %s', (ua, name) => {
    expect(crawlerName(ua)).toBe(name);
  });

  it('is not fooled by SEO tools and browsers', () => {
    expect(crawlerName('Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)')).toBeUndefined();
    expect(crawlerName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toBeUndefined();
    expect(crawlerName(undefined)).toBeUndefined();
  });
});

describe('sparkline', () => {
  it('draws nothing for zero and the full block for the peak, summing intervals to fit the width', () => {
    expect(sparkline([0, 1, 2, 4, 8, 0], 10)).toEqual({ line: ' ▁▂▄█ ', perChar: 1 });
    const wide = sparkline(Array.from({ length: 120 }, (_, i) => (i === 100 ? 5 : 0)), 60);
    expect(wide.perChar).toBe(2);
    expect(wide.line).toHaveLength(60);
    expect(wide.line.trim()).toBe('█');
    expect(wide.line.indexOf('█')).toBe(50);
  });
});
