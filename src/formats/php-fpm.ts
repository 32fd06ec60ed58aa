// PHP-FPM master log (the `error_log` of php-fpm.conf), signatures.md §2.5 and §3.4:
//   [12-Jan-2026 10:00:01] WARNING: [pool www] child 4711 exited on signal 9 (SIGKILL) after 81.503321 seconds from start
//   [12-Jan-2026 10:00:01.123456] DEBUG: pid 1011, fpm_children_bury(), line 256: [pool www] …   (log_level = debug)
//   NOTICE: PHP message: PHP Warning:  …       (worker output with decorate_workers_output = no: no time)
//   Jan 12 10:00:01 web1 php-fpm[1011]: [WARNING] [pool www] …   (error_log = syslog, through wrapped())
// One line is one entry, except PHP stack traces a worker printed: they follow their message line and are
// kept in `trace` of that entry.
import { parseDmyTime, parseClfTime } from '../time/stamps.js';
import { appendRaw, capRaw, digitsEnd, intBetween, isDmyAt, isTraceLine, pushTrace } from './php-shared.js';
import { LineResult } from './types.js';
import type { EventRecord, LineParser, LogFormat, ParseContext, WrapperInfo } from './types.js';

// zlog.c level_names[]; the record's level words follow the shared lower-case vocabulary
const LEVEL_WORDS = ['DEBUG', 'NOTICE', 'WARNING', 'ERROR', 'ALERT'] as const;
const LEVEL_NAMES = ['debug', 'notice', 'warn', 'error', 'alert'] as const;

/** Index into LEVEL_WORDS of the level word at s[i], -1 when there is none. */
function levelIndexAt(s: string, i: number): number {
  switch (s.charCodeAt(i)) {
    case 68: return s.startsWith('DEBUG', i) ? 0 : -1;
    case 78: return s.startsWith('NOTICE', i) ? 1 : -1;
    case 87: return s.startsWith('WARNING', i) ? 2 : -1;
    case 69: return s.startsWith('ERROR', i) ? 3 : -1;
    case 65: return s.startsWith('ALERT', i) ? 4 : -1;
    default: return -1;
  }
}

/** Index just after 'LEVEL: ' at s[i] (a bare 'LEVEL:' at the end counts), -1 when absent. */
function afterLevelColon(s: string, i: number, li: number): number {
  if (li < 0) return -1;
  const p = i + (LEVEL_WORDS[li] ?? '').length;
  if (s.charCodeAt(p) !== 58) return -1;
  if (p + 1 === s.length) return p + 1;
  return s.charCodeAt(p + 1) === 32 ? p + 2 : -1;
}

/**
 * End of the debug-mode prefix 'pid 1011, fpm_children_bury(), line 256: ' at s[i] (zlog.c adds it when
 * log_level = debug), or -1. The pid goes to `out.pid`.
 */
function debugPrefixEnd(s: string, i: number, out: { pid?: number }): number {
  if (!s.startsWith('pid ', i)) return -1;
  const pidEnd = digitsEnd(s, i + 4);
  if (pidEnd === i + 4 || s.charCodeAt(pidEnd) !== 44 || s.charCodeAt(pidEnd + 1) !== 32) return -1;
  const fnEnd = s.indexOf('(), line ', pidEnd + 2);
  // C function names are short identifiers; a far-away match belongs to the message, not the prefix
  if (fnEnd < 0 || fnEnd - pidEnd > 80 || s.lastIndexOf(' ', fnEnd) > pidEnd + 1) return -1;
  const lineEnd = digitsEnd(s, fnEnd + 9);
  if (lineEnd === fnEnd + 9 || s.charCodeAt(lineEnd) !== 58) return -1;
  out.pid = intBetween(s, i + 4, pidEnd);
  return s.charCodeAt(lineEnd + 1) === 32 ? lineEnd + 2 : lineEnd + 1;
}

/** Pid after one of the phrases master lines use for a child, starting at s[p]. */
function childPidAt(s: string, p: number): number | undefined {
  let q = -1;
  if (s.startsWith('child ', p)) q = p + 6;
  else if (s.startsWith('about to trace ', p)) q = p + 15;
  else if (s.startsWith('finished trace of ', p)) q = p + 18;
  else if (s.startsWith('failed to ptrace(', p)) {
    // 'failed to ptrace(ATTACH) child 4711: …', 'failed to ptrace(PEEKDATA) pid 4711: …'
    const close = s.indexOf(') ', p + 17);
    if (close < 0 || close - p > 40) return undefined;
    if (s.startsWith('child ', close + 2)) q = close + 8;
    else if (s.startsWith('pid ', close + 2)) q = close + 6;
  }
  if (q < 0) return undefined;
  const end = digitsEnd(s, q);
  return end > q ? intBetween(s, q, end) : undefined;
}

