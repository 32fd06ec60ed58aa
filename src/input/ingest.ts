// One input from bytes to records: open, split, sniff the family, parse, count what was not recognised.
import { statSync } from 'node:fs';
import type { AccessCount } from '../formats/access-common.js';
import type { AccessScanState } from '../formats/access-line.js';
import { apacheAccess, createApacheAccessCounter } from '../formats/apache-access.js';
import { formats, formatById } from '../formats/index.js';
import { compileApacheLogFormat, compileNginxLogFormat } from '../formats/log-format-compiler.js';
import { createNginxAccessCounter, nginxAccess } from '../formats/nginx-access.js';
import { LineResult, type FormatId, type LineParser, type LogFormat, type LogRecord, type ParseContext } from '../formats/types.js';
import { DEFAULT_MAX_LINE, LineSplitter, ownString } from './lines.js';
import { openInput, type OpenedInput } from './open.js';
import type { Source } from './sources.js';

/** How many non-blank lines the sniffer looks at before choosing a family. */
const SNIFF_LINES = 50;
/** …or how many physical lines at most (a file of blank lines must not be buffered whole). */
const SNIFF_MAX_PHYSICAL = 2000;
const MAX_SAMPLES = 5;
const SAMPLE_CHARS = 300;
/** Below this score nothing is chosen and every line goes through the per-line fallback. */
const MIN_SNIFF = 0.3;

/** A summary before any line was read. */
export function emptySummary(path: string): InputSummary {
  return {
    path, format: 'unknown', gzip: false, lines: 0, records: 0, unrecognized: 0, unrecognizedSamples: [],
    alsoFound: {}, truncatedLines: 0, from: NaN, to: NaN, problems: [],
  };
}

/** Counts a line no family knew and keeps the first few, cut, as samples for the report. */
export function countUnrecognized(summary: InputSummary, text: string, lineNo: number): void {
  summary.unrecognized++;
  if (summary.unrecognizedSamples.length < MAX_SAMPLES) {
    summary.unrecognizedSamples.push({ line: lineNo, text: text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text });
  }
}

export interface IngestOptions {
  tz: string;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  maxLine?: number;
  onRecord(record: LogRecord): void;
  /**
   * Set by consumers that only aggregate (analyze): ordinary access lines arrive here as counts instead of
   * records through onRecord. Per-input statistics are the same either way.
   */
  onCount?: AccessCount;
  /** awaited after each chunk: lets a writer wait for stdout to drain */
  afterChunk?(): Promise<void> | void;
  /** polled after each chunk: true stops reading (Ctrl-C); what was read is kept */
  shouldStop?(): boolean;
  /** told after each chunk how many bytes of the file (compressed, for gzip) were taken since the last call */
  onBytes?(bytes: number): void;
  /**
   * Read this block of the input instead of opening it: whole lines cut from the input by the caller (see
   * workers/), whose family `sniffed` was chosen from the input's head by sniffInput (a block has no head
   * of its own). Line numbers count from the block's start; the caller shifts them. Only for single-line
   * families: an entry never spans two blocks.
   */
  block?: { data: Buffer; sniffed: FormatId };
  /** state of the access scanner to start from and to leave behind */
  accessState?: AccessScanState;
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
  /** line of the first truncated one, when there is one */
  firstTruncatedLine?: number;
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

/** Share of the sample lines a user's access format string reads (0 when there is none or it is invalid). */
function userFormatShare(lines: readonly string[], format: string | undefined, dialect: 'nginx' | 'apache'): number {
  if (format === undefined || format.trim() === '' || lines.length === 0) return 0;
  let compiled;
  try {
    const opts = { family: dialect === 'nginx' ? ('nginx-access' as const) : ('apache-access' as const), source: '', tz: 'UTC' };
    compiled = dialect === 'nginx' ? compileNginxLogFormat(format, opts) : compileApacheLogFormat(format, opts);
  } catch {
    return 0;
  }
  let ok = 0;
  lines.forEach((l, i) => {
    if (compiled.parse(l, i + 1) !== null) ok++;
  });
  return ok / lines.length;
}

/**
 * The family for the first lines of an input: forced; or the access family whose user-given format
 * (--nginx-log-format, or the log_format the config names) reads most of them; or the best sniff score.
 * Null when nothing fits.
 */
function chooseFormat(
  lines: readonly string[],
  forced: LogFormat | undefined,
  user: { nginx?: string; apache?: string } = {},
): LogFormat | null {
  if (forced) return forced;
  const sample = lines.filter((l) => l.trim() !== '');
  // the user's format string describes their access log exactly: it beats sniffing when it reads the lines
  if (userFormatShare(sample, user.nginx, 'nginx') >= 0.8) return nginxAccess;
  if (userFormatShare(sample, user.apache, 'apache') >= 0.8) return apacheAccess;
  return sniffFormat(sample).format ?? null;
}

/** Access families whose parser can count ordinary lines without building records. */
const COUNTERS: Partial<Record<FormatId, (ctx: ParseContext, count: AccessCount, state?: AccessScanState) => LineParser>> = {
  'nginx-access': createNginxAccessCounter,
  'apache-access': createApacheAccessCounter,
};

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
  const summary = emptySummary(src.path);

