// One input from bytes to records: open, split, sniff the family, parse, count what was not recognised.
import { statSync } from 'node:fs';
import { formats, formatById } from '../formats/index.js';
import { LineResult, type FormatId, type LineParser, type LogFormat, type LogRecord, type ParseContext } from '../formats/types.js';
import { DEFAULT_MAX_LINE, LineSplitter } from './lines.js';
import { openInput } from './open.js';
import type { Source } from './sources.js';

/** How many non-blank lines the sniffer looks at before choosing a family. */
const SNIFF_LINES = 50;
/** …or how many physical lines at most (a file of blank lines must not be buffered whole). */
const SNIFF_MAX_PHYSICAL = 2000;
const MAX_SAMPLES = 5;
const SAMPLE_CHARS = 300;
/** Below this score nothing is chosen and every line goes through the per-line fallback. */
const MIN_SNIFF = 0.3;

export interface IngestOptions {
  tz: string;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  maxLine?: number;
  onRecord(record: LogRecord): void;
  /** awaited after each chunk: lets a writer wait for stdout to drain */
  afterChunk?(): Promise<void> | void;
  /** polled after each chunk: true stops reading (Ctrl-C); what was read is kept */
  shouldStop?(): boolean;
}

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
  from: number;
  to: number;
  /** one-line descriptions of what went wrong while reading; the input still counts what was read */
  problems: string[];
}

function referenceTimeOf(src: Source): number {
  if (src.kind === 'stdin') return Date.now();
  try {
    return statSync(src.path).mtimeMs;
  } catch {
    return Date.now();
  }
}

/** Scores every format on the sample; the best one wins, registry order breaks ties. */
export function sniffFormat(sample: readonly string[]): { format: LogFormat | undefined; score: number } {
  let best: LogFormat | undefined;
  let bestScore = 0;
  for (const f of formats) {
    const s = f.sniff(sample);
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return bestScore >= MIN_SNIFF ? { format: best, score: bestScore } : { format: undefined, score: bestScore };
}

export async function ingestSource(src: Source, opts: IngestOptions): Promise<InputSummary> {
  const summary: InputSummary = {
    path: src.path,
    format: 'unknown',
    gzip: false,
    lines: 0,
    records: 0,
    unrecognized: 0,
    unrecognizedSamples: [],
    alsoFound: {},
    truncatedLines: 0,
    from: NaN,
    to: NaN,
    problems: [],
  };

  const emit = (r: LogRecord): void => {
    summary.records++;
    const t = r.time;
    if (t === t) {
      if (!(t >= summary.from)) summary.from = t;
      if (!(t <= summary.to)) summary.to = t;
    }
    opts.onRecord(r);
  };
  const ctx: ParseContext = {
    tz: opts.tz,
    referenceTime: referenceTimeOf(src),
    source: src.path,
    nginxLogFormat: opts.nginxLogFormat,
    apacheLogFormat: opts.apacheLogFormat,
    emit,
  };

  let primary: LineParser | null = null;
  let primaryId: FormatId | null = null;
  // parsers of the other families, made on first need, for lines the primary does not know
  const fallbacks = new Map<FormatId, LineParser>();
  const fallbackCtx: ParseContext = { ...ctx, fallback: true };
  const fallbackParser = (f: LogFormat): LineParser => {
    let p = fallbacks.get(f.id);
    if (!p) {
      p = f.createParser(fallbackCtx);
      fallbacks.set(f.id, p);
    }
    return p;
  };

  const unrecognized = (text: string, lineNo: number): void => {
    summary.unrecognized++;
    if (summary.unrecognizedSamples.length < MAX_SAMPLES) {
      summary.unrecognizedSamples.push({ line: lineNo, text: text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text });
    }
  };

  const handle = (text: string, lineNo: number): void => {
    if (primary !== null) {
      const r = primary.line(text, lineNo);
      if (r !== LineResult.Unrecognized) return;
    } else if (text.trim() === '') {
      return;
    }
    for (const f of formats) {
      if (f.id === primaryId) continue;
      const r = fallbackParser(f).line(text, lineNo);
      if (r === LineResult.Record || r === LineResult.Continuation) {
        summary.alsoFound[f.id] = (summary.alsoFound[f.id] ?? 0) + 1;
        return;
      }
    }
    unrecognized(text, lineNo);
  };

  const forced = opts.inputFormat ? formatById(opts.inputFormat) : undefined;
  let pending: { text: string; lineNo: number }[] | null = [];
  let nonBlank = 0;
  const choose = (): void => {
    if (pending === null) return;
    const lines = pending;
    pending = null;
    const chosen = forced ?? sniffFormat(lines.filter((l) => l.text.trim() !== '').map((l) => l.text)).format;
    if (chosen) {
      primary = chosen.createParser(ctx);
      primaryId = chosen.id;
      summary.format = chosen.id;
    }
    for (const l of lines) handle(l.text, l.lineNo);
  };

  const splitter = new LineSplitter((text, lineNo) => {
    if (pending === null) {
      handle(text, lineNo);
      return;
    }
    pending.push({ text, lineNo });
    if (text.trim() !== '') nonBlank++;
    if (nonBlank >= SNIFF_LINES || pending.length >= SNIFF_MAX_PHYSICAL) choose();
  }, opts.maxLine ?? DEFAULT_MAX_LINE);

  let opened;
  try {
    opened = await openInput(src);
  } catch (err) {
    summary.problems.push(describeReadError(err));
    summary.format = 'empty';
    return summary;
  }
  summary.gzip = opened.gzip;
  if (opened.binary && !forced) {
    summary.format = 'binary';
    summary.problems.push('binary file, skipped');
    return summary;
  }
  try {
    for await (const chunk of opened.chunks) {
      splitter.push(chunk);
      if (opts.afterChunk) await opts.afterChunk();
      if (opts.shouldStop?.()) {
        summary.problems.push(`interrupted after line ${splitter.stats.lines}`);
        break;
      }
    }
  } catch (err) {
    summary.problems.push(describeReadError(err, splitter.stats.lines));
  }
  splitter.end();
  choose();
  (primary as LineParser | null)?.flush();
  for (const p of fallbacks.values()) p.flush();

  summary.lines = splitter.stats.lines;
  summary.truncatedLines = splitter.stats.truncated;
  if (splitter.stats.truncated > 0) {
    summary.problems.push(
      `${splitter.stats.truncated} line(s) longer than ${(opts.maxLine ?? DEFAULT_MAX_LINE) / 1024} KB truncated (first at line ${splitter.stats.firstTruncatedLine})`,
    );
  }
  if (summary.lines === 0 && summary.problems.length === 0) summary.format = 'empty';
  return summary;
}

/** A read error as one line, without a stack. */
export function describeReadError(err: unknown, afterLine?: number): string {
  const e = err as NodeJS.ErrnoException;
  const where = afterLine !== undefined ? ` after line ${afterLine}` : '';
  switch (e.code) {
    case 'ENOENT': return `no such file or directory${where}`;
    case 'EACCES': return `permission denied${where}`;
    case 'EISDIR': return 'is a directory';
    case 'Z_BUF_ERROR': return `truncated gzip data: input ends early${where}`;
    case 'Z_DATA_ERROR': return `corrupt gzip data${where}`;
    default: return `${e.message ?? String(err)}${where}`.replace(/\s+/g, ' ');
  }
}
