// Following one log file by polling, across logrotate's two ways of rotating:
//
// - rename (`create`, the default): the file we hold is renamed to name.1 and a new file takes the name.
//   We read the new file from byte 0 at once, but the writer keeps appending to the old one until it
//   reopens (nginx on USR1, after postrotate), so the old file stays open and read until it has been quiet
//   for a while.
// - copytruncate: the file is copied to name.1 and truncated in place; the inode stays. A file shorter
//   than what we read, or whose bytes just before our offset are no longer the ones we read, was truncated.
//   Lines written after our last read but before the copy exist only in the copy, so the copy is found
//   among name.* / name-* by those same bytes and read from our offset to its end first.
//
// Polling rather than fs.watch: inotify misses renames on some filesystems (NFS, overlay), and a poll per
// second costs one fstat per file.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const READ_SIZE = 1 << 20;
/** bytes before the offset compared to tell a truncated-and-refilled file from a grown one */
const FINGERPRINT = 512;
/** at most this much is read per poll, so that a big file's history does not hold up the reports */
const MAX_PER_POLL = 64 << 20;

export interface TailSink {
  data(chunk: Buffer): void;
  /** a new file took the name: what data() brings now is that file; the old one goes on in retiredData() */
  rotated(): void;
  retiredData(chunk: Buffer): void;
  /** the renamed file stayed quiet and was closed */
  retiredEnded(): void;
  /** the file was truncated in place after its content was read to the end: it starts again */
  restarted(): void;
  problem(message: string): void;
}

/** Quiet polls after which a renamed file is closed (its writer has long reopened the new one). */
const RETIRE_AFTER_QUIET_POLLS = 10;

interface Reader {
  fd: number;
  offset: number;
  /** the last bytes read, to recognise the file (or its copy) later */
  tailBytes: Buffer;
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

export class FileTail {
  readonly path: string;
  private readonly sink: TailSink;
  private cur: (Reader & { stat: Stats }) | null = null;
  private retired: (Reader & { quiet: number; stat: Stats }) | null = null;

  constructor(path: string, sink: TailSink) {
    this.path = path;
    this.sink = sink;
    this.cur = this.open();
  }

  private open(): (Reader & { stat: Stats }) | null {
    let fd: number | undefined;
    try {
      fd = openSync(this.path, 'r');
      return { fd, stat: fstatSync(fd), offset: 0, tailBytes: Buffer.alloc(0) };
    } catch {
      if (fd !== undefined) closeSync(fd);
      return null;
    }
  }

  /** Reads what is new. Returns the number of bytes read; `more` when the per-poll cap stopped it. */
  poll(): { bytes: number; more: boolean } {
    let bytes = this.pollRetired();
    if (this.cur === null) this.cur = this.open();
    const cur = this.cur;
    if (cur === null) return { bytes, more: false };

    const size = fstatSync(cur.fd).size;
    if (cur.offset > 0 && this.wasTruncated(cur, size)) {
      this.recoverFromCopy(cur);
      this.sink.restarted();
      cur.offset = 0;
      cur.tailBytes = Buffer.alloc(0);
    }
    const read = this.drain(cur, size, (c) => this.sink.data(c));
    bytes += read.bytes;
    if (read.more) return { bytes, more: true };

    const named = statOrNull(this.path);
    if (named !== null && !sameFile(named, cur.stat)) {
      // rename rotation: the old file retires (still read), the new one is read from its start
      this.endRetired();
      this.retired = { fd: cur.fd, offset: cur.offset, tailBytes: cur.tailBytes, quiet: 0, stat: cur.stat };
      this.sink.rotated();
      this.cur = this.open();
      if (this.cur !== null) {
        const next = this.drain(this.cur, fstatSync(this.cur.fd).size, (c) => this.sink.data(c));
        return { bytes: bytes + next.bytes, more: next.more };
      }
    }
    return { bytes, more: false };
  }

  /** True when `st` is the file read now or the renamed one still read: another name for lines taken here. */
  holds(st: Stats): boolean {
    return (this.cur !== null && sameFile(st, this.cur.stat)) || (this.retired !== null && sameFile(st, this.retired.stat));
  }

  /** Reads the rest of everything and closes it. */
  close(): void {
    this.pollRetired();
    this.endRetired();
    if (this.cur !== null) closeSync(this.cur.fd);
    this.cur = null;
  }

  private pollRetired(): number {
    const r = this.retired;
    if (r === null) return 0;
    const read = this.drain(r, fstatSync(r.fd).size, (c) => this.sink.retiredData(c));
    r.quiet = read.bytes > 0 ? 0 : r.quiet + 1;
    if (r.quiet >= RETIRE_AFTER_QUIET_POLLS) this.endRetired();
    return read.bytes;
  }

  private endRetired(): void {
    if (this.retired === null) return;
    closeSync(this.retired.fd);
    this.retired = null;
    this.sink.retiredEnded();
  }

  private drain(r: Reader, size: number, to: (chunk: Buffer) => void): { bytes: number; more: boolean } {
    const start = r.offset;
    const end = Math.min(size, start + MAX_PER_POLL);
    while (r.offset < end) {
      const chunk = readAt(r.fd, r.offset, Math.min(READ_SIZE, end - r.offset));
      if (chunk.length === 0) break;
      r.offset += chunk.length;
      r.tailBytes =
        chunk.length >= FINGERPRINT
          ? Buffer.from(chunk.subarray(chunk.length - FINGERPRINT))
          : Buffer.concat([r.tailBytes, chunk]).subarray(-FINGERPRINT);
      to(chunk);
    }
    return { bytes: r.offset - start, more: end < size };
  }

  private wasTruncated(r: Reader, size: number): boolean {
    if (size < r.offset) return true;
    const fp = r.tailBytes;
    return !readAt(r.fd, r.offset - fp.length, fp.length).equals(fp);
  }

  /** copytruncate: the lines between our offset and the truncation are in the copy; read them from there. */
  private recoverFromCopy(cur: Reader): void {
    const dir = dirname(this.path);
    const base = basename(this.path);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    const candidates = names
      .filter((n) => n !== base && (n.startsWith(`${base}.`) || n.startsWith(`${base}-`)))
      .map((n) => ({ path: join(dir, n), st: statOrNull(join(dir, n)) }))
      .filter((c): c is { path: string; st: Stats } => c.st !== null && c.st.isFile() && c.st.size >= cur.offset)
      .sort((a, b) => b.st.mtimeMs - a.st.mtimeMs);
    for (const c of candidates) {
      let fd: number;
      try {
        fd = openSync(c.path, 'r');
      } catch {
        continue;
      }
      try {
        const copy: Reader = { fd, offset: cur.offset, tailBytes: cur.tailBytes };
        if (!readAt(fd, cur.offset - cur.tailBytes.length, cur.tailBytes.length).equals(cur.tailBytes)) continue;
        // the copy's rest is the end of what we were reading: no per-poll cap, it is bounded by one rotation
        while (this.drain(copy, c.st.size, (chunk) => this.sink.data(chunk)).more);
        return;
      } finally {
        closeSync(fd);
      }
    }
    this.sink.problem('truncated in place (copytruncate) and its copy was not found: lines written just before may be missing');
  }
}
