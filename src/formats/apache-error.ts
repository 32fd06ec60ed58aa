// Apache error log (signatures.md §2.3), one entry per physical line (Apache escapes newlines):
//   2.4: [<time>] [<module>:<level>] [pid N[:tid T]] [<file>(<line>): ][(<status>)<text>: ][client|remote ip:port] <message>[, referer: …]
//   2.2: [<time>] [<level>] [client ip] [(<status>)<text>: ]<message>
// <time> is ctime with optional microseconds, or ErrorLogFormat %{cu}t / %{cuz}t. Startup lines have no
// prefix at all, and `ErrorLog syslog:` drops the time part (see wrapped()).
import { parseCtime, parseIsoTime } from '../time/stamps.js';
import { LineResult } from './types.js';
import type { EventRecord, LineParser, LogFormat, ParseContext, WrapperInfo } from './types.js';
import { skipLead } from './lead.js';

const RAW_CAP = 4096;

/** ap_loglevels[] of server/log.c; trace1..8 are matched by prefix */
const LEVELS = ['error', 'notice', 'warn', 'info', 'crit', 'alert', 'emerg', 'debug'] as const;

/** Lines httpd or apachectl print to stderr before the error log is open (no AH code on them). */
const STARTUP_PREFIXES = [
  'httpd: ',
  'apache2: ',
  'apache: ',
  'Action \'',
  'Invalid command \'',
  'no listening sockets available',
  'The Apache error log may have more information.',
  'Syntax error on line ',
] as const;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** 'AH01079: ' at i */
function ahAt(s: string, i: number): boolean {
  if (s.charCodeAt(i) !== 65 || s.charCodeAt(i + 1) !== 72) return false;
  for (let k = 2; k < 7; k++) if (!isDigit(s.charCodeAt(i + k))) return false;
  return s.charCodeAt(i + 7) === 58 && s.charCodeAt(i + 8) === 32;
}

/**
 * The time bracket content between i (after '[') and `close`: ctime ('Mon Jan 12 10:00:01.123456 2026'),
 * %{cu}t ('2026-01-12 10:00:01.123456') or %{cuz}t (the same + ' +0100'). undefined when it is none of them.
 */
function readTime(s: string, i: number, close: number, tz: string): number | undefined {
  const c = s.charCodeAt(i);
  if (isLetter(c)) {
    if (!isLetter(s.charCodeAt(i + 1)) || !isLetter(s.charCodeAt(i + 2)) || s.charCodeAt(i + 3) !== 32) return undefined;
    if (s.charCodeAt(i + 7) !== 32 || close - i < 20) return undefined;
    const t = parseCtime(s, i, tz);
    return Number.isNaN(t.time) || t.end === close ? t.time : NaN;
  }
  if (isDigit(c) && s.charCodeAt(i + 4) === 45) {
    // %{cuz}t: ' +0100' before the bracket; parseIsoTime wants the offset glued to the time, so read the
    // wall clock as UTC and apply the offset here
    const sign = s.charCodeAt(close - 5);
    if (s.charCodeAt(close - 6) === 32 && (sign === 43 || sign === 45)) {
      const hh = s.charCodeAt(close - 4) - 48, h2 = s.charCodeAt(close - 3) - 48;
      const mm = s.charCodeAt(close - 2) - 48, m2 = s.charCodeAt(close - 1) - 48;
      if ([hh, h2, mm, m2].every((d) => d >= 0 && d <= 9)) {
        const off = (hh * 10 + h2) * 60 + mm * 10 + m2;
        const wall = parseIsoTime(s, i, 'UTC', close - 6);
        return wall - (sign === 45 ? -off : off) * 60_000;
      }
    }
    return parseIsoTime(s, i, tz, close);
  }
  return undefined;
}

