// Opening an input: a stream of byte chunks, gunzipped when the first bytes are the gzip magic (never by
// name: 'access.log.2.gz' renamed to 'old' is still gzip, and a plain file named .gz is still plain).
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Source } from './sources.js';

/**
 * Bytes per read (and per gunzip output chunk). 512 KB reads as fast as 1 MB on the bench file but holds
 * less in flight: peak RSS 4 MB lower plain, 18 MB lower gzipped (bench/run.mjs, 1 M lines).
 */
const READ_SIZE = 1 << 19;

export interface OpenedInput {
  chunks: AsyncIterable<Buffer>;
  /** bytes taken from the file or stdin so far (compressed bytes for gzip): for progress */
  bytesRead(): number;
  gzip: boolean;
  /** set when the input looks binary (NUL bytes / mostly non-text in the first bytes) */
  binary: boolean;
}

/** NULs in a run this long are a hole in a text file, not binary structure (see looksBinary). */
const NUL_HOLE = 16;

/**
 * True when a sample of bytes is not text: a NUL between other bytes, or many control bytes that logs never
 * hold. Long runs of NULs are skipped: a log truncated by logrotate's copytruncate while its writer keeps its
 * offset, or cut short by a crash, starts or continues with a block of NULs before more text.
 */
export function looksBinary(sample: Buffer): boolean {
  const n = Math.min(sample.length, 8192);
  let odd = 0;
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const c = sample[i] ?? 0;
    if (c === 0) {
      let end = i;
      while (end < n && sample[end] === 0) end++;
      if (end - i < NUL_HOLE && end < n) return true;
      i = end - 1;
      continue;
    }
    seen++;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27 && c !== 12) odd++;
  }
  return seen > 0 && odd / seen > 0.1;
}

async function* none(): AsyncGenerator<Buffer> {
  // an empty input
}

function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Yields the first chunk again, then the rest of the iterator. */
async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

function rawStream(src: Source): Readable {
  return src.kind === 'stdin' ? process.stdin : createReadStream(src.path, { highWaterMark: READ_SIZE });
}

async function firstChunk(it: AsyncIterator<Buffer>): Promise<Buffer | null> {
  for (;;) {
    const r = await it.next();
    if (r.done) return null;
    if (r.value.length > 0) return r.value;
  }
}

/**
 * Each chunk with its last bytes written on their own. zlib checks a member's CRC and length (its last 8
 * bytes) in the same call that inflates the data before them, and on a mismatch that call's output is
 * lost: for a small file, all of it. With the tail apart, everything but those few bytes is out first.
 */
async function* trailerApart(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const TAIL = 16;
  for await (const c of chunks) {
    if (c.length <= TAIL * 2) {
      yield c;
      continue;
    }
    yield c.subarray(0, c.length - TAIL);
    yield c.subarray(c.length - TAIL);
  }
}

/** Chunks queued before the stream is paused: bounded memory however fast zlib inflates. */
const MAX_QUEUED = 4;

/**
 * A readable's chunks, where an error (a bad gzip checksum or length at the very end) is raised only after
 * every chunk that came before it was handed out: the stream's own async iterator drops them, and a
 * whole file's lines were lost for a wrong CRC in its last 8 bytes.
 */
function drainThenFail(stream: Readable): AsyncIterator<Buffer> {
  const queue: Buffer[] = [];
  let failed: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  stream.on('data', (b: Buffer) => {
    queue.push(b);
    if (queue.length >= MAX_QUEUED) stream.pause();
    notify();
  });
  stream.on('end', () => {
    ended = true;
    notify();
  });
  stream.on('error', (e: Error) => {
    failed = e;
    notify();
  });
  return {
    async next(): Promise<IteratorResult<Buffer>> {
      for (;;) {
        const b = queue.shift();
        if (b !== undefined) {
          if (queue.length < MAX_QUEUED && stream.isPaused()) stream.resume();
          return { value: b, done: false };
        }
        if (failed) throw failed;
        if (ended) return { value: undefined, done: true };
        if (stream.isPaused()) stream.resume();
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/**
 * Opens the input. Errors while opening (missing, unreadable) reject; errors while reading (truncated
 * gzip, a file removed mid-run) surface from the chunk iterator, after every byte that could be read.
 */
export async function openInput(src: Source): Promise<OpenedInput> {
  const stream = rawStream(src);
  let taken = 0;
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const b of stream as AsyncIterable<Buffer>) {
      taken += b.length;
      yield b;
    }
  };
  const bytesRead = (): number => taken;
  const raw = counted();
  const first = await firstChunk(raw);
  if (first === null) return { chunks: none(), bytesRead, gzip: false, binary: false };
  if (!isGzip(first)) {
    return { chunks: prepend(first, raw), bytesRead, gzip: false, binary: looksBinary(first) };
  }
  const gunzip = createGunzip({ chunkSize: READ_SIZE });
  Readable.from(trailerApart(prepend(first, raw))).on('error', (e: Error) => gunzip.destroy(e)).pipe(gunzip);
  const out = drainThenFail(gunzip);
  const head = await firstChunk(out);
  if (head === null) return { chunks: none(), bytesRead, gzip: true, binary: false };
  return { chunks: prepend(head, out), bytesRead, gzip: true, binary: looksBinary(head) };
}
