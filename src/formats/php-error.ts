// PHP error log (`error_log` in php.ini or a pool's php_admin_value[error_log]), signatures.md §2.8 and §3.6:
//   [12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted … in /x.php on line 12
//   [12-Jan-2026 11:00:01 Europe/Berlin] PHP Warning:  … in /var/www/html/index.php on line 3
//   [12-Jan-2026 10:00:01 UTC] WordPress database error …         (free text from the app's error_log())
// The zone is PHP's 'e' date token (main.c → php_log_err_with_severity()): an IANA id, 'UTC' or an offset, and
// it may change from line to line. Uncaught exceptions carry their stack trace on the following lines, which
// do not start with '['; they go to `trace`. Through syslog (wrapped()) the same message has no date and each
// trace line is a syslog record of its own.
import { dmyInZone, parseDmyTime } from '../time/stamps.js';
import { appendRaw, capRaw, digitsEnd, intBetween, isDmyAt, isTraceLine, pushTrace } from './php-shared.js';
import { LineResult } from './types.js';
import type { EventRecord, LineParser, LogFormat, ParseContext, WrapperInfo } from './types.js';

// php_error_cb() type words ('Catchable fatal error' is PHP 5's name for the recoverable one)
const PHP_LEVELS: readonly (readonly [string, string])[] = [
  ['Fatal error', 'error'],
  ['Warning', 'warn'],
  ['Notice', 'notice'],
  ['Parse error', 'error'],
  ['Deprecated', 'notice'],
  ['Recoverable fatal error', 'error'],
  ['Catchable fatal error', 'error'],
  ['Strict Standards', 'notice'],
  ['Unknown error', 'error'],
];

/**
 * Index of the ']' closing a '[12-Jan-2026 10:00:01 UTC] ' stamp (21 when the line has no zone), or -1.
 * Zone ids have no spaces and are short, which keeps '[' lines of other kinds out.
 */
function stampCloseAt(s: string): number {
  if (s.charCodeAt(0) !== 91 || !isDmyAt(s, 1)) return -1;
  const c = s.charCodeAt(21);
  if (c === 93) return 21;
  if (c !== 32) return -1;
  const close = s.indexOf(']', 22);
  if (close <= 22 || close - 22 > 64) return -1;
  const space = s.indexOf(' ', 22);
  return space >= 0 && space < close ? -1 : close;
}

/** Xdebug writes its stack as stamped lines of their own: 'PHP Stack trace:', 'PHP   1. {main}() /x.php:0'. */
function isXdebugTraceAt(s: string, b: number): boolean {
  if (!s.startsWith('PHP ', b)) return false;
  if (s.startsWith('Stack trace:', b + 4)) return true;
  let p = b + 4;
  while (s.charCodeAt(p) === 32) p++;
  const end = digitsEnd(s, p);
  return end > p && p > b + 4 && s.charCodeAt(end) === 46 && s.charCodeAt(end + 1) === 32;
}

/** 'Fatal error' etc. of a 'PHP Fatal error:  …' message and the index of its text, or undefined. */
function phpLevelOf(msg: string): (readonly [string, string]) | undefined {
  if (!msg.startsWith('PHP ')) return undefined;
  for (const entry of PHP_LEVELS) {
    if (msg.startsWith(entry[0], 4) && msg.charCodeAt(4 + entry[0].length) === 58) return entry;
  }
  return undefined;
}

/**
 * File and line a message names: '… in /x.php on line 12' (php_error_cb) or '… in /x.php:65' (the first
 * line of an uncaught exception).
 */
function locate(msg: string, rec: EventRecord): void {
  let end = msg.length;
  while (end > 0 && msg.charCodeAt(end - 1) === 32) end--;
  let d = end;
  while (d > 0) {
    const c = msg.charCodeAt(d - 1);
    if (c < 48 || c > 57) break;
    d--;
  }
  if (d === end) return;
  let fileEnd: number;
  if (msg.startsWith(' on line ', d - 9)) fileEnd = d - 9;
  else if (msg.charCodeAt(d - 1) === 58) fileEnd = d - 1;
  else return;
  const inAt = msg.lastIndexOf(' in ', fileEnd);
  if (inAt < 0 || inAt + 4 >= fileEnd) return;
  const file = msg.slice(inAt + 4, fileEnd);
  // 'FILE:LINE' without a path separator is more likely prose ('retry in 10:30') than a location
  if (fileEnd === d - 1 && !file.includes('/') && !file.includes('\\')) return;
  rec.file = file;
  rec.fileLine = intBetween(msg, d, end);
}

