// Byte-level line splitting. split2 was the first choice, but its maxLength aborts the stream instead of
// truncating the line, and it pushes one stream event per line; logs need "cap and count, never die" and a
// synchronous callback per line keeps the hot path free of stream overhead.
//
// Lines end at LF; a CR before the LF is dropped (CRLF files). Bytes are decoded as UTF-8 with invalid
// sequences replaced by U+FFFD (Buffer#toString does that), so bad bytes never throw.
//
// With `sliced` set, the whole lines of a chunk that is pure ASCII are decoded 64 KB at a time into one string
// and handed out as slices of it: no copy and no decoder call per line (they were a tenth of the analysis).
// A slice keeps its whole 64 KB piece alive, so a consumer that keeps a line, or a part of one, beyond the
// callback must keep ownString(part) instead; only consumers that know what they keep turn it on (ingest.ts).
import { isAscii } from 'node:buffer';

export const DEFAULT_MAX_LINE = 64 * 1024;
/** Bytes decoded at once in sliced mode: below V8's large-object size (128 KB), see push(). */
const PIECE = 64 * 1024;

export interface LineSink {
  (text: string, lineNo: number): void;
}

export interface SplitStats {
  lines: number;
  /** lines longer than the cap, cut to the cap */
  truncated: number;
  /** first truncated line number, for the one-line notice */
  firstTruncatedLine: number;
}

/**
 * A copy of s that shares no memory with the string it was sliced from. (Concatenation makes a new flat
 * string once sliced; the slice of it keeps that copy, one character longer, and nothing else.)
 */
export function ownString(s: string): string {
  return s.length === 0 ? '' : (' ' + s).slice(1);
}

export class LineSplitter {
  private readonly maxLine: number;
  private readonly sink: LineSink;
  /** bytes of the current line carried over from the previous chunk (at most maxLine + 1) */
  private carry: Buffer | null = null;
  /** the current line already exceeded the cap: skip bytes until its LF */
  private overflowing = false;
  readonly stats: SplitStats = { lines: 0, truncated: 0, firstTruncatedLine: 0 };
  /** hand out lines of ASCII chunks as slices of one string per chunk (see the top of this file) */
  sliced = false;
  /**
   * With `sliced`: offered each whole line of an ASCII piece as s[a, e) before it is sliced; true means it was
   * taken and no string is made (a parser that counts lines without keeping them, formats/types.ts countSpan).
   */
  spans: ((s: string, a: number, e: number) => boolean) | undefined = undefined;

  constructor(sink: LineSink, maxLine = DEFAULT_MAX_LINE) {
    this.sink = sink;
    this.maxLine = maxLine;
  }

  push(chunk: Buffer): void {
    let start = 0;
    const len = chunk.length;
    // whether the chunk's whole lines from `start` are ASCII: checked once, when `sliced` is first seen
    // (the sink may turn it on in the middle of a chunk, once the family is chosen)
    let last = -2;
    while (start < len) {
      if (this.sliced && this.carry === null && !this.overflowing) {
        if (last === -2) {
          last = chunk.lastIndexOf(10);
          if (last < start || !isAscii(chunk.subarray(start, last))) last = -1;
        }
        // pieces of at most PIECE bytes: a smaller string is born in V8's young generation and dies in its
        // cheap scavenges; a 1 MB one would wait in large-object space for a full GC, and many would pile up
        const stop = last < 0 ? -1 : chunk.lastIndexOf(10, Math.min(start + PIECE, last));
        if (stop >= start) {
          this.emitAscii(chunk.toString('latin1', start, stop));
          start = stop + 1;
          continue;
        }
      }
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.keep(chunk, start, len);
        return;
      }
      if (this.overflowing) {
        // the rest of a line that was already emitted truncated
        this.overflowing = false;
      } else if (this.carry !== null) {
        const have = this.carry.length;
        const take = Math.min(nl - start, this.maxLine - have);
        const line = Buffer.concat([this.carry, chunk.subarray(start, start + take)]);
        this.carry = null;
        if (have + (nl - start) > this.maxLine) this.countTruncated();
        this.emit(line, 0, line.length);
      } else if (nl - start > this.maxLine) {
        this.countTruncated();
        this.emit(chunk, start, start + this.maxLine);
      } else {
        this.emit(chunk, start, nl);
      }
      start = nl + 1;
    }
  }

  /** the last line when the input does not end with LF */
  end(): void {
    if (!this.overflowing && this.carry !== null && this.carry.length > 0) {
      const line = this.carry;
      this.carry = null;
      this.emit(line, 0, line.length);
    }
    this.carry = null;
    this.overflowing = false;
  }

  /** bytes after the last LF of a chunk: keep them, or emit the line truncated once it passes the cap */
  private keep(chunk: Buffer, from: number, to: number): void {
    if (this.overflowing) return;
    const have = this.carry === null ? 0 : this.carry.length;
    if (have + (to - from) > this.maxLine) {
      const part = chunk.subarray(from, from + (this.maxLine - have));
      const line = this.carry === null ? part : Buffer.concat([this.carry, part]);
      this.carry = null;
      this.countTruncated();
      this.emit(line, 0, line.length);
      this.overflowing = true;
      return;
    }
    const part = chunk.subarray(from, to);
    // copy: the caller may reuse the chunk's memory
    this.carry = this.carry === null ? Buffer.from(part) : Buffer.concat([this.carry, part]);
  }

  private countTruncated(): void {
    this.stats.truncated++;
    if (this.stats.firstTruncatedLine === 0) this.stats.firstTruncatedLine = this.stats.lines + 1;
  }

  /** The lines of s, ASCII text whose every line ended at a LF that is not part of s. */
  private emitAscii(s: string): void {
    const spans = this.spans;
    const max = this.maxLine;
    const len = s.length;
    let a = 0;
    for (;;) {
      let nl = s.indexOf('\n', a);
      if (nl === -1) nl = len;
      let end = nl;
      // one byte per character: the byte cap is a character cap
      const cut = end - a > max;
      if (cut) {
        this.countTruncated();
        end = a + max;
      }
      if (end > a && s.charCodeAt(end - 1) === 13) end--;
      this.stats.lines++;
      // a cut line goes out as a string: the text after its end is still the line, which a span must not read
      if (cut || spans === undefined || !spans(s, a, end)) this.sink(s.slice(a, end), this.stats.lines);
      if (nl === len) return;
      a = nl + 1;
    }
  }

  private emit(buf: Buffer, from: number, to: number): void {
    let end = to;
    if (end > from && buf[end - 1] === 13) end--;
    this.stats.lines++;
    this.sink(buf.toString('utf8', from, end), this.stats.lines);
  }
}
