// The counting path (ordinary access lines reach the digest as counts, not records) must give exactly the
// digest and per-input statistics that full records give: on the scenario fixtures, the demo, generated
// lines with every tail the scanner reads, and the real-world corpus when ../shared/corpus exists.
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessCounter, addRecord, createDigest, normalize, type Digest } from '../../src/digest/digest.js';
import { ingestSource } from '../../src/input/ingest.js';
import type { InputSummary } from '../../src/input/summary.js';
import { resolveSources } from '../../src/input/sources.js';
import { accessLines } from '../access-generator.js';

function plain(d: Digest): unknown {
  return JSON.parse(JSON.stringify({
    ...d,
    buckets: [...d.buckets].sort((a, b) => a[0] - b[0]),
    signalOverflow: [...d.signalOverflow],
    coverage: [...d.coverage].sort(),
    signalCounts: [...d.signalCounts].sort(),
  }));
}

async function digestOf(path: string, counting: boolean): Promise<{ digest: unknown; summary: InputSummary }> {
  const d = createDigest();
  const counter = accessCounter(d);
  const summary = await ingestSource({ path, kind: 'file' }, {
    tz: 'UTC',
    onRecord: (r) => addRecord(d, r),
    onCount: counting ? counter.count : undefined,
  });
  counter.flush();
  return { digest: plain(normalize(d)), summary };
}

async function expectSame(path: string): Promise<InputSummary> {
  const full = await digestOf(path, false);
  const counted = await digestOf(path, true);
  expect(counted.summary).toEqual(full.summary);
  expect(counted.digest).toEqual(full.digest);
  return counted.summary;
}

function filesUnder(dir: string): string[] {
  return resolveSources([dir], false).sources.map((s) => s.path).filter((p) => statSync(p).size > 0);
}

describe('digest fed by counts equals digest fed by records', () => {
  it('on generated nginx and Apache lines: timing tails, %D, bots, hidden upstream failures, junk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-fast-'));
    for (const variant of ['combined', 'extended', 'positional', 'apache-d', 'vhost'] as const) {
      const file = join(dir, `${variant}.log`);
      writeFileSync(file, accessLines(variant, 4000).join('\n') + '\n');
      const s = await expectSame(file);
      expect(s.records).toBeGreaterThan(3900);
    }
  });

  it('on upstream lists read without building them: retries, groups, dashes, odd values, ua= spelled as an agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-fast-'));
    const file = join(dir, 'upstreams.log');
    const tails = [
      'rt=0.300 urt="0.100, 0.200" ua="10.0.0.1:9000, 10.0.0.2:9000" us="502, 200"',
      'rt=0.300 urt="0.100 : 0.200" ua="10.0.0.1:9000 : 10.0.0.2:9000" us="200 : 504"',
      'rt=0.010 urt="-" ua="-" us="-"',
      'rt=0.020 urt="" ua="" us=""',
      'rt=0.030 urt="-, 0.010" ua="-, 10.0.0.1:9000" us="-, 503"',
      'rt=0.040 urt="0.040" ua="unix:/run/php/php8.2-fpm.sock" us="5000"',
      'rt=0.050 urt="x" ua="Mozilla/5.0 (X11; Linux x86_64)" us="abc"',
      'rt=0.060 ua=", 10.0.0.1:9000" us=" 502"',
      'rt=0.070 us="200"',
    ];
    const lines = tails.map((t, i) => `203.0.113.${i} - - [12/Jan/2026:10:00:0${i} +0000] "GET /x HTTP/1.1" 200 5 "-" "curl/8.0" ${t}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const s = await expectSame(file);
    expect(s.records).toBe(tails.length);
  });

  it('on lines with escapes: \\" and \\xHH in the request, referer and crawlers\' user agents', async () => {
    const at = '[12/Jan/2026:10:00:01 +0000]';
    const lines = [
      `198.51.100.1 - - ${at} "GET /a\\"b HTTP/1.1" 200 5 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; \\"q\\")"`,
      `198.51.100.2 - - ${at} "GET /x\\x22y HTTP/1.1" 404 5 "http://r/\\x22" "Mozilla/5.0 (compatible; bingbot/2.0) \\x5C"`,
      `198.51.100.3 - - ${at} "GET /a\\" 200 HTTP/1.1" 200 5 "-" "Baiduspider \\"x\\"y"`,
      `198.51.100.4 - - ${at} "POST /p\\"q HTTP/1.1" 502 0 "-" "curl/8 \\\\"`,
      `198.51.100.6 - frank ${at} "GET /\\\\ HTTP/1.1" 301 5 "-" "YandexBot/3.0"`,
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'ls-fast-')), 'escapes.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const s = await expectSame(file);
    expect(s.records).toBe(lines.length);
  });

  it('on combined lines next to the plainest shape (counted in the chunk\'s text) and just off it', async () => {
    const at = '[12/Jan/2026:10:00:01 +0000]';
    const head = `198.51.100.9 - - ${at} "GET /p HTTP/1.1"`;
    const plain = Array.from({ length: 60 }, (_, i) => `${head} 200 ${i} "-" "Mozilla/5.0 (X11; Linux x86_64)"`);
    const edges = [
      `${head} 200 5 "-" "Mozilla/5.0 (compatible; Googlebot/2.1)"`,
      `${head} 200 5 "-" "Baiduspider"`,
      `${head} 404 5 "http://ref/bot" "YandexBot/3.0"`,
      `${head} 200 5 "http://ref/" "Mozilla/5.0 robot"`,
      `${head} 200 5  "-" "double space"`,
      `${head} 200 5 "-"`,
      `${head} 200 5 "-" "UA" 0.123 0.120 "10.0.0.1:9000" 502`,
      `${head} 200 5 "-" "UA" `,
      `${head} 200 5 "-" "unterminated`,
      `${head} 200 5 "-" "a" b"`,
      `${head} 200 5 "-" "CRLF"\r`,
      `${head} 503 5 "-" "Mozilla/5.0"`,
      `198.51.100.9 - frank ${at} "GET /p HTTP/1.1" 200 5 "-" "user"`,
      `${head} 200 5`,
      `${head} 200 - "-" "apache dash bytes"`,
      '',
      '   ',
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'ls-fast-')), 'plain.log');
    writeFileSync(file, [...plain, ...edges, ...plain.slice(0, 3), ...edges].join('\n') + '\n');
    const s = await expectSame(file);
    expect(s.lines).toBe(plain.length + 3 + edges.length * 2);
  });

  it('on every scenario fixture and the demo', async () => {
    const files = [...filesUnder('fixtures/scenarios'), ...filesUnder('fixtures/demo')];
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) await expectSame(f);
  });

  const corpus = join(process.cwd(), '../shared/corpus');
  it.runIf(existsSync(corpus))('on the real-world access logs of the corpus', async () => {
    let n = 0;
    for (const family of ['nginx-access', 'apache-access']) {
      const dir = join(corpus, family);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) {
        await expectSame(join(dir, f));
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });
});