/** '[module:level] ' or '[level] ' at i → fills module/level on rec, returns the index after it or -1. */
function readLevel(s: string, i: number, rec: EventRecord): number {
  if (s.charCodeAt(i) !== 91) return -1;
  const close = s.indexOf(']', i + 1);
  if (close < 0 || close - i > 72) return -1;
  let colon = -1;
  for (let k = i + 1; k < close; k++) {
    const c = s.charCodeAt(k);
    if (c === 58) {
      if (colon >= 0) return -1;
      colon = k;
    } else if (c === 32 || c === 91) {
      return -1;
    }
  }
  const ls = colon >= 0 ? colon + 1 : i + 1;
  let level: string | undefined;
  for (const l of LEVELS) {
    if (close - ls === l.length && s.startsWith(l, ls)) level = l;
  }
  if (level === undefined && close - ls === 6 && s.startsWith('trace', ls) && isDigit(s.charCodeAt(ls + 5))) {
    level = s.slice(ls, close);
  }
  if (level === undefined) return -1;
  rec.level = level;
  // '[:error]': the module did not declare APLOG_USE_MODULE (old mod_php); no name is better than ''
  if (colon > i + 1) rec.module = s.slice(i + 1, colon);
  let p = close + 1;
  if (s.charCodeAt(p) === 32) p++;
  return p;
}

/** '[pid 2211:tid 1402…] ' at i → index after it, -1 when absent. */
function readPid(s: string, i: number, rec: EventRecord): number {
  if (!s.startsWith('[pid ', i)) return -1;
  let p = i + 5, n = 0;
  while (isDigit(s.charCodeAt(p))) n = n * 10 + s.charCodeAt(p++) - 48;
  if (p === i + 5) return -1;
  const close = s.indexOf(']', p);
  if (close < 0 || close - p > 40) return -1;
  rec.pid = n;
  p = close + 1;
  return s.charCodeAt(p) === 32 ? p + 1 : p;
}

/** 'mod_rewrite.c(470): ' (debug and trace levels) at i → index after it, -1 when absent. */
function skipSourceLocation(s: string, i: number): number {
  let p = i;
  const lim = Math.min(s.length, i + 80);
  while (p < lim && s.charCodeAt(p) !== 40 && s.charCodeAt(p) !== 32) p++;
  if (p === i || s.charCodeAt(p) !== 40) return -1;
  const d = ++p;
  while (isDigit(s.charCodeAt(p))) p++;
  if (p === d || s.charCodeAt(p) !== 41 || s.charCodeAt(p + 1) !== 58 || s.charCodeAt(p + 2) !== 32) return -1;
  return p + 3;
}

/**
 * '(111)Connection refused: ' / '(70007)The timeout specified has expired: ' / '(EAI 2)Name or service not
 * known: ' at i. APR statuses (≥ 20000) go into errno like OS errnos: their numbers are distinct. Resolver
 * (EAI) codes are not errnos: errno stays unset and errnoText keeps the code, 'EAI 2 Name or service not known'.
 */
function readStatus(s: string, i: number, rec: EventRecord): number {
  if (s.charCodeAt(i) !== 40) return -1;
  const close = s.indexOf(')', i + 1);
  if (close < 0 || close - i > 24) return -1;
  const colon = s.indexOf(': ', close + 1);
  if (colon < 0 || colon - close > 160) return -1;
  let p = i + 1;
  let errno: number | undefined;
  let eai = false;
  if (s.startsWith('EAI ', p)) {
    eai = true;
    p += 4;
  } else if (s.startsWith('OS ', p)) {
    p += 3;
  } else if (s.startsWith('os 0x', p)) {
    const n = Number.parseInt(s.slice(p + 5, close), 16);
    if (Number.isNaN(n)) return -1;
    errno = n;
    p = close;
  }
  if (p < close) {
    const neg = s.charCodeAt(p) === 45;
    if (neg) p++;
    let n = 0;
    const d = p;
    while (isDigit(s.charCodeAt(p))) n = n * 10 + s.charCodeAt(p++) - 48;
    if (p === d || p !== close) return -1;
    if (neg) n = -n;
    if (!eai) errno = n;
  }
  const text = s.slice(close + 1, colon);
  if (eai) rec.errnoText = `${s.slice(i + 1, close)} ${text}`;
  else {
    if (errno !== undefined) rec.errno = errno;
    rec.errnoText = text;
  }
  return colon + 2;
}

