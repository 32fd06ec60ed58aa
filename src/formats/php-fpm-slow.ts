// PHP-FPM slow log (request_slowlog_timeout), signatures.md §2.6 and §3.5. Written by the master while it
// ptrace-reads the worker (fpm_php_trace.c → fpm_php_trace_dump()):
//
//   <empty line>
//   [12-Jan-2026 10:00:06]  [pool www] pid 12345
//   script_filename = /var/www/html/index.php
//   [0x00007f3b8c0150f0] curl_exec() /var/www/html/wp-includes/Requests/src/Transport/Curl.php:205
//   [0x00007f3b8c014e40] ???() unknown:0
//   +++ dump failed                           (instead of, or after, frames when ptrace reading failed)
//
// An entry runs from its header to the next header (or the end of input); the blank separator is not
// relied upon, because copies of slow logs lose it.
import { parseDmyTime } from '../time/stamps.js';
import { appendRaw, capRaw, digitsEnd, intBetween, isDmyAt } from './php-shared.js';
import { LineResult } from './types.js';
import type { EventRecord, LineParser, LogFormat, ParseContext, StackFrame } from './types.js';

/** request_slowlog_trace_depth defaults to 20; a generous cap keeps a misconfigured depth bounded. */
const FRAME_CAP = 200;

/**
 * Start of the stamp of a header line '[12-Jan-2026 10:00:06]  [pool www] pid 12345', or -1. A line cut
 * just before its '[' (the first line of a truncated copy) is still a header.
 */
function headerStampAt(s: string): number {
  const i = s.charCodeAt(0) === 91 ? 1 : 0;
  if (!isDmyAt(s, i)) return -1;
  let p = i + 20;
  if (s.charCodeAt(p) === 46) p = digitsEnd(s, p + 1); // debug-mode microseconds
  // zlog_print_time() already ends with '] ', and the header format adds another space: accept any number
  if (s.charCodeAt(p) !== 93 || s.charCodeAt(p + 1) !== 32) return -1;
  p += 2;
  while (s.charCodeAt(p) === 32) p++;
  if (!s.startsWith('[pool ', p)) return -1;
  const close = s.indexOf('] pid ', p + 6);
  if (close < 0) return -1;
  const end = digitsEnd(s, close + 6);
  if (end === close + 6 || s.slice(end).trim() !== '') return -1;
  return i;
}

/** '[0x00007f3b8c0150f0] curl_exec() /path/file.php:205' (8 hex digits on 32-bit builds). */
export function parseFrame(s: string): StackFrame | undefined {
  if (!s.startsWith('[0x')) return undefined;
  const close = s.indexOf('] ', 3);
  if (close < 4 || close > 19) return undefined;
  for (let k = 3; k < close; k++) {
    const c = s.charCodeAt(k) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return undefined;
  }
  const fnStart = close + 2;
  const paren = s.indexOf('() ', fnStart);
  if (paren < 0) return undefined;
  let f = paren + 3;
  while (s.charCodeAt(f) === 32) f++;
  let end = s.length;
  while (end > f && s.charCodeAt(end - 1) === 32) end--;
  const colon = s.lastIndexOf(':', end - 1);
  if (colon <= f || digitsEnd(s, colon + 1) !== end || colon + 1 === end) return undefined;
  return { fn: s.slice(fnStart, paren), file: s.slice(f, colon), line: intBetween(s, colon + 1, end) };
}

const SCRIPT = 'script_filename = ';
const DUMP_FAILED = '+++ dump failed';

class SlowParser implements LineParser {
  private pending: EventRecord | undefined;

  constructor(private readonly ctx: ParseContext) {}

  line(s: string, lineNo: number): LineResult {
    const c0 = s.charCodeAt(0);
    if (c0 === 91 && s.charCodeAt(1) === 48) {
      const frame = parseFrame(s);
      if (frame) return this.continued(s, frame);
    }
    if (c0 === 115 && s.startsWith(SCRIPT)) {
      if (this.pending) this.pending.script = this.pending.message = s.slice(SCRIPT.length);
      return this.continued(s, undefined);
    }
    if (c0 === 43 && s.startsWith(DUMP_FAILED)) return this.continued(s, undefined);
    const stamp = headerStampAt(s);
    if (stamp >= 0) {
      this.flush();
      const close = s.lastIndexOf('] pid ');
      const poolAt = s.indexOf('[pool ', stamp + 20);
      const pidEnd = digitsEnd(s, close + 6);
      this.pending = {
        kind: 'event',
        family: 'php-fpm-slow',
        time: parseDmyTime(s, stamp, this.ctx.tz).time,
        message: '',
        pool: s.slice(poolAt + 6, close),
        childPid: intBetween(s, close + 6, pidEnd),
        frames: [],
        origin: { source: this.ctx.source, line: lineNo },
        raw: capRaw(s),
      };
      return LineResult.Record;
    }
    if (s.trim() === '') return LineResult.Ignored;
    return LineResult.Unrecognized;
  }

  flush(): void {
    if (this.pending) this.ctx.emit(this.pending);
    this.pending = undefined;
  }

  /** A body line of an entry; lines before any header (a log cut mid-entry) are known but unusable. */
  private continued(s: string, frame: StackFrame | undefined): LineResult {
    const rec = this.pending;
    if (!rec) return LineResult.Ignored;
    if (frame && rec.frames && rec.frames.length < FRAME_CAP) rec.frames.push(frame);
    rec.raw = appendRaw(rec.raw, s);
    return LineResult.Continuation;
  }
}

export const phpFpmSlow: LogFormat = {
  id: 'php-fpm-slow',
  title: 'PHP-FPM slow log',
  sniff(lines) {
    if (lines.length === 0) return 0;
    let headers = 0, body = 0;
    for (const s of lines) {
      if (headerStampAt(s) >= 0) headers++;
      else if (s.startsWith(SCRIPT) || s.startsWith(DUMP_FAILED) || parseFrame(s)) body++;
    }
    // frame lines without a header (a sample cut mid-entry) are specific enough once there are a few
    if (headers === 0 && body < 2) return 0;
    return Math.min(1, (headers + body) / lines.length);
  },
  createParser(ctx) {
    return new SlowParser(ctx);
  },
};
