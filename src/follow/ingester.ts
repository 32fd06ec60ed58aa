// Bytes → records for one followed file, fed chunk by chunk as the file grows. The one-shot reader
// (input/ingest.ts) owns its read loop; here the bytes arrive over minutes and across rotations, so the same
// steps — sniff the family on the first lines, parse with it, try the other families on lines it does not
// know, count and sample the rest — are driven from outside.
import { formatById, formats } from '../formats/index.js';
import { LineResult, type FormatId, type LineParser, type LogFormat, type LogRecord, type ParseContext } from '../formats/types.js';
import { countUnrecognized, emptySummary, sniffFormat, type InputSummary } from '../input/ingest.js';
import { LineSplitter } from '../input/lines.js';

const SNIFF_LINES = 50;

export interface IngesterOptions {
  tz: string;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  onRecord(r: LogRecord): void;
}

export class Ingester {
  readonly summary: InputSummary;
  private readonly ctx: ParseContext;
  private readonly fallbackCtx: ParseContext;
  private readonly forced: LogFormat | undefined;
  private chosen: LogFormat | undefined;
  private primary: LineParser | null = null;
  private fallbacks = new Map<FormatId, LineParser>();
  /** lines held until the family is chosen; null once it is */
  private pending: { text: string; lineNo: number }[] | null = [];
  private pendingNonBlank = 0;
  private splitter: LineSplitter;
  /** the file renamed away by a rotation, still read while its writer may append to it */
  private retired: LineSplitter | null = null;
  /** lines and cut lines of the files already finished */
  private linesDone = 0;
  private truncatedDone = 0;
  /** parsers got lines since they last flushed */
  private dirty = false;

  constructor(path: string, opts: IngesterOptions) {
    const summary = emptySummary(path);
    this.summary = summary;
    this.ctx = {
      tz: opts.tz,
      // year-less stamps of a live file are from about now, however long the follower has been running
      get referenceTime() {
        return Date.now();
      },
      source: path,
      nginxLogFormat: opts.nginxLogFormat,
      apacheLogFormat: opts.apacheLogFormat,
      emit: (r) => {
        summary.records++;
        const t = r.time;
        if (t === t) {
          if (!(t >= summary.from)) summary.from = t;
          if (!(t <= summary.to)) summary.to = t;
        }
        opts.onRecord(r);
      },
    };
    this.fallbackCtx = { ...this.ctx, fallback: true };
    this.forced = opts.inputFormat ? formatById(opts.inputFormat) : undefined;
    this.splitter = this.newSplitter();
  }

  private newSplitter(): LineSplitter {
    return new LineSplitter((text, lineNo) => {
      this.dirty = true;
      if (this.pending === null) {
        this.handle(text, lineNo);
        return;
      }
      this.pending.push({ text, lineNo });
      if (text.trim() !== '') this.pendingNonBlank++;
      if (this.pendingNonBlank >= SNIFF_LINES) this.choose();
    });
  }

  /** Bytes appended to the file; a line is parsed once its LF has arrived. */
  push(chunk: Buffer): void {
    this.splitter.push(chunk);
    this.updateCounts();
  }

  /**
   * Called after each poll. A new file's family is chosen as soon as it has a line (a live file may stay
   * short for a long time); an idle file's parsers give up the entry they hold (the last PHP error with its
   * stack trace), since no next line may come to close it.
   */
  settle(idle: boolean): void {
    if (this.pendingNonBlank > 0) this.choose();
    if (idle && this.dirty) {
      this.primary?.flush();
      for (const p of this.fallbacks.values()) p.flush();
      this.dirty = false;
    }
  }

  /** Bytes the writer still appended to the renamed file. */
  pushRetired(chunk: Buffer): void {
    this.retired?.push(chunk);
    this.updateCounts();
  }

  /** Rename rotation: the file so far becomes the retired one; the new file starts at line 1. */
  rotate(): void {
    this.endRetired();
    this.retired = this.splitter;
    this.splitter = this.newSplitter();
  }

  /** The renamed file is done: its last line counts even without LF. */
  endRetired(): void {
    const r = this.retired;
    if (r === null) return;
    r.end();
    this.retired = null;
    this.finished(r);
  }

  /** copytruncate: the content so far was read to its end (from the copy); the file starts again at line 1. */
  restart(): void {
    const old = this.splitter;
    old.end();
    this.splitter = this.newSplitter();
    this.finished(old);
  }

  private finished(s: LineSplitter): void {
    this.linesDone += s.stats.lines;
    this.truncatedDone += s.stats.truncated;
    this.updateCounts();
  }

  private updateCounts(): void {
    const r = this.retired?.stats;
    this.summary.lines = this.linesDone + (r?.lines ?? 0) + this.splitter.stats.lines;
    this.summary.truncatedLines = this.truncatedDone + (r?.truncated ?? 0) + this.splitter.stats.truncated;
  }

  private choose(): void {
    const lines = this.pending;
    if (lines === null) return;
    this.pending = null;
    this.pendingNonBlank = 0;
    const chosen = this.forced ?? sniffFormat(lines.filter((l) => l.text.trim() !== '').map((l) => l.text)).format;
    if (chosen) {
      this.chosen = chosen;
      this.primary = chosen.createParser(this.ctx);
      this.summary.format = chosen.id;
    }
    for (const l of lines) this.handle(l.text, l.lineNo);
  }

  private fallbackParser(f: LogFormat): LineParser {
    let p = this.fallbacks.get(f.id);
    if (!p) {
      p = f.createParser(this.fallbackCtx);
      this.fallbacks.set(f.id, p);
    }
    return p;
  }

  private handle(text: string, lineNo: number): void {
    if (this.primary !== null) {
      if (this.primary.line(text, lineNo) !== LineResult.Unrecognized) return;
    } else if (text.trim() === '') {
      return;
    }
    for (const f of formats) {
      if (f.id === this.chosen?.id) continue;
      const r = this.fallbackParser(f).line(text, lineNo);
      if (r === LineResult.Record || r === LineResult.Continuation) {
        this.summary.alsoFound[f.id] = (this.summary.alsoFound[f.id] ?? 0) + 1;
        return;
      }
    }
    countUnrecognized(this.summary, text, lineNo);
  }
}
