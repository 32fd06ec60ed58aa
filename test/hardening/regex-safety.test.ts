// Every parser of src/formats/index.ts, and the signature classifier on what it emits, against 64 KB hostile
// lines: long runs of the characters each grammar branches on, alone and spliced into real lines at several
// points so that a pattern gets far into a match before it has to backtrack. No line may take 50 ms.
// (Each signature's own regex is driven the same way in test/signals/hostile.test.ts.)
import { describe, expect, it } from 'vitest';
import { formats } from '../../src/formats/index.js';
import type { LogFormat, LogRecord, ParseContext } from '../../src/formats/types.js';
import { classify } from '../../src/signals/classify.js';
import { SAMPLES } from './samples.js';

const SIZE = 64 * 1024;
const LIMIT_MS = 50;

/** Units whose long runs make backtracking patterns blow up: separators, quotes, brackets, digits, keys. */
const UNITS = [
  ' ', '  ', '"', '\\"', '\\', '[', ']', '(', ')', ':', ', ', ',', '-', ' - ', '.', '0', '1.', '9 ', 'a', 'A ', '=', 'x=', ' rt=',
  '\t', '/', '%', '{', '}', '#', '*', '<', '\\x', ' at ', ' in ', ' on line ', ', client: ', ', upstream: "', 'PHP message: ',
  '[pid 1:tid 2] ', '[error] ', 'WARNING: ', '"GET / HTTP/1.1" ', '[12/Jan/2026:10:00:01 +0000] ', 'child 1 ', '(111: ', 'kernel: ',
  '{"MESSAGE":"', '\u00e9', '\ufffd',
];

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, Math.max(0, size));
}

function hostileLines(samples: readonly string[]): string[] {
  const lines: string[] = [];
  for (const unit of UNITS) {
    lines.push(fill(unit, SIZE));
    for (const s of samples) {
      lines.push(s + fill(unit, SIZE - s.length));
      // spliced at the field boundaries of the real line
      const cuts = new Set<number>([1, Math.floor(s.length / 4), Math.floor(s.length / 2), Math.floor((3 * s.length) / 4), s.length - 1]);
      for (const m of s.matchAll(/["[\](): ,=]/g)) if (m.index !== undefined && cuts.size < 14) cuts.add(m.index + 1);
      for (const at of cuts) lines.push(s.slice(0, at) + fill(unit, SIZE - s.length) + s.slice(at));
    }
  }
  // the whole line repeated: every prefix matches, every suffix fails
  for (const s of samples) lines.push(fill(`${s} `, SIZE));
  return lines;
}

/** Parse one line the way ingestion does (the seed entry first, for multi-line state), then classify it. */
function parseAndClassify(format: LogFormat, seed: string, line: string, fallback: boolean, extra: Partial<ParseContext> = {}): number {
  const records: LogRecord[] = [];
  const ctx: ParseContext = { tz: 'Europe/Berlin', referenceTime: Date.UTC(2026, 5, 1), source: 'hostile.log', fallback, ...extra, emit: (r) => records.push(r) };
  const p = format.createParser(ctx);
  p.line(seed, 1);
  p.line(line, 2);
  p.flush();
  let signals = 0;
  for (const r of records) if (r.kind === 'event') signals += classify(r).length;
  return signals;
}

/** Best of up to three runs: super-linear work is slow every time, a busy machine only sometimes. */
function time(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3 && best >= LIMIT_MS / 2; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('64 KB hostile lines against every parser', () => {
  it('covers every registered format', () => {
    expect(formats.map((f) => f.id).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(formats.map((f) => [f.id, f] as const))('%s: parse + classify under 50 ms per line', (_id, format) => {
    const samples = SAMPLES[format.id];
    const seed = samples[0] ?? '';
    const lines = hostileLines(samples);
    expect(lines.length).toBeGreaterThan(300);
    let worst = 0;
    let worstLine = '';
    for (const line of lines) {
      for (const fallback of [false, true]) {
        const t = time(() => parseAndClassify(format, seed, line, fallback));
        if (t > worst) [worst, worstLine] = [t, line];
      }
    }
    expect(worst, `slowest: ${JSON.stringify(worstLine.slice(0, 120))}…`).toBeLessThan(LIMIT_MS);
  });

  // formats compiled from the user's --nginx-log-format / --apache-log-format strings
  const userFormats: [string, LogFormat | undefined, Partial<ParseContext>, string][] = [
    [
      'nginx log_format',
      formats.find((f) => f.id === 'nginx-access'),
      { nginxLogFormat: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time "$upstream_addr" $upstream_status $host' },
      '203.0.113.7 - - [12/Jan/2026:10:00:01 +0000] "GET /index.php HTTP/1.1" 502 157 "-" "Mozilla/5.0" 0.123 "unix:/run/php/php8.2-fpm.sock" 502 shop.example',
    ],
    [
      'Apache LogFormat',
      formats.find((f) => f.id === 'apache-access'),
      { apacheLogFormat: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D' },
      'shop.example:443 203.0.113.7 - - [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 503 299 "-" "Mozilla/5.0" 30001234',
    ],
  ];
  it.each(userFormats)('%s: parse + classify under 50 ms per line', (_name, format, extra, sample) => {
    expect(format).toBeDefined();
    if (!format) return;
    let worst = 0;
    for (const line of hostileLines([sample])) worst = Math.max(worst, time(() => parseAndClassify(format, sample, line, false, extra)));
    expect(worst).toBeLessThan(LIMIT_MS);
  });

  it.each(formats.map((f) => [f.id, f] as const))('%s: sniffing 50 hostile lines stays bounded', (_id, format) => {
    const lines = hostileLines(SAMPLES[format.id]).filter((_, i) => i % 7 === 0).slice(0, 50);
    for (const f of formats) expect(time(() => f.sniff(lines))).toBeLessThan(LIMIT_MS * 10);
  });
});
