// The work a thread does, the same in a worker and on the main thread: read a whole input, or a block of
// one, into a digest of its own, which goes back to the coordinator at once (parallel.ts). A worker keeps
// nothing between tasks, so its heap holds one block's garbage, never a day of per-second buckets.
import { countFilter, timeFilter } from '../cli/read.js';
import { accessCounter, addRecord, createDigest, type AccessCounter, type Digest } from '../digest/digest.js';
import type { AccessScanState } from '../formats/access-line.js';
import type { FormatId } from '../formats/types.js';
import { ingestSource, type IngestOptions } from '../input/ingest.js';
import type { InputSummary } from '../input/summary.js';
import type { Source } from '../input/sources.js';

/** The reading options that cross to a worker (plain data). */
export interface TaskOptions {
  tz: string;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  since?: number;
  until?: number;
}

/** What a block told about itself. */
export interface BlockReport {
  input: number;
  block: number;
  /** line numbers inside (and in the block's digest) are counted from the block's first line */
  summary: InputSummary;
  /** the block switched the access scanner to %D microseconds */
  endedMicros: boolean;
  /** lone integer durations it read as seconds (wrong if an earlier block switched to %D) */
  secondsDurations: number;
}

type Extra = Pick<IngestOptions, 'shouldStop' | 'onBytes' | 'block' | 'accessState'>;

/** Where a task's records and counts go: a digest of its own, or (on the main thread) the input's. */
export interface DigestTarget {
  digest: Digest;
  counter: AccessCounter;
}

async function read(src: Source, opts: TaskOptions, extra: Extra, target?: DigestTarget): Promise<{ summary: InputSummary; digest: Digest }> {
  const own = target === undefined;
  const digest = target?.digest ?? createDigest();
  const counter = target?.counter ?? accessCounter(digest);
  const { since, until } = opts;
  const onRecord = timeFilter({ since, until, onRecord: (r) => addRecord(digest, r) });
  const onCount = countFilter({ since, until, onCount: counter.count });
  const summary = await ingestSource(src, { ...opts, ...extra, onRecord, onCount });
  // a shared target is flushed once by its owner
  if (own) counter.flush();
  return { summary, digest };
}

export function readFile(src: Source, opts: TaskOptions, extra: Pick<IngestOptions, 'shouldStop' | 'onBytes'> = {}): Promise<{ summary: InputSummary; digest: Digest }> {
  return read(src, opts, extra);
}

/**
 * A block into a digest of its own, or into `target` (the main thread's own blocks go straight into the
 * input's digest: no digest per block to build and merge). `rows` are the block's 5xx in the digest
 * [from, to), whose line numbers the caller shifts.
 */
export async function readBlock(
  input: number,
  block: number,
  src: Source,
  data: Buffer,
  sniffed: FormatId,
  opts: TaskOptions,
  target?: DigestTarget,
): Promise<{ report: BlockReport; digest: Digest; rows: { from: number; to: number } }> {
  // every block starts as the file's first line does; parallel.ts checks whether that mattered
  const accessState: AccessScanState = { durationMicros: false, secondsDurations: 0 };
  const before = target?.digest.errors.length ?? 0;
  const { summary, digest } = await read(src, opts, { block: { data, sniffed }, accessState }, target);
  return {
    report: { input, block, summary, endedMicros: accessState.durationMicros, secondsDurations: accessState.secondsDurations },
    digest,
    rows: { from: before, to: digest.errors.length },
  };
}
