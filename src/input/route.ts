// Lines → the parser of their family. The first lines choose the family (the one forced, the user's access
// format when it reads them, else the best sniff); lines it does not know are offered to the other
// families' parsers (mixed stdin); what none knows is counted and sampled. Shared by the one-shot reader
// (ingest.ts) and the live follower (follow/ingester.ts), so that both choose and route alike.
import { apacheAccess } from '../formats/apache-access.js';
import { formats } from '../formats/index.js';
import { compileApacheLogFormat, compileNginxLogFormat } from '../formats/log-format-compiler.js';
import { nginxAccess } from '../formats/nginx-access.js';
import { LineResult, type FormatId, type LineParser, type LogFormat, type ParseContext } from '../formats/types.js';
import { ownString } from './lines.js';
import { countUnrecognized, type InputSummary } from './summary.js';

/** How many non-blank lines the sniffer looks at before choosing a family. */
export const SNIFF_LINES = 50;
/** …or how many physical lines at most (a file of blank lines must not be buffered whole). */
export const SNIFF_MAX_PHYSICAL = 2000;
/** Below this score nothing is chosen and every line goes through the per-line fallback. */
const MIN_SNIFF = 0.3;

/** Access log formats the user gave (--nginx-log-format, --apache-log-format, or the server's config). */
export interface UserFormats {
  nginx?: string;
  apache?: string;
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
export function chooseFormat(
  lines: readonly string[],
  forced: LogFormat | undefined,
  user: UserFormats = {},
): LogFormat | null {
  if (forced) return forced;
  const sample = lines.filter((l) => l.trim() !== '');
  // the user's format string describes their access log exactly: it beats sniffing when it reads the lines
  if (userFormatShare(sample, user.nginx, 'nginx') >= 0.8) return nginxAccess;
  if (userFormatShare(sample, user.apache, 'apache') >= 0.8) return apacheAccess;
  return sniffFormat(sample).format ?? null;
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

export interface RouterOptions {
  /** the context of the primary parser (and, marked fallback, of the others) */
  ctx: ParseContext;
  forced?: LogFormat;
  user?: UserFormats;
  /** the primary parser for the chosen family; default: the family's own parser */
  primaryFor?(f: LogFormat): LineParser;
  /** told the family and its parser once chosen, before the held lines are parsed */
  onChosen?(f: LogFormat, primary: LineParser): void;
}

export class LineRouter {
  private primary: LineParser | null = null;
  private primaryId: FormatId | null = null;
  /** parsers of the other families, made on first need, for lines the primary does not know */
  private readonly fallbacks = new Map<FormatId, LineParser>();
  private readonly fallbackCtx: ParseContext;
  /** lines held until the family is chosen; null once it is */
  private pending: { text: string; lineNo: number }[] | null = [];
  private nonBlank = 0;
  /** lines are slices of a larger string (lines.ts, sliced mode): copied before anything keeps them */
  ownLines = false;

  constructor(
    private readonly summary: InputSummary,
    private readonly opts: RouterOptions,
  ) {
    this.fallbackCtx = { ...opts.ctx, fallback: true };
  }

  /** One physical line. */
  line(text: string, lineNo: number): void {
    const pending = this.pending;
    if (pending === null) {
      this.handle(text, lineNo);
      return;
    }
    pending.push({ text, lineNo });
    if (text.trim() !== '') this.nonBlank++;
    if (this.nonBlank >= SNIFF_LINES || pending.length >= SNIFF_MAX_PHYSICAL) this.choose();
  }

  /** True while lines are held and one of them is not blank: enough to choose on, if no more come. */
  get holding(): boolean {
    return this.pending !== null && this.nonBlank > 0;
  }

  /** Chooses the family from the lines held so far and parses them (no-op once chosen). */
  choose(): void {
    const lines = this.pending;
    if (lines === null) return;
    this.pending = null;
    const chosen = chooseFormat(lines.map((l) => l.text), this.opts.forced, this.opts.user);
    if (chosen) {
      const primary = this.opts.primaryFor?.(chosen) ?? chosen.createParser(this.opts.ctx);
      this.primary = primary;
      this.primaryId = chosen.id;
      this.summary.format = chosen.id;
      this.opts.onChosen?.(chosen, primary);
    }
    for (const l of lines) this.handle(l.text, l.lineNo);
  }

  /** Hands on what the parsers hold (an entry waiting for its continuation lines). */
  flush(): void {
    this.primary?.flush();
    for (const p of this.fallbacks.values()) p.flush();
  }

  private fallbackParser(f: LogFormat): LineParser {
    let p = this.fallbacks.get(f.id);
    if (!p) {
      p = f.createParser(this.fallbackCtx);
      this.fallbacks.set(f.id, p);
    }
    return p;
  }

  private handle(line: string, lineNo: number): void {
    if (this.primary !== null) {
      if (this.primary.line(line, lineNo) !== LineResult.Unrecognized) return;
    } else if (line.trim() === '') {
      return;
    }
    // a sliced line must not reach parsers and samples that keep parts of it
    const text = this.ownLines ? ownString(line) : line;
    for (const f of formats) {
      if (f.id === this.primaryId) continue;
      const r = this.fallbackParser(f).line(text, lineNo);
      if (r === LineResult.Record || r === LineResult.Continuation) {
        this.summary.alsoFound[f.id] = (this.summary.alsoFound[f.id] ?? 0) + 1;
        return;
      }
    }
    countUnrecognized(this.summary, text, lineNo);
  }
}
