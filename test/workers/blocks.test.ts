// Blocks of whole lines: cutting an input anywhere into chunks and blocks must leave the lines exactly as
// one splitter sees them, and the digest of an input read in blocks (line numbers shifted, statistics
// joined, %D inputs read again) must be the digest of reading it in one pass.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSources } from '../../src/cli/read.js';
import { accessCounter, addRecord, createDigest, normalize, type Digest } from '../../src/digest/digest.js';
import { LineSplitter } from '../../src/input/lines.js';
import { resolveSources } from '../../src/input/sources.js';
import { BlockCutter } from '../../src/workers/blocks.js';
import { readParallel } from '../../src/workers/parallel.js';
import { accessLines } from '../access-generator.js';

/** 'lineNo:text' per line, and the number of lines the splitter cut at maxLine */
function linesOf(chunks: readonly Buffer[], maxLine: number): { lines: string[]; truncated: number } {
  const lines: string[] = [];
  const s = new LineSplitter((t, n) => lines.push(`${n}:${t}`), maxLine);
  for (const c of chunks) s.push(c);
  s.end();
  return { lines, truncated: s.stats.truncated };
}

function plain(d: Digest): unknown {
  return JSON.parse(JSON.stringify({
    ...d,
    buckets: [...d.buckets].sort((a, b) => a[0] - b[0]),
    signalOverflow: [...d.signalOverflow],
    coverage: [...d.coverage].sort(),
    signalCounts: [...d.signalCounts].sort(),
  }));
}

describe('BlockCutter', () => {
  it('keeps every line, CR, over-long line and the unterminated last line, however the bytes arrive', () => {
    const maxLine = 64;
    const text = [
      'short', 'crlf line\r', 'x'.repeat(200), '', 'ümlaut and \xff bad byte', 'y'.repeat(65), 'z'.repeat(64), 'tail without LF',
    ].join('\n');
    const bytes = Buffer.from(text, 'latin1');
    const whole = linesOf([bytes], maxLine);
    expect(whole.truncated).toBe(2);
    for (let seed = 1; seed <= 200; seed++) {
      // arbitrary chunk sizes and block sizes, from 1 byte up
      const chunks: Buffer[] = [];
      for (let at = 0, k = seed; at < bytes.length; k = (k * 7 + 3) % 97) {
        const n = 1 + (k % 41);
        chunks.push(bytes.subarray(at, at + n));
        at += n;
      }
      const cutter = new BlockCutter(1 + (seed % 90), maxLine);
      const blocks: Buffer[] = [];
      for (const c of chunks) blocks.push(...cutter.push(c));
      const rest = cutter.end();
      if (rest) blocks.push(rest);
      // each block is split on its own, as a worker does, and its line numbers shifted afterwards
      const got: string[] = [];
      let truncated = 0;
      for (const b of blocks) {
        const offset = got.length;
        const part = linesOf([b], maxLine);
        truncated += part.truncated;
        for (const l of part.lines) {
          const colon = l.indexOf(':');
          got.push(`${Number(l.slice(0, colon)) + offset}${l.slice(colon)}`);
        }
      }
      expect({ lines: got, truncated }).toEqual(whole);
    }
  });
});

describe('readParallel on one thread (every input through the block path)', () => {
  it('gives the digest and inputs of one pass, including an Apache %D log that must be read again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-blk-'));
    writeFileSync(join(dir, 'access.log'), `${accessLines('combined', 12_000, 11).join('\n')}\n`);
    writeFileSync(join(dir, 'apache_access.log'), `${accessLines('apache-d', 12_000, 12).join('\n')}\n`);
    writeFileSync(join(dir, 'old.log.1.gz'), gzipSync(accessLines('positional', 12_000, 13).join('\r\n')));
    const { sources } = resolveSources([dir], false);

    const d = createDigest();
    const counter = accessCounter(d);
    const inputs = await readSources(sources, { tz: 'UTC', onRecord: (r) => addRecord(d, r), onCount: counter.count, warn: () => undefined });
    counter.flush();

    const par = await readParallel(sources, { tz: 'UTC', threads: 1 });
    expect(par.inputs).toEqual(inputs);
    expect(plain(par.digest)).toEqual(plain(normalize(d)));
    // the blocks' own line numbers would start again at 1 in every block
    const lines = new Set([...par.digest.errors].filter((e) => e.source.endsWith('access.log')).map((e) => e.line));
    expect(Math.max(...lines)).toBeGreaterThan(10_000);
  });
});
