// Bytes → records for one followed file, fed chunk by chunk as the file grows. The one-shot reader
// (input/ingest.ts) owns its read loop; here the bytes arrive over minutes and across rotations, and the
// same LineRouter (input/route.ts) chooses the family and routes the lines.
import { formatById } from '../formats/index.js';
import type { FormatId, LogRecord } from '../formats/types.js';
import { LineSplitter } from '../input/lines.js';
import { LineRouter } from '../input/route.js';
import { countRecord, emptySummary, type InputSummary } from '../input/summary.js';

export interface IngesterOptions {
  tz: string;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  onRecord(r: LogRecord): void;
}

export class Ingester {
  readonly summary: InputSummary;
  private readonly router: LineRouter;
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
    this.router = new LineRouter(summary, {
      ctx: {
        tz: opts.tz,
        // year-less stamps of a live file are from about now, however long the follower has been running
        get referenceTime() {
          return Date.now();
        },
        source: path,
        nginxLogFormat: opts.nginxLogFormat,
        apacheLogFormat: opts.apacheLogFormat,
        emit: (r) => {
          countRecord(summary, r.time);
          opts.onRecord(r);
        },
      },
      forced: opts.inputFormat ? formatById(opts.inputFormat) : undefined,
      user: { nginx: opts.nginxLogFormat, apache: opts.apacheLogFormat },
    });
    this.splitter = this.newSplitter();
  }

  private newSplitter(): LineSplitter {
    return new LineSplitter((text, lineNo) => {
      this.dirty = true;
      this.router.line(text, lineNo);
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
    if (this.router.holding) this.router.choose();
    if (idle && this.dirty) {
      this.router.flush();
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
}
