import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { addRecord, createDigest, normalize } from '../../src/digest/digest.js';
import { ErrorTable, rowsOf, tableOf, type ErrorRow } from '../../src/digest/error-table.js';
import { nginxAccess } from '../../src/formats/nginx-access.js';
import type { AccessRecord } from '../../src/formats/types.js';
import { rereadLines } from '../../src/input/reread.js';
import { parseLines } from '../helpers.js';
import { accessLines } from '../access-generator.js';

const LINES = [
  '203.0.113.8 - - [12/Jan/2026:10:00:05 +0000] "GET /checkout HTTP/1.1" 502 157 "-" "Mozilla/5.0"',
  '203.0.113.9 - - [12/Jan/2026:10:00:03 +0000] "POST /cart HTTP/1.1" 504 160 "-" "curl/8.0" rt=60.001 urt="60.000" ua="unix:/run/php/php8.2-fpm.sock" us="504"',
  '2001:db8::1 - - [12/Jan/2026:10:00:04 +0000] "GET /x?y=1 HTTP/2.0" 500 0 "-" "-" rt=0.010 urt="0.001, -" ua="10.0.0.1:9000, -" us="502, -"',
];

function records(lines: readonly string[], source = 'access.log'): AccessRecord[] {
  return parseLines(nginxAccess, lines, { source }).records.filter((r): r is AccessRecord => r.kind === 'access');
}

describe('ErrorTable', () => {
  it('gives back every field of every row, sorts by time, and round-trips as rows', () => {
    const t = new ErrorTable();
    for (const r of records(LINES)) t.addRecord(r);
    expect(t.length).toBe(3);
    const before = rowsOf(t);
    expect(before.map((e) => e.status)).toEqual([502, 504, 500]);
    expect(before[1]).toMatchObject({
      status: 504, method: 'POST', path: '/cart', requestTime: 60.001, upstreamStatus: [504],
      upstreamAddr: ['unix:/run/php/php8.2-fpm.sock'], upstreamResponseTime: [60], line: 2, source: 'access.log', raw: LINES[1],
    });
    expect(before[2]?.upstreamStatus).toEqual([502, null]);
    // one try's time in a column, several tries' as a list, '-' as null: all read back as logged
    expect(before[2]?.upstreamResponseTime).toEqual([0.001, null]);
    expect(before[0]?.upstreamResponseTime).toBeUndefined();
    expect(before[0]?.requestTime).toBeUndefined();
    t.sort();
    expect([...t].map((e) => e.status)).toEqual([504, 500, 502]);
    expect(t.rawOf(2)).toBe(LINES[0]);
    expect([...t].map((e) => e.upstreamResponseTime)).toEqual([[60], [0.001, null], undefined]);
    expect(rowsOf(tableOf(rowsOf(t)))).toEqual(rowsOf(t));
    expect(JSON.parse(JSON.stringify(t))).toEqual(JSON.parse(JSON.stringify(rowsOf(t))));
  });

  it('keeps lines only while the budget lasts, and says so', () => {
    const t = new ErrorTable(LINES[0]?.length ?? 0);
    for (const r of records(LINES)) t.addRecord(r);
    expect([0, 1, 2].map((i) => t.hasRaw(i))).toEqual([true, false, false]);
    expect(t.rawOf(1)).toBeUndefined();
    expect(t.at(1)?.path).toBe('/cart');
    t.setRaw(1, 'read again');
    expect(t.rawOf(1)).toBe('read again');
  });

  it('appends up to a limit and shifts the line numbers of a range', () => {
    const a = new ErrorTable();
    const b = new ErrorTable();
    for (const r of records(LINES)) b.addRecord(r);
    expect(a.append(b, 2)).toBe(2);
    a.shiftLines(1, 2, 1000);
    expect([a.lineAt(0), a.lineAt(1)]).toEqual([1, 1002]);
  });
});

