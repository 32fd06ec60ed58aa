// Byte-level line splitting. split2 was the first choice, but its maxLength aborts the stream instead of
// truncating the line, and it pushes one stream event per line; logs need "cap and count, never die" and a
// synchronous callback per line keeps the hot path free of stream overhead.
//
// Lines end at LF; a CR before the LF is dropped (CRLF files). Bytes are decoded as UTF-8 with invalid
// sequences replaced by U+FFFD (Buffer#toString does that), so bad bytes never throw.

export const DEFAULT_MAX_LINE = 64 * 1024;

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

export class LineSplitter {
  private readonly maxLine: number;
  private readonly sink: LineSink;
  /** bytes of the current line carried over from the previous chunk (at most maxLine + 1) */
  private carry: Buffer | null = null;
  /** the current line already exceeded the cap: skip bytes until its LF */
  private overflowing = false;
  readonly stats: SplitStats = { lines: 0, truncated: 0, firstTruncatedLine: 0 };

  constructor(sink: LineSink, maxLine = DEFAULT_MAX_LINE) {
    this.sink = sink;
    this.maxLine = maxLine;
  }

  push(chunk: Buffer): void {
    let start = 0;
    const len = chunk.length;
    while (start < len) {
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

  private emit(buf: Buffer, from: number, to: number): void {
    let end = to;
    if (end > from && buf[end - 1] === 13) end--;
    this.stats.lines++;
    this.sink(buf.toString('utf8', from, end), this.stats.lines);
  }
}