/**
 * '[client 203.0.113.7:51234] ' or '[remote …] ' at i. 2.4 prints ip:port with a bare IPv6 address
 * ('[client ::1:58619]'), 2.2 the address alone, so a port is split off an IPv6 address only for 2.4.
 */
function readClient(s: string, i: number, rec: EventRecord, withPort: boolean): number {
  if (!s.startsWith('[client ', i) && !s.startsWith('[remote ', i)) return -1;
  const p = i + 8;
  let close: number;
  let ipStart = p;
  let ipEnd: number;
  let port = -1;
  if (s.charCodeAt(p) === 91) {
    // '[client [2001:db8::1]:51548]'
    ipStart = p + 1;
    ipEnd = s.indexOf(']', ipStart);
    if (ipEnd < 0) return -1;
    close = s.indexOf(']', ipEnd + 1);
    if (close < 0) return -1;
    if (s.charCodeAt(ipEnd + 1) === 58) port = portBetween(s, ipEnd + 2, close);
  } else {
    close = s.indexOf(']', p);
    if (close < 0) return -1;
    ipEnd = close;
    const colons = countColons(s, p, close);
    if (colons === 1 || (withPort && colons > 1)) {
      const c = s.lastIndexOf(':', close - 1);
      port = portBetween(s, c + 1, close);
      if (port >= 0) ipEnd = c;
    }
  }
  if (close - p > 80) return -1;
  rec.client = s.slice(ipStart, ipEnd);
  if (port >= 0) rec.clientPort = port;
  const after = close + 1;
  return s.charCodeAt(after) === 32 ? after + 1 : after;
}

