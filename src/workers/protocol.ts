// Messages between the coordinator (parallel.ts) and its workers (worker.ts): plain data; a digest's
// buckets travel packed in one transferred Float64Array (see packDigest).
import type { PackedDigest } from '../digest/digest.js';
import type { FormatId } from '../formats/types.js';
import type { InputSummary } from '../input/summary.js';
import type { Source } from '../input/sources.js';
import type { BlockReport, TaskOptions } from './task.js';

export interface WorkerInit {
  opts: TaskOptions;
}

export type ToWorker =
  | { type: 'file'; input: number; src: Source }
  | { type: 'block'; input: number; block: number; src: Source; data: Uint8Array; sniffed: FormatId };

export type FromWorker =
  | { type: 'file'; input: number; summary: InputSummary; digest: PackedDigest }
  | { type: 'block'; report: BlockReport; digest: PackedDigest }
  | { type: 'failed'; message: string };