describe('rereadLines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-reread-'));
  const lines = accessLines('extended', 400, 11);

  it('reads the lines a table did not keep from plain and gzipped files, and leaves stdin and changed files alone', async () => {
    const plain = join(dir, 'access.log');
    const packed = join(dir, 'access.log.1.gz');
    writeFileSync(plain, `${lines.join('\n')}\n`);
    writeFileSync(packed, gzipSync(`${lines.join('\r\n')}\r\n`));
    const t = new ErrorTable(0);
    for (const src of [plain, packed, '-']) for (const r of records(lines, src)) if (r.status >= 500) t.addRecord(r);
    const n = t.length / 3;
    expect(n).toBeGreaterThan(50);
    await rereadLines(t, Array.from({ length: t.length }, (_, i) => i));
    for (let i = 0; i < 2 * n; i++) expect(t.rawOf(i)).toBe(lines[t.lineAt(i) - 1]);
    for (let i = 2 * n; i < 3 * n; i++) expect(t.hasRaw(i)).toBe(false);

    const changed = new ErrorTable(0);
    for (const r of records(lines, plain)) if (r.status >= 500) changed.addRecord(r);
    writeFileSync(plain, `${lines.map(() => 'rotated away').join('\n')}\n`);
    await rereadLines(changed, [0, 1]);
    expect([changed.hasRaw(0), changed.hasRaw(1)]).toEqual([false, false]);
  });
});

describe('rereadLines, escaped requests', () => {
  it('finds the line of a request that the log escaped (\\x22 in the line, a quote in the row)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-reread-'));
    const file = join(dir, 'access.log');
    const escaped = '198.51.100.7 - - [12/Jan/2026:10:00:05 +0000] "GET /search?q=\\x22x\\x22 HTTP/1.1" 502 157 "-" "curl/8.0"';
    writeFileSync(file, `${LINES[0]}\n${escaped}\n`);
    const t = new ErrorTable(0);
    for (const r of records([LINES[0] ?? '', escaped], file)) t.addRecord(r);
    expect(t.requestAt(1)).toBe('GET /search?q="x" HTTP/1.1');
    await rereadLines(t, [1]);
    expect(t.rawOf(1)).toBe(escaped);
  });
});

describe('a digest with more 5xx than a call has arguments', () => {
  it('diagnoses and reports 150,000 5xx without a stack overflow', async () => {
    const { diagnose } = await import('../../src/diagnose/diagnose.js');
    const { rules } = await import('../../src/rules/index.js');
    const { buildReport } = await import('../../src/report/build.js');
    const [template] = records([LINES[1] ?? '']);
    if (!template) throw new Error('no record');
    const d = createDigest();
    const t0 = Date.UTC(2026, 0, 12);
    for (let i = 0; i < 150_000; i++) {
      addRecord(d, { ...template, time: t0 + i * 100, origin: { source: 'access.log', line: i + 1 } });
    }
    normalize(d);
    const diagnosis = diagnose(d, rules);
    const report = buildReport(d, [], diagnosis, { tz: 'UTC', version: 'test' });
    expect(report.summary.errors5xx).toBe(150_000);
    expect(report.causes[0]?.affectedRequests).toBe(150_000);
  });
});

describe('rows', () => {
  it('carry the fields a saved digest holds', () => {
    const row: ErrorRow = { time: 1, timeIsStart: true, status: 503, client: 'c', request: 'GET / HTTP/1.1', method: 'GET', path: '/', family: 'apache-access', source: 's', line: 7, host: 'web1', vhost: 'v', raw: 'r' };
    expect(rowsOf(tableOf([row]))).toEqual([row]);
  });
});

describe('packed tables (worker threads)', () => {
  it('unpack(pack(t)) holds the same rows, and append maps strings between pools', () => {
    const a = new ErrorTable();
    for (const r of records(LINES)) a.addRecord(r);
    a.setRaw(0, 'again');
    const back = ErrorTable.unpack(structuredClone(a.pack()));
    expect(rowsOf(back)).toEqual(rowsOf(a));
    const b = new ErrorTable();
    for (const r of records([LINES[2] ?? ''], 'other.log')) b.addRecord(r);
    b.append(back);
    expect(rowsOf(b).slice(1)).toEqual(rowsOf(a));
    expect(b.clientIdAt(0)).toBe(b.clientIdAt(3));
  });
});
