// Property: the digest is a monoid over records. merge(digest(a), digest(b)) equals digest(a ++ b) for any
// records and any split, in either order, and merging is associative: what lets files, workers and hosts be
// digested apart and combined.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addRecord, BucketTable, createDigest, merge, normalize, type Digest } from '../../src/digest/digest.js';
import { ErrorTable } from '../../src/digest/error-table.js';
import { formatById } from '../../src/formats/index.js';
import type { FormatId, LogRecord } from '../../src/formats/types.js';

const pad = (n: number): string => String(n).padStart(2, '0');
const PATHS = ['/', '/index.php', '/checkout', '/wp-admin/admin-ajax.php', '/api/v1/orders'];

interface Line {
  family: FormatId;
  text: string;
}

const clock = fc.integer({ min: 0, max: 3599 }).map((s) => ({ mm: pad(Math.floor(s / 60)), ss: pad(s % 60) }));

const accessLine: fc.Arbitrary<Line> = fc
  .record({
    t: clock,
    status: fc.constantFrom(200, 200, 200, 301, 404, 499, 500, 502, 503, 504),
    path: fc.constantFrom(...PATHS),
    client: fc.integer({ min: 1, max: 30 }),
    retried: fc.boolean(),
    bot: fc.boolean(),
  })
  .map(({ t, status, path, client, retried, bot }) => {
    const ua = bot ? 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' : 'Mozilla/5.0 (X11; Linux x86_64)';
    const us = retried ? `502, ${status}` : String(status);
    const stamp = `12/Jan/2026:10:${t.mm}:${t.ss} +0000`;
    return {
      family: 'nginx-access' as const,
      text: `203.0.113.${client} - - [${stamp}] "GET ${path} HTTP/1.1" ${status} 157 "-" "${ua}" rt=0.100 uct="0.000" uht="0.100" urt="0.100" ua="unix:/run/php/php8.2-fpm.sock" us="${us}"`,
    };
  });

const eventLine: fc.Arbitrary<Line> = fc
  .record({ t: clock, kind: fc.nat(5), pid: fc.integer({ min: 1000, max: 1010 }), client: fc.integer({ min: 1, max: 30 }), path: fc.constantFrom(...PATHS) })
  .map(({ t, kind, pid, client, path }) => {
    const ctx = `client: 203.0.113.${client}, server: example.com, request: "GET ${path} HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"`;
    switch (kind) {
      case 0: return { family: 'nginx-error' as const, text: `2026/01/12 10:${t.mm}:${t.ss} [error] 1234#1234: *${pid} connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, ${ctx}` };
      case 1: return { family: 'nginx-error' as const, text: `2026/01/12 10:${t.mm}:${t.ss} [error] 1234#1234: *${pid} upstream timed out (110: Connection timed out) while reading response header from upstream, ${ctx}` };
      case 2: return { family: 'php-fpm' as const, text: `[12-Jan-2026 10:${t.mm}:${t.ss}] WARNING: [pool www] child ${pid} exited on signal 9 (SIGKILL) after 12.345678 seconds from start` };
      case 3: return { family: 'php-fpm' as const, text: `[12-Jan-2026 10:${t.mm}:${t.ss}] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it` };
      case 4: return { family: 'kernel' as const, text: `[Mon Jan 12 10:${t.mm}:${t.ss} 2026] Out of memory: Killed process ${pid} (php-fpm8.2) total-vm:812340kB, anon-rss:512000kB, file-rss:0kB, shmem-rss:0kB` };
      default: return { family: 'php-error' as const, text: `[12-Jan-2026 10:${t.mm}:${t.ss} UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 4096 bytes) in /var/www/html${path}.php on line ${pid}` };
    }
  });

/** Records as ingestion makes them: one source per family, line numbers in reading order. */
function recordsOf(lines: readonly Line[]): LogRecord[] {
  const out: LogRecord[] = [];
  const lineNo = new Map<FormatId, number>();
  for (const l of lines) {
    const format = formatById(l.family);
    if (!format) throw new Error(`no format ${l.family}`);
    const n = (lineNo.get(l.family) ?? 0) + 1;
    lineNo.set(l.family, n);
    const p = format.createParser({ tz: 'UTC', referenceTime: Date.UTC(2026, 0, 13), source: `${l.family}.log`, emit: (r) => out.push(r) });
    p.line(l.text, n);
    p.flush();
  }
  return out;
}

function digestOf(records: readonly LogRecord[]): Digest {
  const d = createDigest();
  for (const r of records) addRecord(d, r);
  return normalize(d);
}

/** A comparable form: Maps as key-sorted entry lists, numbers that JSON cannot hold as strings. */
function canonical(v: unknown): unknown {
  if (v instanceof Map || v instanceof BucketTable) {
    return [...v.entries()].map(([k, x]) => [JSON.stringify(k), canonical(x)] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  if (v instanceof ErrorTable) return canonical(v.toJSON());
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]));
  }
  return v;
}

const logLines = fc.array(fc.oneof({ arbitrary: accessLine, weight: 3 }, { arbitrary: eventLine, weight: 1 }), { maxLength: 120 });

describe('digest merge', () => {
  it('the generated logs do produce requests, 5xx and signals (else the property proves little)', () => {
    const sample = fc.sample(logLines, { numRuns: 30, seed: 7 }).flat();
    const d = digestOf(recordsOf(sample));
    expect(d.errors.length).toBeGreaterThan(20);
    expect(d.signals.length).toBeGreaterThan(20);
    expect(new Set(d.signals.map((s) => s.sig)).size).toBeGreaterThanOrEqual(4);
    expect(d.hiddenUpstreamFailures).toBeGreaterThan(0);
  });

  it('merge(digest(a), digest(b)) equals digest(a ++ b), in either order', () => {
    fc.assert(
      fc.property(logLines, fc.nat(), (lines, cutAt) => {
        const all = recordsOf(lines);
        const cut = all.length === 0 ? 0 : cutAt % (all.length + 1);
        const a = digestOf(all.slice(0, cut));
        const b = digestOf(all.slice(cut));
        const whole = canonical(digestOf(all));
        expect(canonical(merge(a, b))).toEqual(whole);
        expect(canonical(merge(b, a))).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('is associative and leaves its arguments unchanged', () => {
    fc.assert(
      fc.property(logLines, logLines, logLines, (x, y, z) => {
        const [a, b, c] = [digestOf(recordsOf(x)), digestOf(recordsOf(y)), digestOf(recordsOf(z))];
        const before = canonical(a);
        expect(canonical(merge(merge(a, b), c))).toEqual(canonical(merge(a, merge(b, c))));
        expect(canonical(a)).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });
});
