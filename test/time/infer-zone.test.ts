import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../src/input/sources.js';
import { inferZoneFromAccessLogs } from '../../src/time/infer-zone.js';

function files(contents: Record<string, string | Buffer>): Source[] {
  const dir = mkdtempSync(join(tmpdir(), 'ls-zone-'));
  return Object.entries(contents).map(([name, c]) => {
    writeFileSync(join(dir, name), c);
    return { path: join(dir, name), kind: 'file' as const };
  });
}

const CLF = (off: string) => `203.0.113.7 - - [12/Jan/2026:10:00:01 ${off}] "GET / HTTP/1.1" 200 5 "-" "x"\n`;
const ERR = '2026/01/12 10:00:02 [error] 1#1: *1 connect() failed (111: Connection refused)\n';

describe('zone of zone-less logs, from the access logs beside them', () => {
  it("takes the access log's offset when this machine's zone differs", () => {
    expect(inferZoneFromAccessLogs(files({ 'access.log': CLF('+0100'), 'error.log': ERR }), 'UTC')).toBe('+01:00');
    expect(inferZoneFromAccessLogs(files({ 'access.log': `2026-01-12T10:00:01-05:00 203.0.113.7 "GET / HTTP/1.1" 200\n` }), 'UTC')).toBe('-05:00');
  });

  it('keeps the machine zone when it matches, when access logs disagree, or when there is none to read', () => {
    expect(inferZoneFromAccessLogs(files({ 'access.log': CLF('+0100') }), 'Europe/Berlin')).toBeUndefined();
    expect(inferZoneFromAccessLogs(files({ 'a.log': CLF('+0100'), 'b.log': CLF('+0200') }), 'UTC')).toBeUndefined();
    expect(inferZoneFromAccessLogs(files({ 'error.log': ERR, 'old.log.1.gz': gzipSync(CLF('+0300')) }), 'UTC')).toBeUndefined();
  });
});
