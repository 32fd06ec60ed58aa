import { describe, expect, it } from 'vitest';
import { addRecord, BucketTable, createDigest, merge, normalize, statusTotals, type Digest } from '../../src/digest/digest.js';
import { nginxAccess } from '../../src/formats/nginx-access.js';
import { nginxError } from '../../src/formats/nginx-error.js';
import type { LogRecord } from '../../src/formats/types.js';
import { parseLines } from '../helpers.js';

const ACCESS = [
  '203.0.113.7 - - [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"',
  '203.0.113.8 - - [12/Jan/2026:10:00:01 +0000] "GET /checkout HTTP/1.1" 502 157 "-" "Mozilla/5.0"',
  '66.249.66.1 - - [12/Jan/2026:10:00:02 +0000] "GET /shop HTTP/1.1" 200 900 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"',
  '203.0.113.9 - - [12/Jan/2026:10:00:03 +0000] "POST /cart HTTP/1.1" 504 160 "-" "curl/8.0" rt=60.001 urt="60.000" ua="unix:/run/php/php8.2-fpm.sock" us="504"',
  '203.0.113.9 - - [12/Jan/2026:10:00:04 +0000] "GET /retry HTTP/1.1" 200 10 "-" "curl/8.0" rt=0.101 urt="0.001, 0.100" ua="10.0.0.1:9000, 10.0.0.2:9000" us="502, 200"',
];
const ERRORS = [
  '2026/01/12 10:00:01 [error] 1234#1234: *5 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 203.0.113.8, server: example.com, request: "GET /checkout HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"',
];

function recordsOf(): LogRecord[] {
  return [...parseLines(nginxAccess, ACCESS).records, ...parseLines(nginxError, ERRORS).records];
}

function digestOf(records: readonly LogRecord[]): Digest {
  const d = createDigest();
  for (const r of records) addRecord(d, r);
  return normalize(d);
}

function plain(d: Digest) {
  return JSON.parse(JSON.stringify({ ...d, buckets: [...d.buckets].sort((a, b) => a[0] - b[0]), signalOverflow: [...d.signalOverflow], coverage: [...d.coverage].sort(), signalCounts: [...d.signalCounts].sort() }));
}

describe('digest', () => {
  it('counts requests per second and status, keeps every 5xx in full and the signals', () => {
    const d = digestOf(recordsOf());
    expect(statusTotals(d)).toEqual({ requests: 5, byStatus: { 200: 3, 502: 1, 504: 1 } });
    expect([...d.errors].map((e) => [e.status, e.path, e.client])).toEqual([
      [502, '/checkout', '203.0.113.8'],
      [504, '/cart', '203.0.113.9'],
    ]);
    expect(d.errors.at(1)?.upstreamStatus).toEqual([504]);
    expect(d.hiddenUpstreamFailures).toBe(1);
    expect(d.signals.map((s) => [s.sig, s.keys.errno])).toEqual([['N-CONNECT', 11]]);
    expect([...d.buckets.values()].reduce((n, b) => n + b.bots, 0)).toBe(1);
  });

  it('merge(digest(a), digest(b)) equals digest(a ++ b), in any split and order', () => {
    const all = recordsOf();
    const whole = plain(digestOf(all));
    for (let cut = 0; cut <= all.length; cut++) {
      const a = digestOf(all.slice(0, cut));
      const b = digestOf(all.slice(cut));
      expect(plain(merge(a, b))).toEqual(whole);
      expect(plain(merge(b, a))).toEqual(whole);
    }
  });

  it('merge is associative', () => {
    const all = recordsOf();
    const [a, b, c] = [digestOf(all.slice(0, 2)), digestOf(all.slice(2, 4)), digestOf(all.slice(4))];
    expect(plain(merge(merge(a, b), c))).toEqual(plain(merge(a, merge(b, c))));
  });

  it('does not keep 2xx requests: memory grows with seconds, not with lines', () => {
    const d = createDigest();
    const line = ACCESS[0] ?? '';
    const recs = parseLines(nginxAccess, Array.from({ length: 5000 }, () => line)).records;
    for (const r of recs) addRecord(d, r);
    expect(d.errors).toHaveLength(0);
    expect(d.buckets.size).toBe(1);
    expect(d.buckets.get(Date.parse('2026-01-12T10:00:01Z') / 1000)?.total).toBe(5000);
  });
});

describe('BucketTable.rowsInTimeOrder', () => {
  const secondsOf = (t: BucketTable): number[] => [...t.rowsInTimeOrder()].map((r) => t.secAt(r));
  it('orders rows that arrived nearly in order (a 5xx opening its second first) and rows in any order', () => {
    const near = new BucketTable();
    for (const s of [10, 12, 11, 13, 15, 14, 16]) near.row(s);
    expect(secondsOf(near)).toEqual([10, 11, 12, 13, 14, 15, 16]);
    const shuffled = new BucketTable();
    const secs = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    for (const s of secs) shuffled.row(s);
    expect(secondsOf(shuffled)).toEqual([...secs].sort((a, b) => a - b));
  });
});
