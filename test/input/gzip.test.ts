// Damaged gzip keeps every line that could be inflated and says what went wrong.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestSource } from '../../src/input/ingest.js';

const LINES = Array.from({ length: 3000 }, (_, i) => `203.0.113.${i % 250} - - [12/Jan/2026:10:00:01 +0000] "GET /p${i} HTTP/1.1" 200 5 "-" "x"`);
const GZ = gzipSync(`${LINES.join('\n')}\n`);

async function read(bytes: Buffer) {
  const path = join(mkdtempSync(join(tmpdir(), 'ls-gz-')), 'access.log.2.gz');
  writeFileSync(path, bytes);
  return ingestSource({ path, kind: 'file' }, { tz: 'UTC', onRecord: () => undefined });
}

describe('damaged gzip', () => {
  it('a wrong CRC in the trailer loses at most the last line', async () => {
    const bad = Buffer.concat([GZ.subarray(0, GZ.length - 8), Buffer.alloc(4), GZ.subarray(GZ.length - 4)]);
    const s = await read(bad);
    expect(s.gzip).toBe(true);
    expect(s.records).toBeGreaterThanOrEqual(2998);
    expect(s.problems).toEqual([expect.stringMatching(/^corrupt gzip data after line \d+$/)]);
  });

  it('a truncated file keeps what was inflated', async () => {
    const s = await read(GZ.subarray(0, Math.floor(GZ.length / 2)));
    expect(s.records).toBeGreaterThan(1000);
    expect(s.problems[0]).toMatch(/^truncated gzip data: input ends early after line \d+$/);
  });

  it('a header zlib refuses is a compressed file of unknown family, not an empty one', async () => {
    const s = await read(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('not deflate at all, just bytes'.repeat(4))]));
    expect(s).toMatchObject({ gzip: true, format: 'unknown', records: 0 });
    expect(s.problems[0]).toMatch(/gzip/);
  });
});
