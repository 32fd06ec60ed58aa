// The live follower routes lines as the one-shot reader does (both through input/route.ts): same family
// choice, the user's access format included, same fallback and unrecognised-line accounting.
import { describe, expect, it } from 'vitest';
import { Ingester } from '../../src/follow/ingester.js';
import type { AccessRecord, LogRecord } from '../../src/formats/types.js';

const FORMAT = '$remote_addr|$time_iso8601|$status|$request_time|"$request"';
const line = (i: number, status: number): string => `203.0.113.${i}|2026-01-12T10:00:0${i % 10}+00:00|${status}|0.0${i}|"GET /p/${i} HTTP/1.1"`;

describe('Ingester (follow)', () => {
  it('reads a custom log_format the user gave, fed in pieces, and counts what no family knows', () => {
    const records: LogRecord[] = [];
    const ing = new Ingester('custom.log', { tz: 'UTC', nginxLogFormat: FORMAT, onRecord: (r) => records.push(r) });
    const feed = (text: string): void => {
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += 7) ing.push(bytes.subarray(i, i + 7));
      ing.settle(true);
    };
    // the family is chosen on the first poll that has lines; a later odd line is counted, not routed
    feed(`${line(1, 200)}\n${line(2, 502)}\n`);
    feed(`garbage that is no log line at all\n${line(3, 504)}\n`);
    expect(ing.summary.format).toBe('nginx-access');
    const access = records.filter((r): r is AccessRecord => r.kind === 'access');
    expect(access.map((r) => [r.status, r.path, r.requestTime])).toEqual([[200, '/p/1', 0.01], [502, '/p/2', 0.02], [504, '/p/3', 0.03]]);
    expect(ing.summary).toMatchObject({ lines: 4, records: 3, unrecognized: 1 });
    expect(ing.summary.unrecognizedSamples[0]).toEqual({ line: 3, text: 'garbage that is no log line at all' });
  });

  it('without the format, the same lines are not taken for an access log', () => {
    const ing = new Ingester('custom.log', { tz: 'UTC', onRecord: () => undefined });
    ing.push(Buffer.from(`${line(1, 200)}\n${line(2, 502)}\n`));
    ing.settle(true);
    expect(ing.summary.format).not.toBe('nginx-access');
    expect(ing.summary.unrecognized).toBe(2);
  });
});