  const emit = (r: LogRecord): void => {
    summary.records++;
    const t = r.time;
    if (t === t) {
      if (!(t >= summary.from)) summary.from = t;
      if (!(t <= summary.to)) summary.to = t;
    }
    opts.onRecord(r);
  };
  const onCount = opts.onCount;
  const count: AccessCount | undefined = onCount && ((family, t, status, userAgent, upstreamFailed, busySeconds) => {
    summary.records++;
    if (t === t) {
      if (!(t >= summary.from)) summary.from = t;
      if (!(t <= summary.to)) summary.to = t;
    }
    onCount(family, t, status, userAgent, upstreamFailed, busySeconds);
  });
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

  const unrecognized = (text: string, lineNo: number): void => countUnrecognized(summary, text, lineNo);

  const handle = (line: string, lineNo: number): void => {
    if (primary !== null) {
      const r = primary.line(line, lineNo);
      if (r !== LineResult.Unrecognized) return;
    } else if (line.trim() === '') {
      return;
    }
    // a sliced line (see lines.ts) must not reach parsers and samples that keep parts of it
    const text = splitter.sliced ? ownString(line) : line;
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

  const block = opts.block;
  const forced = block ? formatById(block.sniffed) : opts.inputFormat ? formatById(opts.inputFormat) : undefined;
  let pending: { text: string; lineNo: number }[] | null = [];
  let nonBlank = 0;
  const choose = (): void => {
    if (pending === null) return;
    const lines = pending;
    pending = null;
    const chosen = chooseFormat(lines.map((l) => l.text), forced, { nginx: opts.nginxLogFormat, apache: opts.apacheLogFormat });
    if (chosen) {
      const counter = COUNTERS[chosen.id];
      if (counter && count) {
        primary = counter(ctx, count, opts.accessState);
        // the counting access parser copies what its records keep (access-common.ts): lines may be slices,
        // and the plainest are counted in their chunk's text
        splitter.sliced = true;
        splitter.spans = primary.countSpan;
      } else {
        primary = chosen.createParser(ctx);
      }
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

  let opened: OpenedInput;
  try {
    opened = block ? blockInput(block.data) : await openInput(src);
  } catch (err) {
    summary.problems.push(describeReadError(err));
    // a gzip header zlib refused is a compressed file whose family cannot be known, not an empty one
    const zlib = (err as NodeJS.ErrnoException).code?.startsWith('Z_') === true;
    summary.gzip = zlib;
    summary.format = zlib ? 'unknown' : 'empty';
    return summary;
  }
  summary.gzip = opened.gzip;
  if (opened.binary && !forced) {
    summary.format = 'binary';
    summary.problems.push('binary file, skipped');
    return summary;
  }
  const onBytes = opts.onBytes;
  let reported = 0;
  try {
    for await (const chunk of opened.chunks) {
      splitter.push(chunk);
      if (onBytes) {
        const n = opened.bytesRead();
        onBytes(n - reported);
        reported = n;
      }
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
  if (splitter.stats.truncated > 0) summary.firstTruncatedLine = splitter.stats.firstTruncatedLine;
  // a block's notice is written once the blocks are joined and the line is the file's
  if (!block) addTruncationNotice(summary, opts.maxLine ?? DEFAULT_MAX_LINE);
  if (summary.lines === 0 && summary.problems.length === 0) summary.format = 'empty';
  return summary;
}

async function* only(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

function blockInput(data: Buffer): OpenedInput {
  return { chunks: only(data), bytesRead: () => data.length, gzip: false, binary: false };
}

export function addTruncationNotice(summary: InputSummary, maxLine = DEFAULT_MAX_LINE): void {
  if (summary.truncatedLines === 0) return;
  summary.problems.push(
    `${summary.truncatedLines} line(s) longer than ${maxLine / 1024} KB truncated (first at line ${summary.firstTruncatedLine ?? '?'})`,
  );
}

export interface InputHead {
  /** the family ingestSource would choose; null when nothing fits */
  format: FormatId | null;
  gzip: boolean;
  binary: boolean;
}

/**
 * The family ingestSource will choose for a file, read from the same first lines by the same rule, without
 * reading further: lets the caller decide to read a big access log in ranges.
 */
export async function sniffInput(
  src: Source,
  inputFormat?: FormatId,
  maxLine = DEFAULT_MAX_LINE,
  user: { nginx?: string; apache?: string } = {},
): Promise<InputHead> {
  const forced = inputFormat ? formatById(inputFormat) : undefined;
  const opened = await openInput(src);
  const lines: string[] = [];
  let nonBlank = 0;
  const splitter = new LineSplitter((text) => {
    lines.push(text);
    if (text.trim() !== '') nonBlank++;
  }, maxLine);
  const enough = (): boolean => nonBlank >= SNIFF_LINES || lines.length >= SNIFF_MAX_PHYSICAL;
  const it = opened.chunks[Symbol.asyncIterator]();
  try {
    while (!enough()) {
      const r = await it.next();
      if (r.done) {
        splitter.end();
        break;
      }
      splitter.push(r.value);
    }
  } finally {
    await it.return?.();
  }
  // ingestSource chooses at the line that reaches the limit, not after the whole chunk
  let cut = lines.length;
  nonBlank = 0;
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? '').trim() !== '') nonBlank++;
    if (nonBlank >= SNIFF_LINES || i + 1 >= SNIFF_MAX_PHYSICAL) {
      cut = i + 1;
      break;
    }
  }
  const chosen = chooseFormat(lines.slice(0, cut), forced, user);
  return { format: chosen ? chosen.id : null, gzip: opened.gzip, binary: opened.binary && !forced };
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