/** ZLOG_SYSERROR suffix ': Address already in use (98)': text first, errno in parentheses. */
function sysErrorOf(msg: string, rec: EventRecord): void {
  const n = msg.length;
  if (n < 6 || msg.charCodeAt(n - 1) !== 41) return;
  const open = msg.lastIndexOf(' (', n - 2);
  if (open < 0 || n - 1 - (open + 2) > 4 || digitsEnd(msg, open + 2) !== n - 1 || open + 2 === n - 1) return;
  const colon = msg.lastIndexOf(': ', open);
  if (colon < 0 || open - colon - 2 < 1 || open - colon - 2 > 80) return;
  rec.errno = intBetween(msg, open + 2, n - 1);
  rec.errnoText = msg.slice(colon + 2, open);
}

/**
 * The default FPM access format '%R - %u %t "%m %r" %s' ('172.17.0.1 -  12/Jan/2026:10:00:01 +0000 "GET
 * /index.php" 200'): the Docker images send it to the same stream as the error log, so it is a known line
 * here. The time has no brackets, which keeps nginx/Apache access lines out.
 */
export function isFpmAccessLine(s: string): boolean {
  const dash = s.indexOf(' - ');
  if (dash <= 0 || dash > 64) return false;
  let p = dash + 3;
  if (s.charCodeAt(p) === 32) p++;
  else {
    p = s.indexOf(' ', p) + 1;
    if (p <= 0) return false;
  }
  return !Number.isNaN(parseClfTime(s, p)) && s.indexOf('"', p) > 0;
}

/** Decorated master line '[12-Jan-2026 10:00:01] LEVEL: '? */
function isDecorated(s: string): boolean {
  if (s.charCodeAt(0) !== 91 || !isDmyAt(s, 1)) return false;
  let p = 21;
  if (s.charCodeAt(p) === 46) p = digitsEnd(s, p + 1);
  return s.charCodeAt(p) === 93 && s.charCodeAt(p + 1) === 32 && afterLevelColon(s, p + 2, levelIndexAt(s, p + 2)) > 0;
}

function isUndecorated(s: string): boolean {
  return afterLevelColon(s, 0, levelIndexAt(s, 0)) > 0;
}

class FpmParser implements LineParser {
  private pending: EventRecord | undefined;
  /** the pending entry is worker output ('child N said into stderr'), which later trace lines may continue */
  private pendingSaid = false;

  constructor(private readonly ctx: ParseContext) {}

  line(text: string, lineNo: number): LineResult {
    return this.handle(text, lineNo, undefined);
  }

  wrapped(message: string, lineNo: number, info: WrapperInfo): LineResult {
    // error_log = syslog: vzlog() writes '[LEVEL] ' + message; the PRI is the configured level, not this one
    if (message.charCodeAt(0) === 91) {
      const li = levelIndexAt(message, 1);
      if (li >= 0) {
        const close = 1 + (LEVEL_WORDS[li] ?? '').length;
        if (message.charCodeAt(close) === 93) {
          const start = message.charCodeAt(close + 1) === 32 ? close + 2 : close + 1;
          return this.entry(message, start, info.time, li, lineNo, info);
        }
      }
    }
    return this.handle(message, lineNo, info);
  }

  flush(): void {
    if (this.pending) this.ctx.emit(this.pending);
    this.pending = undefined;
    this.pendingSaid = false;
  }

  private handle(s: string, lineNo: number, info: WrapperInfo | undefined): LineResult {
    const c0 = s.charCodeAt(0);
    if (c0 === 91 && isDmyAt(s, 1)) {
      const t = parseDmyTime(s, 1, this.ctx.tz);
      const p = t.end;
      if (s.charCodeAt(p) === 93 && s.charCodeAt(p + 1) === 32) {
        const li = levelIndexAt(s, p + 2);
        const start = afterLevelColon(s, p + 2, li);
        if (start > 0) return this.entry(s, start, t.time, li, lineNo, info);
      }
      return LineResult.Unrecognized;
    }
    // undecorated worker output (decorate_workers_output = no): the worker's own 'NOTICE: ' prefix, no time
    const li = levelIndexAt(s, 0);
    const start = afterLevelColon(s, 0, li);
    if (start > 0) return this.entry(s, start, info ? info.time : NaN, li, lineNo, info);
    if (isTraceLine(s)) {
      if (!this.pending) return LineResult.Ignored;
      pushTrace((this.pending.trace ??= []), s);
      this.pending.raw = appendRaw(this.pending.raw, s);
      return LineResult.Continuation;
    }
    if (s.trim() === '') return LineResult.Ignored;
    if (isFpmAccessLine(s)) return LineResult.Ignored;
    return LineResult.Unrecognized;
  }

