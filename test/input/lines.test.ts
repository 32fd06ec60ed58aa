import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/input/lines.js';

function split(chunks: (string | Buffer)[], max?: number) {
  const out: [number, string][] = [];
  const s = new LineSplitter((t, n) => out.push([n, t]), max);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  s.end();
  return { out, stats: s.stats };
}

describe('LineSplitter', () => {
  it('numbers lines, drops the CR of CRLF and keeps a last line without LF', () => {
    const { out } = split(['a\r\nb\n', 'c']);
    expect(out).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
  });

  it('joins a line split across chunks, including a CRLF split between chunks', () => {
    const { out } = split(['GET /x HT', 'TP/1.1\r', '\nnext\n']);
    expect(out).toEqual([[1, 'GET /x HTTP/1.1'], [2, 'next']]);
  });

  it('keeps blank lines so line numbers match the file', () => {
    const { out } = split(['\n\nx\n']);
    expect(out.map((o) => o[0])).toEqual([1, 2, 3]);
    expect(out[2]).toEqual([3, 'x']);
  });

  it('replaces invalid UTF-8 with U+FFFD instead of failing', () => {
    const { out } = split([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a])]);
    expect(out[0]?.[1]).toBe('a\ufffd\ufffdb');
  });

  it('does not split a multi-byte character cut between chunks', () => {
    const e = Buffer.from('é\n', 'utf8');
    const { out } = split([e.subarray(0, 1), e.subarray(1)]);
    expect(out[0]?.[1]).toBe('é');
  });

  it('truncates over-long lines to the cap, counts them and goes on with the next line', () => {
    const long = 'x'.repeat(100);
    const { out, stats } = split([`${long}\nshort\n`], 10);
    expect(out).toEqual([[1, 'x'.repeat(10)], [2, 'short']]);
    expect(stats.truncated).toBe(1);
    expect(stats.firstTruncatedLine).toBe(1);
  });

  it('truncates a long line that spans many chunks without buffering it whole', () => {
    const chunks = Array.from({ length: 50 }, () => 'y'.repeat(7));
    const { out, stats } = split([...chunks, '\nafter\n'], 16);
    expect(out).toEqual([[1, 'y'.repeat(16)], [2, 'after']]);
    expect(stats.truncated).toBe(1);
  });

  it('handles a 1 MB line followed by normal lines', () => {
    const { out, stats } = split(['a\n', 'z'.repeat(1 << 20), '\nb\n']);
    expect(out.map((o) => o[1].length)).toEqual([1, 64 * 1024, 1]);
    expect(stats.truncated).toBe(1);
  });
  it('offers whole lines of ASCII pieces as spans; lines not taken, cut lines and non-ASCII chunks become strings', () => {
    const seen: string[] = [];
    const out: [number, string][] = [];
    const sp = new LineSplitter((t, n) => out.push([n, t]), 8);
    sp.sliced = true;
    // takes the lines that start with 'k'
    sp.spans = (s, a, e) => {
      seen.push(s.slice(a, e));
      return s.charCodeAt(a) === 107;
    };
    sp.push(Buffer.from('keep\r\ngive\nkeep-this-is-long\nkeep\n\n'));
    sp.push(Buffer.from('ké\nkeep\n', 'utf8'));
    sp.push(Buffer.from('kee'));
    sp.push(Buffer.from('p\ngive'));
    sp.end();
    expect(seen).toEqual(['keep', 'give', 'keep', '']);
    expect(out).toEqual([[2, 'give'], [3, 'keep-thi'], [5, ''], [6, 'ké'], [7, 'keep'], [8, 'keep'], [9, 'give']]);
    expect(sp.stats).toMatchObject({ lines: 9, truncated: 1 });
  });
});
