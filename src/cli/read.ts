// Reads every source in turn, handing records to a sink; shared by analyze and parse.
import type { AccessCount } from '../formats/access-common.js';
import type { FormatId, LogRecord } from '../formats/types.js';
import { describeReadError, ingestSource } from '../input/ingest.js';
import { emptySummary, type InputSummary } from '../input/summary.js';
import type { Source } from '../input/sources.js';

export interface ReadOptions {
  tz: string;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  since?: number;
  until?: number;
  onRecord(r: LogRecord): void;
  /** counts of ordinary access lines, for consumers that only aggregate (see IngestOptions.onCount) */
  onCount?: AccessCount;
  afterChunk?(): Promise<void> | void;
  shouldStop?(): boolean;
  /** bytes read since the last call (progress) */
  onBytes?(bytes: number): void;
  /** one-line notices for stderr ('access.log: binary file, skipped') */
  warn(message: string): void;
}

/** Keeps records inside --since/--until; records without a time are kept (they cannot be placed). */
export function timeFilter(opts: Pick<ReadOptions, 'since' | 'until' | 'onRecord'>): (r: LogRecord) => void {
  const { since, until, onRecord } = opts;
  if (since === undefined && until === undefined) return onRecord;
  const lo = since ?? -Infinity;
  const hi = until ?? Infinity;
  return (r) => {
    const t = r.time;
    if (t === t && (t < lo || t > hi)) return;
    onRecord(r);
  };
}

/** The same window for lines that arrive as counts. */
export function countFilter(opts: Pick<ReadOptions, 'since' | 'until' | 'onCount'>): AccessCount | undefined {
  const { since, until, onCount } = opts;
  if (onCount === undefined || (since === undefined && until === undefined)) return onCount;
  const lo = since ?? -Infinity;
  const hi = until ?? Infinity;
  return (family, t, status, userAgent, upstreamFailed, busySeconds) => {
    if (t === t && (t < lo || t > hi)) return;
    onCount(family, t, status, userAgent, upstreamFailed, busySeconds);
  };
}

export async function readSources(sources: readonly Source[], opts: ReadOptions): Promise<InputSummary[]> {
  const out: InputSummary[] = [];
  const onRecord = timeFilter(opts);
  const onCount = countFilter(opts);
  for (const src of sources) {
    if (opts.shouldStop?.()) break;
    let summary: InputSummary;
    try {
      summary = await ingestSource(src, { ...opts, onRecord, onCount });
    } catch (err) {
      // parsers are meant never to throw; if one does, the input is reported, not the whole run lost
      summary = emptySummary(src.path);
      summary.problems.push(`internal error while reading: ${describeReadError(err)}`);
    }
    for (const p of summary.problems) opts.warn(`${src.path === '-' ? '<stdin>' : src.path}: ${p}`);
    out.push(summary);
  }
  return out;
}