  /** A line with a level: s[start..] is the message after 'LEVEL: '. */
  private entry(
    s: string,
    start: number,
    time: number,
    li: number,
    lineNo: number,
    info: WrapperInfo | undefined,
  ): LineResult {
    const dbg: { pid?: number } = {};
    const afterDebug = s.startsWith('pid ', start) ? debugPrefixEnd(s, start, dbg) : -1;
    const msgStart = afterDebug > 0 ? afterDebug : start;

    let pool: string | undefined;
    let p = msgStart;
    if (s.startsWith('[pool ', p)) {
      const close = s.indexOf(']', p + 6);
      if (close > p + 6) {
        pool = s.slice(p + 6, close);
        p = s.charCodeAt(close + 1) === 32 ? close + 2 : close + 1;
      }
    }
    const childPid = childPidAt(s, p);
    const said = childPid !== undefined && s.startsWith('child ', p) && s.startsWith(' said into ', digitsEnd(s, p + 6));

    if (said && this.pending && this.pendingSaid && this.pending.childPid === childPid && this.pending.pool === pool) {
      // a worker's multi-line output arrives as one decorated entry per line; keep a trace with its message
      const payload = saidPayload(s, p);
      if (payload !== undefined && isTraceLine(payload)) {
        pushTrace((this.pending.trace ??= []), payload);
        this.pending.raw = appendRaw(this.pending.raw, s);
        return LineResult.Continuation;
      }
    }

    const rec: EventRecord = {
      kind: 'event',
      family: 'php-fpm',
      time,
      level: LEVEL_NAMES[li] ?? 'notice',
      message: msgStart === 0 ? s : s.slice(msgStart),
      origin: { source: this.ctx.source, line: lineNo },
      raw: capRaw(s),
    };
    if (dbg.pid !== undefined) rec.pid = dbg.pid;
    else if (info?.pid !== undefined) rec.pid = info.pid;
    if (info?.host !== undefined) rec.host = info.host;
    if (pool !== undefined) rec.pool = pool;
    if (childPid !== undefined) rec.childPid = childPid;
    else if (s.startsWith('fpm is running, pid ', p)) {
      const q = p + 20;
      const end = digitsEnd(s, q);
      if (end > q) rec.pid = intBetween(s, q, end);
    }
    if (childPid !== undefined && !said) {
      // F-TERMINATE / F-SLOW: "child 4711, script '/var/www/x.php' (request: "GET /x.php") …"
      const sc = s.indexOf(", script '", p);
      if (sc >= 0) {
        const from = sc + 10;
        const to = s.indexOf("' (request: ", from);
        rec.script = s.slice(from, to >= 0 ? to : Math.max(from, s.lastIndexOf("'")));
      }
    }
    if (!said) sysErrorOf(rec.message, rec);

    if (this.pending) this.ctx.emit(this.pending);
    this.pending = rec;
    this.pendingSaid = said;
    return LineResult.Record;
  }
}

/** The worker's line inside 'child N said into stderr: "…"' (optionally followed by ', pipe is closed'). */
function saidPayload(s: string, p: number): string | undefined {
  const open = s.indexOf(': "', p);
  if (open < 0) return undefined;
  let end = s.length;
  if (s.endsWith(', pipe is closed')) end -= 16;
  if (s.charCodeAt(end - 1) !== 34 || end - 1 < open + 3) return undefined;
  return s.slice(open + 3, end - 1);
}

export const phpFpm: LogFormat = {
  id: 'php-fpm',
  title: 'PHP-FPM master log',
  sniff(lines) {
    if (lines.length === 0) return 0;
    let decorated = 0, bare = 0, other = 0;
    for (const s of lines) {
      if (isDecorated(s)) decorated++;
      else if (isUndecorated(s)) bare++;
      else if (isTraceLine(s) || isFpmAccessLine(s)) other++;
    }
    if (decorated + bare === 0) return 0;
    // 'NOTICE: ' alone is a weaker tell than the stamped master line; trace and access lines only help
    return Math.min(1, (decorated + 0.85 * bare + 0.7 * other) / lines.length);
  },
  createParser(ctx) {
    return new FpmParser(ctx);
  },
};