/** decimal port in s[from, to), -1 when it is not one */
function portBetween(s: string, from: number, to: number): number {
  if (to <= from || to - from > 5) return -1;
  let n = 0;
  for (let q = from; q < to; q++) {
    const c = s.charCodeAt(q);
    if (!isDigit(c)) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}

function countColons(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (s.charCodeAt(k) === 58) n++;
  return n;
}

/** Everything after '[module:level] ': pid, source location, status and client in either order, message. */
function readRest(s: string, p0: number, rec: EventRecord): void {
  let p = p0;
  const v24 = rec.module !== undefined || s.startsWith('[pid ', p);
  let q = readPid(s, p, rec);
  if (q >= 0) p = q;
  q = skipSourceLocation(s, p);
  if (q >= 0) p = q;
  // 2.4 writes the status before the client, 2.2 after it
  let gotStatus = false, gotClient = false;
  for (let n = 0; n < 2; n++) {
    if (!gotStatus && (q = readStatus(s, p, rec)) >= 0) {
      gotStatus = true;
      p = q;
    } else if (!gotClient && (q = readClient(s, p, rec, v24)) >= 0) {
      gotClient = true;
      p = q;
    } else {
      break;
    }
  }
  readMessage(s, p, rec);
}

function readMessage(s: string, p: number, rec: EventRecord): void {
  if (ahAt(s, p)) rec.ahCode = s.slice(p, p + 7);
  // ap_log_rerror() appends the referer last; the first occurrence wins, as the spec's lazy pattern does
  const r = s.indexOf(', referer: ', p);
  if (r >= 0) {
    rec.referrer = s.slice(r + 11);
    rec.message = s.slice(p, r);
  } else {
    rec.message = p === 0 ? s : s.slice(p);
  }
}

function newRecord(ctx: ParseContext, raw: string, lineNo: number, time: number): EventRecord {
  return {
    kind: 'event',
    family: 'apache-error',
    time,
    message: '',
    origin: { source: ctx.source, line: lineNo },
    raw: raw.length > RAW_CAP ? raw.slice(0, RAW_CAP) : raw,
  };
}

/** A startup line without time and module: 'AH00558: apache2: Could not reliably…', '(98)Address…: AH00072: …'. */
function startupLine(s: string, i: number, rec: EventRecord): boolean {
  if (ahAt(s, i)) {
    readMessage(s, i, rec);
    return true;
  }
  if (s.charCodeAt(i) === 40) {
    const q = readStatus(s, i, rec);
    if (q >= 0 && ahAt(s, q)) {
      readMessage(s, q, rec);
      return true;
    }
    rec.errno = undefined;
    rec.errnoText = undefined;
    return false;
  }
  for (const pre of STARTUP_PREFIXES) {
    if (s.startsWith(pre, i)) {
      readMessage(s, i, rec);
      return true;
    }
  }
  return false;
}

/**
 * One entry from `s` at `i`: with its own time bracket, or (syslog form, custom formats) starting at the
 * module bracket, keeping the time `rec` came with. false when the text is not an Apache error entry.
 */
function readEntry(s: string, i: number, tz: string, rec: EventRecord): boolean {
  if (s.charCodeAt(i) === 91) {
    let p = i;
    const close = s.indexOf(']', i + 1);
    if (close > 0 && close - i <= 48) {
      const t = readTime(s, i + 1, close, tz);
      if (t !== undefined) {
        rec.time = t;
        p = close + 1;
        if (s.charCodeAt(p) === 32) p++;
      }
    }
    const q = readLevel(s, p, rec);
    if (q < 0) return false;
    readRest(s, q, rec);
    return true;
  }
  return startupLine(s, i, rec);
}

class ApacheErrorParser implements LineParser {
  private readonly ctx: ParseContext;

  constructor(ctx: ParseContext) {
    this.ctx = ctx;
  }

  line(text: string, lineNo: number): LineResult {
    const i = skipLead(text);
    if (i === text.length) return LineResult.Ignored;
    const rec = newRecord(this.ctx, i === 0 ? text : text.slice(i), lineNo, NaN);
    if (!readEntry(text, i, this.ctx.tz, rec)) return LineResult.Unrecognized;
    this.ctx.emit(rec);
    return LineResult.Record;
  }

  wrapped(message: string, lineNo: number, info: WrapperInfo): LineResult {
    const i = skipLead(message);
    if (i === message.length) return LineResult.Ignored;
    const rec = newRecord(this.ctx, i === 0 ? message : message.slice(i), lineNo, info.time);
    if (!readEntry(message, i, this.ctx.tz, rec)) return LineResult.Unrecognized;
    if (info.host !== undefined) rec.host = info.host;
    if (rec.pid === undefined && info.pid !== undefined) rec.pid = info.pid;
    this.ctx.emit(rec);
    return LineResult.Record;
  }

  flush(): void {
    // one entry per line: nothing is buffered
  }
}

function sniff(lines: readonly string[]): number {
  let hits = 0, startup = 0, misses = 0;
  const scratch = newRecord({ tz: 'UTC', referenceTime: 0, source: '', emit: () => undefined }, '', 0, NaN);
  for (const line of lines) {
    const i = skipLead(line);
    if (i === line.length) continue;
    // only lines with their own time bracket are specific to this family; startup lines are neutral-ish
    if (line.charCodeAt(i) === 91) {
      const close = line.indexOf(']', i + 1);
      const t = close > 0 && close - i <= 48 ? readTime(line, i + 1, close, 'UTC') : undefined;
      const p = close + (line.charCodeAt(close + 1) === 32 ? 2 : 1);
      if (t !== undefined && readLevel(line, p, scratch) >= 0) {
        hits++;
        continue;
      }
    } else if (startupLine(line, i, scratch)) {
      startup++;
      continue;
    }
    misses++;
  }
  if (hits === 0) return 0;
  return Math.min(1, ((hits + startup * 0.5) / (hits + startup + misses)) * 0.97);
}

export const apacheError: LogFormat = {
  id: 'apache-error',
  title: 'Apache error log',
  sniff,
  createParser: (ctx) => new ApacheErrorParser(ctx),
};
