// Reading on several threads. Small inputs go whole to a thread; big access logs (plain or gzip) are read
// once on the main thread (gunzip runs on libuv's pool) and cut into blocks of whole lines that the threads
// parse in parallel. Every task answers with its own digest; the coordinator shifts block line numbers to
// the file's, joins per-input statistics, and sums the digests in input order: the same digest, inputs and
// report as one thread reading everything (test/workers/parallel.test.ts).
//
// A block is parsed without the lines before it. For single-line access logs one thing carries from line
// to line: whether Apache's lone integer durations are %D microseconds (see AccessScanState). A block that
// read such integers as seconds after an earlier block switched to %D, or that met lines of another family
// (which may be multi-line and span blocks), may differ: its whole input is then read again on one thread.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { accessCounter, createDigest, type Digest, mergeInto, mergePackedInto, normalize, type PackedDigest } from '../digest/digest.js';
import type { FormatId } from '../formats/types.js';
import { addTruncationNotice, describeReadError, sniffInput } from '../input/ingest.js';
import { emptySummary, type InputSummary } from '../input/summary.js';
import { openInput } from '../input/open.js';
import type { Source } from '../input/sources.js';
import { BLOCK_BYTES, BlockCutter } from './blocks.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { type BlockReport, type DigestTarget, readBlock, readFile, type TaskOptions } from './task.js';

export interface ParallelOptions extends TaskOptions {
  /** threads that parse, this one included */
  threads: number;
  shouldStop?(): boolean;
  onBytes?(bytes: number): void;
}

export interface ParallelResult {
  /** normalized */
  digest: Digest;
  inputs: InputSummary[];
}

/** Inputs at least this big are cut into blocks; smaller ones are read whole by one thread. */
const SPLIT_BYTES = 2 * BLOCK_BYTES;
/** Tasks queued per thread: enough to keep each busy, few enough to bound memory. */
const QUEUE_PER_THREAD = 2;
/** Tasks a worker holds at once: its next one is there when it finishes, whatever the main thread is doing. */
const IN_FLIGHT = 2;
const BLOCK_FAMILIES: ReadonlySet<FormatId> = new Set(['nginx-access', 'apache-access']);
const MAX_SAMPLES = 5;

type Plan = { kind: 'main' } | { kind: 'file'; bytes: number } | { kind: 'blocks'; sniffed: FormatId };

/** Bytes of the inputs that are files (0 for stdin and what cannot be read). */
export function inputBytes(sources: readonly Source[]): number[] {
  return sources.map((s) => {
    if (s.kind === 'stdin') return 0;
    try {
      return statSync(s.path).size;
    } catch {
      return 0;
    }
  });
}

async function planOf(src: Source, bytes: number, opts: TaskOptions): Promise<Plan> {
  // a worker has no stdin of its own
  if (src.kind === 'stdin') return { kind: 'main' };
  if (bytes < SPLIT_BYTES) return { kind: 'file', bytes };
  try {
    const head = await sniffInput(src, opts.inputFormat, undefined, { nginx: opts.nginxLogFormat, apache: opts.apacheLogFormat });
    if (!head.binary && head.format !== null && BLOCK_FAMILIES.has(head.format)) return { kind: 'blocks', sniffed: head.format };
  } catch {
    // unreadable: reading it whole reports why
  }
  return { kind: 'file', bytes };
}

type Task = ToWorker;
/** A worker's digest arrives packed; the main thread's own is a plain one, or already in the input's digest. */
type Answer =
  | { type: 'file'; input: number; summary: InputSummary; digest: Digest | PackedDigest }
  | { type: 'block'; report: BlockReport; digest: PackedDigest }
  | { type: 'local-block'; report: BlockReport; rows: RowRange };

function isPacked(d: Digest | PackedDigest): d is PackedDigest {
  return d.buckets instanceof Float64Array;
}



interface Queued {
  msg: Task;
  transfer: ArrayBuffer[];
}

/**
 * Worker threads plus the main thread as one more slot: with --jobs 2 one worker is started, not two, so
 * two threads parse while only two V8 heaps take memory.
 */
class Pool {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private localBusy = false;
  private readonly queue: Queued[] = [];
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(
    n: number,
    opts: TaskOptions,
    private readonly runLocal: (msg: Task) => Promise<Answer>,
    private readonly onAnswer: (a: Answer) => void,
  ) {
    const init: WorkerInit = { opts };
    for (let i = 0; i < n; i++) {
      // a small young generation: the per-line garbage dies young anyway, and each heap counts in peak RSS
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      this.busy.push(0);
      w.on('message', (m: FromWorker) => this.answer(i, m));
      w.on('error', (e: Error) => this.fail(e));
      this.workers.push(w);
    }
  }

