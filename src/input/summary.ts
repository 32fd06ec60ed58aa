// What reading one input found: its family, its counts, the lines no family knew (counted and sampled,
// never silently lost) and what went wrong.
import type { FormatId } from '../formats/types.js';

const MAX_SAMPLES = 5;
const SAMPLE_CHARS = 300;

export interface InputSummary {
  path: string;
  /** the family chosen for the input; 'unknown' when nothing fitted, 'binary' when skipped */
  format: FormatId | 'unknown' | 'binary' | 'empty';
  gzip: boolean;
  lines: number;
  records: number;
  unrecognized: number;
  unrecognizedSamples: { line: number; text: string }[];
  /** families other than the chosen one that recognised some lines (mixed stdin) */
  alsoFound: Partial<Record<FormatId, number>>;
  truncatedLines: number;
  /** line of the first truncated one, when there is one */
  firstTruncatedLine?: number;
  from: number;
  to: number;
  /** one-line descriptions of what went wrong while reading; the input still counts what was read */
  problems: string[];
}

/** A summary before any line was read. */
export function emptySummary(path: string): InputSummary {
  return {
    path, format: 'unknown', gzip: false, lines: 0, records: 0, unrecognized: 0, unrecognizedSamples: [],
    alsoFound: {}, truncatedLines: 0, from: NaN, to: NaN, problems: [],
  };
}

/** Counts a record (or a counted access line) and widens the input's time range to its time. */
export function countRecord(summary: InputSummary, time: number): void {
  summary.records++;
  if (time === time) {
    if (!(time >= summary.from)) summary.from = time;
    if (!(time <= summary.to)) summary.to = time;
  }
}

/** Counts a line no family knew and keeps the first few, cut, as samples for the report. */
export function countUnrecognized(summary: InputSummary, text: string, lineNo: number): void {
  summary.unrecognized++;
  if (summary.unrecognizedSamples.length < MAX_SAMPLES) {
    summary.unrecognizedSamples.push({ line: lineNo, text: text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text });
  }
}