class PhpErrorParser implements LineParser {
  private pending: EventRecord | undefined;

  constructor(private readonly ctx: ParseContext) {}

  line(s: string, lineNo: number): LineResult {
    return this.handle(s, lineNo, undefined);
  }

  wrapped(message: string, lineNo: number, info: WrapperInfo): LineResult {
    if (stampCloseAt(message) >= 0) return this.handle(message, lineNo, info);
    // syslog.filter splits a message at '\n': a trace arrives as records of its own with the same stamp
    const prev = this.pending;
    if (prev && isTraceLine(message) && sameSecond(prev.time, info.time) && prev.host === info.host) {
      return this.continued(prev, message);
    }
    if (message.trim() === '') return LineResult.Ignored;
    return this.entry(message, 0, info.time, lineNo, info);
  }

  flush(): void {
    if (this.pending) this.ctx.emit(this.pending);
    this.pending = undefined;
  }

  private handle(s: string, lineNo: number, info: WrapperInfo | undefined): LineResult {
    const close = stampCloseAt(s);
    if (close < 0) {
      const c0 = s.charCodeAt(0);
      if (c0 !== 91 && s.trim() !== '') {
        if (this.pending) return this.continued(this.pending, s);
        return isTraceLine(s) ? LineResult.Ignored : LineResult.Unrecognized;
      }
      return s.trim() === '' ? LineResult.Ignored : LineResult.Unrecognized;
    }
    const time = close === 21
      ? parseDmyTime(s, 1, this.ctx.tz).time
      : dmyInZone(s, 1, s.slice(22, close), this.ctx.tz);
    const body = s.charCodeAt(close + 1) === 32 ? close + 2 : close + 1;
    const prev = this.pending;
    if (prev && isXdebugTraceAt(s, body) && sameSecond(prev.time, time)) return this.continued(prev, s.slice(body));
    return this.entry(s, body, time, lineNo, info);
  }

  private entry(s: string, body: number, time: number, lineNo: number, info: WrapperInfo | undefined): LineResult {
    const message = body === 0 ? s : s.slice(body);
    const rec: EventRecord = {
      kind: 'event',
      family: 'php-error',
      time,
      message,
      origin: { source: this.ctx.source, line: lineNo },
      raw: capRaw(s),
    };
    const lvl = phpLevelOf(message);
    if (lvl) {
      rec.phpLevel = lvl[0];
      rec.level = lvl[1];
    }
    locate(message, rec);
    if (info?.host !== undefined) rec.host = info.host;
    if (info?.pid !== undefined) rec.pid = info.pid;
    if (this.pending) this.ctx.emit(this.pending);
    this.pending = rec;
    return LineResult.Record;
  }

  private continued(rec: EventRecord, s: string): LineResult {
    pushTrace((rec.trace ??= []), s);
    rec.raw = appendRaw(rec.raw, s);
    // the first line may have been cut by log_errors_max_len; '  thrown in X on line N' still names the place
    if (rec.file === undefined && isTraceLine(s)) locate(s, rec);
    return LineResult.Continuation;
  }
}

function sameSecond(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1000;
}

export const phpError: LogFormat = {
  id: 'php-error',
  title: 'PHP error log',
  sniff(lines) {
    if (lines.length === 0) return 0;
    let zoned = 0, bare = 0, trace = 0, other = 0;
    for (const s of lines) {
      const close = stampCloseAt(s);
      if (close > 21) zoned++;
      // a zone-less stamp is also FPM's; only 'PHP …' after it points here
      else if (close === 21 && s.startsWith('PHP ', 23)) bare++;
      else if (isTraceLine(s)) trace++;
      else if (s.charCodeAt(0) !== 91) other++;
    }
    if (zoned + bare === 0) return 0;
    return Math.min(1, (zoned + 0.8 * bare + trace + 0.5 * other) / lines.length);
  },
  createParser(ctx) {
    return new PhpErrorParser(ctx);
  },
};
