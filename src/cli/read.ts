// Reads every source in turn, handing records to a sink; shared by analyze and parse.
import type { FormatId, LogRecord } from '../formats/types.js';
import { describeReadError, ingestSource, type InputSummary } from '../input/ingest.js';
import type { Source } from '../input/sources.js';

export interface ReadOptions {
  tz: string;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  since?: number;
  until?: number;
  onRecord(r: LogRecord): void;
  afterChunk?(): Promise<void> | void;
  shouldStop?(): boolean;
  /** one-line notices for stderr ('access.log: binary file, skipped') */
  warn(message: string): void;
}

/** Keeps records inside --since/--until; records without a time are kept (they cannot be placed). */
function timeFilter(opts: ReadOptions): (r: LogRecord) => void {
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

export async function readSources(sources: readonly Source[], opts: ReadOptions): Promise<InputSummary[]> {
  const out: InputSummary[] = [];
  const onRecord = timeFilter(opts);
  for (const src of sources) {
    if (opts.shouldStop?.()) break;
    let summary: InputSummary;
    try {
      summary = await ingestSource(src, { ...opts, onRecord });
    } catch (err) {
      // parsers are meant never to throw; if one does, the input is reported, not the whole run lost
      summary = {
        path: src.path, format: 'unknown', gzip: false, lines: 0, records: 0, unrecognized: 0,
        unrecognizedSamples: [], alsoFound: {}, truncatedLines: 0, from: NaN, to: NaN,
        problems: [`internal error while reading: ${describeReadError(err)}`],
      };
    }
    for (const p of summary.problems) opts.warn(`${src.path === '-' ? '<stdin>' : src.path}: ${p}`);
    out.push(summary);
  }
  return out;
}
