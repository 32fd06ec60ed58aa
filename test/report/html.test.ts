// The HTML report: self-contained, escaped, and drawn for real in headless Chromium (Debian's chromium
// driven by playwright-core). Without /usr/bin/chromium the browser part is skipped with a message; .ci/run
// installs it so CI runs it.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import type { Report } from '../../src/report/schema.js';
import { analyzeDir } from '../analyze-helpers.js';

const ROOT = join(__dirname, '../..');
const DEMO = join(ROOT, 'fixtures/demo');
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** screenshots land here (outside the repository) and their paths are printed */
const OUT = join(tmpdir(), 'logsleuth-html-test');

const SCRIPT_PATH = '/search/<script>window.__pwned=1</script>';
const IMG_PATH = '/p/"><img src=x onerror="window.__pwned=2">';
const EVIL_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) <script>window.__pwned=3</script>';

/** The demo plus requests whose path and user agent carry markup, as an attacker would send them. */
function hostileDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-html-hostile-'));
  cpSync(DEMO, dir, { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) {
    const path = i < 4 ? SCRIPT_PATH : IMG_PATH;
    lines.push(
      `203.0.113.66 - - [12/Jan/2026:10:30:0${i} +0100] "GET ${path} HTTP/1.1" 500 150 "-" "${EVIL_UA}" ` +
        'rt=0.120 uct="0.000" uht="0.120" urt="0.120" ua="unix:/run/php/php8.2-fpm.sock" us="500"',
    );
  }
  appendFileSync(join(dir, 'access.log'), `${lines.join('\n')}\n`);
  return dir;
}

let demo: Report;
let hostile: Report;

beforeAll(async () => {
  demo = (await analyzeDir(DEMO, 'Europe/Berlin')).report;
  hostile = (await analyzeDir(hostileDemo(), 'Europe/Berlin')).report;
});

describe('HTML report file', () => {
  it('is one self-contained page: no script, nothing loaded from elsewhere, a policy that forbids both', () => {
    const html = renderHtml(demo);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toMatch(/<svg id="timeline"/);
  });

  it('escapes markup from request paths and user agents', () => {
    const html = renderHtml(hostile);
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('/search/&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
  });

  it('is written by `logsleuth -o report.html`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-html-cli-'));
    const out = join(dir, 'report.html');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/logsleuth.js'), DEMO, '--tz', 'Europe/Berlin', '-o', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`report written to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<svg id="timeline"');
    expect(html).toContain('bulk-order-export');
  });
});

if (!HAVE_CHROMIUM) {
  console.warn(`html.test.ts: skipping the browser checks: ${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run does it)`);
}

describe.skipIf(!HAVE_CHROMIUM)('HTML report in headless Chromium', () => {
  let ctx: BrowserContext;

  beforeAll(async () => {
    ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'logsleuth-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      // as root, in a sandbox without network: no sandbox, no GPU, no background connections
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
  }, 60_000);

  afterAll(async () => {
    await ctx?.close();
  });

  async function open(report: Report, name: string) {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, `${name}.html`);
    writeFileSync(file, renderHtml(report));
    const page = await ctx.newPage();
    const requests: string[] = [];
    page.on('request', (req) => {
      if (req.url() !== pathToFileURL(file).href) requests.push(req.url());
    });
    await page.goto(pathToFileURL(file).href);
    return { page, requests };
  }

  it('renders the demo: a visible timeline with 5xx stacked by cause, incidents marked, and one card per cause', async () => {
    const { page, requests } = await open(demo, 'demo-report');
    const chart = page.locator('svg#timeline');
    await expect(chart.isVisible()).resolves.toBe(true);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    expect(box?.height).toBeGreaterThan(150);
    // one request bar per minute of the two hours, 5xx bars coloured by cause, drawn with real height
    expect(await page.locator('rect.bar-req').count()).toBeGreaterThan(100);
    const bars = await page.locator('rect.bar-5xx').evaluateAll((els) =>
      els.map((el) => ({ cause: el.getAttribute('data-cause'), h: el.getBoundingClientRect().height, fill: getComputedStyle(el).fill })),
    );
    expect(new Set(bars.map((b) => b.cause))).toEqual(new Set(['oom-killer', 'php-memory-exhausted', 'fpm-pool-exhausted', ...(demo.causes.some((c) => c.id === 'backend-5xx') ? ['backend-5xx'] : ['unexplained'])]));
    expect(bars.every((b) => b.h > 0)).toBe(true);
    expect(new Set(bars.map((b) => b.fill)).size).toBe(4);
    expect(await page.locator('g.episode').count()).toBe(demo.insights.incidents.length);

    const cards = page.locator('article.cause');
    expect(await cards.count()).toBe(demo.causes.length);
    for (let i = 0; i < demo.causes.length; i++) {
      const card = cards.nth(i);
      expect(await card.isVisible()).toBe(true);
      expect(await card.locator('h3').textContent()).toBe(demo.causes[i]?.title);
      expect(await card.locator('.fix').isVisible()).toBe(true);
    }
    expect(await cards.nth(1).locator('.culprit').textContent()).toContain('bulk-order-export');
    expect(await page.locator('.headline').textContent()).toBe(demo.insights.headline);
    expect(await page.locator('.layers li.failed').count()).toBe(3);
    expect(requests).toEqual([]);

    const shot = join(OUT, 'demo-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(50_000);
    console.log(`html.test.ts: screenshot of the demo report: ${shot}`);
    await page.close();
  }, 60_000);

  it('keeps a <script> in a logged path and user agent as text: nothing runs, nothing is injected', async () => {
    const { page, requests } = await open(hostile, 'hostile-report');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    const codes = await page.locator('code').allTextContents();
    expect(codes).toContain(SCRIPT_PATH);
    expect(codes).toContain(IMG_PATH);
    // the crawler table shows the user agent's claim as Googlebot, its markup as text
    expect(await page.locator('#crawlers').textContent()).toContain(SCRIPT_PATH);
    expect(requests).toEqual([]);
    const shot = join(OUT, 'hostile-report.png');
    await page.screenshot({ path: shot, fullPage: false });
    console.log(`html.test.ts: screenshot of the hostile-input report: ${shot}`);
    await page.close();
  }, 60_000);
});