  private answer(slot: number, m: FromWorker): void {
    if (m.type === 'failed') {
      this.fail(new Error(`worker: ${m.message}`));
      return;
    }
    this.busy[slot] = (this.busy[slot] ?? 1) - 1;
    this.onAnswer(m);
    this.pump();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake();
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const f of ws) f();
  }

  private pump(): void {
    for (let i = 0; i < this.workers.length && this.queue.length > 0; i++) {
      while ((this.busy[i] ?? 0) < IN_FLIGHT) {
        const t = this.queue.shift();
        if (t === undefined) break;
        this.busy[i] = (this.busy[i] ?? 0) + 1;
        this.workers[i]?.postMessage(t.msg, t.transfer);
      }
    }
    if (!this.localBusy) {
      const t = this.queue.shift();
      if (t !== undefined) {
        this.localBusy = true;
        // not inside pump: the caller may be in the middle of queueing
        setImmediate(() => {
          this.runLocal(t.msg).then(
            (a) => {
              this.localBusy = false;
              this.onAnswer(a);
              this.pump();
            },
            (e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))),
          );
        });
      }
    }
    this.wake();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Queues a task; waits while the queue is full. */
  async add(msg: Task, transfer: ArrayBuffer[] = []): Promise<void> {
    this.check();
    while (this.queue.length >= (this.workers.length + 1) * QUEUE_PER_THREAD) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.check();
    }
    this.queue.push({ msg, transfer });
    this.pump();
  }

  /** Waits for every queued task to be answered. */
  async drain(): Promise<void> {
    for (;;) {
      this.check();
      if (this.queue.length === 0 && !this.localBusy && this.busy.every((b) => b === 0)) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** What the main thread learnt while cutting an input into blocks. */
interface BlockRead {
  gzip: boolean;
  /** the last block ends without a LF: its last line is not a whole one when reading stops */
  lineOpen: boolean;
  interrupted: boolean;
  readError?: unknown;
  openError?: unknown;
}

/** Rows [from, to) of an input digest's 5xx table. */
interface RowRange {
  from: number;
  to: number;
}

interface BlockDone {
  report: BlockReport;
  /** the block's 5xx rows in the input's digest: their line numbers are shifted once all blocks are in */
  rows: RowRange;
}

/** One summary for an input read in blocks, as ingestSource would have written it; block b starts after line offsets[b]. */
function joinBlocks(path: string, sniffed: FormatId, read: BlockRead, blocks: readonly BlockDone[]): { summary: InputSummary; offsets: number[] } {
  const s = emptySummary(path);
  s.gzip = read.gzip;
  const offsets: number[] = [];
  for (const { report } of blocks) {
    const b = report.summary;
    const off = s.lines;
    offsets.push(off);
    s.lines += b.lines;
    s.records += b.records;
    s.unrecognized += b.unrecognized;
    for (const u of b.unrecognizedSamples) if (s.unrecognizedSamples.length < MAX_SAMPLES) s.unrecognizedSamples.push({ line: u.line + off, text: u.text });
    if (b.truncatedLines > 0 && s.truncatedLines === 0 && b.firstTruncatedLine !== undefined) s.firstTruncatedLine = b.firstTruncatedLine + off;
    s.truncatedLines += b.truncatedLines;
    if (b.from === b.from && !(b.from >= s.from)) s.from = b.from;
    if (b.to === b.to && !(b.to <= s.to)) s.to = b.to;
  }
  s.format = sniffed;
  // ingestSource names the line reading stopped after: the whole lines before the open one
  const linesBefore = s.lines - (read.lineOpen ? 1 : 0);
  if (read.interrupted) s.problems.push(`interrupted after line ${linesBefore}`);
  if (read.readError !== undefined) s.problems.push(describeReadError(read.readError, linesBefore));
  addTruncationNotice(s);
  if (s.lines === 0 && s.problems.length === 0) s.format = 'empty';
  return { summary: s, offsets };
}

/** True when the blocks, each parsed from a fresh start, may differ from one pass over the input. */
function needsRereading(blocks: readonly BlockDone[]): boolean {
  let micros = false;
  for (const { report } of blocks) {
    if (Object.keys(report.summary.alsoFound).length > 0) return true;
    if (micros && report.secondsDurations > 0) return true;
    micros ||= report.endedMicros;
  }
  return false;
}

export async function readParallel(sources: readonly Source[], opts: ParallelOptions): Promise<ParallelResult> {
  const { threads, shouldStop, onBytes, ...taskOpts } = opts;
  const bytes = inputBytes(sources);
  const plans = await Promise.all(sources.map((src, i) => planOf(src, bytes[i] ?? 0, taskOpts)));

  const digests: (Digest | undefined)[] = sources.map(() => undefined);
  const digestOf = (i: number): Digest => (digests[i] ??= createDigest());
  // the main thread's blocks count straight into their input's digest
  const targets = new Map<number, DigestTarget>();
  const targetOf = (i: number): DigestTarget => {
    let t = targets.get(i);
    if (!t) {
      const digest = digestOf(i);
      t = { digest, counter: accessCounter(digest) };
      targets.set(i, t);
    }
    return t;
  };
  const summaries = new Map<number, InputSummary>();
  const blocks = new Map<number, BlockDone[]>();
  const blockDone = (report: BlockReport, rows: RowRange): void => {
    let list = blocks.get(report.input);
    if (!list) {
      list = [];
      blocks.set(report.input, list);
    }
    list.push({ report, rows });
  };

  const runLocal = async (msg: Task): Promise<Answer> => {
    if (msg.type === 'file') return { type: 'file', input: msg.input, ...(await readFile(msg.src, taskOpts)) };
    const data = Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
    const r = await readBlock(msg.input, msg.block, msg.src, data, msg.sniffed, taskOpts, targetOf(msg.input));
    return { type: 'local-block', report: r.report, rows: r.rows };
  };
  const pool = new Pool(threads - 1, taskOpts, runLocal, (a) => {
    if (a.type === 'file') {
      summaries.set(a.input, a.summary);
      digests[a.input] = isPacked(a.digest) ? mergePackedInto(createDigest(), a.digest) : a.digest;
      const p = plans[a.input];
      if (onBytes && p?.kind === 'file') onBytes(p.bytes);
    } else if (a.type === 'block') {
      // a block's rows are appended together: no other block is merged while one is
      const d = digestOf(a.report.input);
      const from = d.errors.length;
      mergePackedInto(d, a.digest);
      blockDone(a.report, { from, to: d.errors.length });
    } else {
      blockDone(a.report, a.rows);
    }
  });

  const reads = new Map<number, BlockRead>();
  const cutIntoBlocks = async (input: number, src: Source, sniffed: FormatId): Promise<void> => {
    const read: BlockRead = { gzip: false, lineOpen: false, interrupted: false };
    reads.set(input, read);
    let opened;
    try {
      opened = await openInput(src);
    } catch (err) {
      read.openError = err;
      return;
    }
    read.gzip = opened.gzip;
    const cutter = new BlockCutter();
    let n = 0;
    const send = async (data: Buffer): Promise<void> => {
      const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      await pool.add({ type: 'block', input, block: n++, src, data: view, sniffed }, [data.buffer as ArrayBuffer]);
    };
    let taken = 0;
    try {
      for await (const chunk of opened.chunks) {
        for (const b of cutter.push(chunk)) await send(b);
        if (onBytes) {
          const t = opened.bytesRead();
          onBytes(t - taken);
          taken = t;
        }
        if (shouldStop?.()) {
          read.interrupted = true;
          break;
        }
      }
    } catch (err) {
      read.readError = err;
    }
    read.lineOpen = cutter.lineOpen;
    const rest = cutter.end();
    if (rest !== null) await send(rest);
  };

  try {
    const onMain: Promise<void>[] = [];
    for (let i = 0; i < sources.length; i++) {
      const src = sources[i];
      const plan = plans[i];
      if (src === undefined || plan === undefined) continue;
      if (plan.kind === 'main') {
        onMain.push(readFile(src, taskOpts, { shouldStop, onBytes }).then((r) => {
          summaries.set(i, r.summary);
          digests[i] = r.digest;
        }));
      } else if (plan.kind === 'file') {
        await pool.add({ type: 'file', input: i, src });
      } else {
        await cutIntoBlocks(i, src, plan.sniffed);
      }
    }
    await Promise.all(onMain);
    await pool.drain();
  } finally {
    await pool.close();
  }
  for (const t of targets.values()) t.counter.flush();

  const inputs: InputSummary[] = [];
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i];
    const plan = plans[i];
    if (src === undefined || plan === undefined) continue;
    if (plan.kind !== 'blocks') {
      inputs.push(summaries.get(i) ?? emptySummary(src.path));
      continue;
    }
    const read = reads.get(i);
    if (read === undefined || read.openError !== undefined) {
      const s = emptySummary(src.path);
      s.format = 'empty';
      if (read?.openError !== undefined) s.problems.push(describeReadError(read.openError));
      inputs.push(s);
      continue;
    }
    const done = (blocks.get(i) ?? []).sort((a, b) => a.report.block - b.report.block);
    if (needsRereading(done)) {
      const again = await readFile(src, taskOpts, { shouldStop });
      inputs.push(again.summary);
      digests[i] = again.digest;
      continue;
    }
    const { summary, offsets } = joinBlocks(src.path, plan.sniffed, read, done);
    inputs.push(summary);
    const errors = digestOf(i).errors;
    done.forEach(({ rows }, b) => errors.shiftLines(rows.from, rows.to, offsets[b] ?? 0));
  }

  // summed in input order, as one thread reading the inputs in turn would have added them
  let total: Digest | undefined;
  for (let i = 0; i < digests.length; i++) {
    const d = digests[i];
    if (d === undefined) continue;
    digests[i] = undefined;
    total = total === undefined ? d : mergeInto(total, d);
  }
  return { digest: normalize(total ?? createDigest()), inputs };
}
