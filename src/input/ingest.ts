// One input from bytes to records: open, split, sniff the family, parse, count what was not recognised.
import { statSync } from 'node:fs';
import type { AccessCount } from '../formats/access-common.js';
import type { AccessScanState } from '../formats/access-line.js';
import { createApacheAccessCounter } from '../formats/apache-access.js';
import { formatById } from '../formats/index.js';
import { createNginxAccessCounter } from '../formats/nginx-access.js';
import type { FormatId, LineParser, LogRecord, ParseContext } from '../formats/types.js';
import { DEFAULT_MAX_LINE, LineSplitter } from './lines.js';
import { openInput, type OpenedInput } from './open.js';
import { chooseFormat, LineRouter, SNIFF_LINES, SNIFF_MAX_PHYSICAL } from './route.js';
import type { Source } from './sources.js';
import { countRecord, emptySummary, type InputSummary } from './summary.js';

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

function referenceTimeOf(src: Source): number {
  if (src.kind === 'stdin') return Date.now();
  try {
    return statSync(src.path).mtimeMs;
  } catch {
    return Date.now();
  }
}

/** Access families whose parser can count ordinary lines without building records. */
const COUNTERS: Partial<Record<FormatId, (ctx: ParseContext, count: AccessCount, state?: AccessScanState) => LineParser>> = {
  'nginx-access': createNginxAccessCounter,
  'apache-access': createApacheAccessCounter,
};

export async function ingestSource(src: Source, opts: IngestOptions): Promise<InputSummary> {
  const summary = emptySummary(src.path);

  const emit = (r: LogRecord): void => {
    countRecord(summary, r.time);
    opts.onRecord(r);
  };
  const onCount = opts.onCount;
  const count: AccessCount | undefined = onCount && ((family, t, status, userAgent, upstreamFailed, busySeconds) => {
    countRecord(summary, t);
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

  const block = opts.block;
  const forced = block ? formatById(block.sniffed) : opts.inputFormat ? formatById(opts.inputFormat) : undefined;
  let counting = false;
  const router: LineRouter = new LineRouter(summary, {
    ctx,
    forced,
    user: { nginx: opts.nginxLogFormat, apache: opts.apacheLogFormat },
    primaryFor: (f) => {
      const counter = COUNTERS[f.id];
      if (!counter || !count) return f.createParser(ctx);
      counting = true;
      return counter(ctx, count, opts.accessState);
    },
    onChosen: (_, primary) => {
      // the counting access parser copies what its records keep (access-common.ts): lines may be slices,
      // and the plainest are counted in their chunk's text
      if (!counting) return;
      splitter.sliced = true;
      router.ownLines = true;
      splitter.spans = primary.countSpan;
    },
  });
  const splitter = new LineSplitter((text, lineNo) => router.line(text, lineNo), opts.maxLine ?? DEFAULT_MAX_LINE);

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
  router.choose();
  router.flush();

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
