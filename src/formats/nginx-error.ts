// nginx error log (signatures.md §2.1):
//   <yyyy/mm/dd hh:mm:ss> [<level>] <pid>#<tid>: [*<conn> ]<message>[ (<errno>: <text>)][ while <action>][, client: …]
// The message is free text (FastCGI stderr can hold ', client: ' and newlines), so the context is read from
// the right, and physical lines that do not start with a stamp continue the current entry.
import { parseNginxErrorTime } from '../time/stamps.js';
import { LineResult } from './types.js';
import type { EventRecord, LineParser, LogFormat, ParseContext } from './types.js';
import { skipLead } from './lead.js';

/** raw text kept per record */
const RAW_CAP = 4096;
/**
 * Continuation text kept per entry. nginx builds a whole entry in 2048 bytes (NGX_MAX_ERROR_STR), so anything
 * much longer is not one nginx entry; past the cap only the latest physical line is kept, because the
 * context that belongs to the entry is at the end of the last one.
 */
const ENTRY_CAP = 16384;

/** err_levels[] of src/core/ngx_log.c */
const LEVELS = ['error', 'warn', 'notice', 'info', 'crit', 'alert', 'emerg', 'debug'] as const;

/**
 * The closed set of `log->action` strings nginx sets (http, upstream, ssl, v2/v3, accept); matched exactly so
 * that a message text ending in ' while …' is not mistaken for context.
 */
const ACTIONS: ReadonlySet<string> = new Set([
  'connecting to upstream',
  'sending request to upstream',
  'reading response header from upstream',
  'reading upstream',
  'sending to client',
  'SSL handshaking to upstream',
  'proxying upgraded connection',
  'sending early hints to client',
  'reading client request line',
  'reading client request headers',
  'reading client pipelined request line',
  'reading client request',
  'SSL handshaking',
  'reading PROXY protocol',
  'waiting for request',
  'keepalive',
  'closing request',
  'logging request',
  'sending response to client',
  'processing HTTP/2 connection',
  'processing HTTP/3 connection',
  'resolving',
]);
const ACCEPT_ACTION = 'accepting new connection on ';
const RESOLVER_TAIL = ' could not be resolved';
const STARTTLS = ' using starttls';
/** offsets of the digits in 'yyyy/mm/dd hh:mm:ss' */
const STAMP_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] as const;
/** keys that may follow `, server: …` in the http, mail and stream context handlers */
const CONTEXT_KEYS = ['request: ', 'subrequest: ', 'upstream: ', 'host: ', 'referrer: ', 'login: '] as const;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** 'yyyy/mm/dd hh:mm:ss [' at i, by shape only (the date is validated by the time reader). */
function stampAt(s: string, i: number): boolean {
  if (s.length < i + 21) return false;
  for (const k of STAMP_DIGITS) if (!isDigit(s.charCodeAt(i + k))) return false;
  return (
    s.charCodeAt(i + 4) === 47 && s.charCodeAt(i + 7) === 47 && s.charCodeAt(i + 10) === 32 &&
    s.charCodeAt(i + 13) === 58 && s.charCodeAt(i + 16) === 58 && s.charCodeAt(i + 19) === 32 &&
    s.charCodeAt(i + 20) === 91
  );
}

/** '<level>] ' at i (after the '[') → the level, undefined when it is not one of nginx's. */
function levelAt(s: string, i: number): (typeof LEVELS)[number] | undefined {
  for (const l of LEVELS) {
    if (s.startsWith(l, i) && s.charCodeAt(i + l.length) === 93 && s.charCodeAt(i + l.length + 1) === 32) return l;
  }
  return undefined;
}

/** The parts of an entry's first line; reused by one parser, never shared. */
interface Head {
  time: number;
  level: string;
  pid: number;
  /** -1 when absent */
  conn: number;
  /** index in the line where the message starts */
  body: number;
}

/**
 * Reads the prefix of an entry's first line into `h`; false when the line does not start an entry.
 * Also takes `nginx: [emerg] …` lines that the binary prints to stderr before its log is open.
 */
function readHead(s: string, i: number, tz: string, h: Head): boolean {
  if (stampAt(s, i)) {
    const level = levelAt(s, i + 21);
    if (level === undefined) return false;
    let p = i + 21 + level.length + 2;
    let pid = 0;
    const p0 = p;
    while (isDigit(s.charCodeAt(p))) pid = pid * 10 + s.charCodeAt(p++) - 48;
    if (p === p0 || s.charCodeAt(p) !== 35) return false; // '#'
    const t0 = ++p;
    while (isDigit(s.charCodeAt(p))) p++;
    if (p === t0 || s.charCodeAt(p) !== 58) return false; // ':'
    p++;
    if (s.charCodeAt(p) === 32) p++;
    let conn = -1;
    if (s.charCodeAt(p) === 42) { // '*'
      let q = p + 1, n = 0;
      while (isDigit(s.charCodeAt(q))) n = n * 10 + s.charCodeAt(q++) - 48;
      if (q > p + 1 && (s.charCodeAt(q) === 32 || q === s.length)) {
        conn = n;
        p = q === s.length ? q : q + 1;
      }
    }
    h.time = parseNginxErrorTime(s, i, tz);
    h.level = level;
    h.pid = pid;
    h.conn = conn;
    h.body = p;
    return true;
  }
  if (s.startsWith('nginx: [', i)) {
    const level = levelAt(s, i + 8);
    if (level === undefined) return false;
    h.time = NaN;
    h.level = level;
    h.pid = -1;
    h.conn = -1;
    h.body = i + 8 + level.length + 2;
    return true;
  }
  return false;
}

/** An address the context handler printed (`c->addr_text`): IPv4, IPv6 or `unix:`. Returns its end, or -1. */
function clientEnd(s: string, i: number): number {
  let j = i;
  if (s.startsWith('unix:', i)) {
    j = s.indexOf(', ', i);
    if (j < 0) j = s.length;
  } else {
    for (;;) {
      const c = s.charCodeAt(j);
      if (isDigit(c) || c === 46 || c === 58 || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) j++;
      else break;
    }
    if (j === i) return -1;
  }
  // the context always continues with the server (or the entry was cut at the 2048-byte limit); the mail
  // module puts ' using starttls' between the two
  const k = s.startsWith(STARTTLS, j) ? j + STARTTLS.length : j;
  if (k === s.length || s.startsWith(', server: ', k)) return j;
  return -1;
}

/** Start of the last ', client: ' that is really the context, -1 when there is none. */
function findClient(s: string): number {
  let k = s.lastIndexOf(', client: ');
  while (k >= 0) {
    if (clientEnd(s, k + 10) >= 0) return k;
    if (k === 0) return -1;
    k = s.lastIndexOf(', client: ', k - 1);
  }
  return -1;
}

function contextKeyAt(s: string, i: number): string | undefined {
  for (const key of CONTEXT_KEYS) if (s.startsWith(key, i)) return key;
  return undefined;
}

/**
 * End of a quoted context value starting at `from`: the first '", <key>: ' after it, else the end of the entry
 * without its closing quote (the quote is missing when the entry was cut at the length limit).
 */
function quotedEnd(s: string, from: number): number {
  let q = s.indexOf('", ', from);
  while (q >= 0) {
    if (contextKeyAt(s, q + 3) !== undefined) return q;
    q = s.indexOf('", ', q + 1);
  }
  return s.charCodeAt(s.length - 1) === 34 && s.length - 1 >= from ? s.length - 1 : s.length;
}

/** Fills client, server, request, upstream, vhost and referrer from the context that starts at `k`. */
function readContext(s: string, k: number, rec: EventRecord): void {
  let p = k + 10;
  const ce = clientEnd(s, p);
  rec.client = s.slice(p, ce);
  p = s.startsWith(STARTTLS, ce) ? ce + STARTTLS.length : ce;
  if (s.startsWith(', server: ', p)) {
    p += 10;
    let e = s.indexOf(', ', p);
    if (e < 0) e = s.length;
    rec.server = s.slice(p, e);
    p = e;
  }
  while (p < s.length && s.charCodeAt(p) === 44 && s.charCodeAt(p + 1) === 32) {
    const key = contextKeyAt(s, p + 2);
    if (key === undefined) return; // stream module byte counters and the like: not needed
    const v = p + 2 + key.length;
    let value: string;
    if (s.charCodeAt(v) === 34) {
      const e = quotedEnd(s, v + 1);
      value = s.slice(v + 1, e);
      p = e + 1;
    } else {
      // mail and stream print the upstream unquoted
      let e = s.indexOf(', ', v);
      if (e < 0) e = s.length;
      value = s.slice(v, e);
      p = e;
    }
    switch (key) {
      case 'request: ': rec.request = value; break;
      case 'upstream: ': rec.upstream = value; break;
      case 'host: ': rec.vhost = value; break;
      case 'referrer: ': rec.referrer = value; break;
      default: break; // subrequest, login
    }
  }
}

/** ' while <action>' at the end of msg → where the message ends, or msg.length. */
function actionStart(msg: string, rec: EventRecord, withClient: boolean): number {
  const w = msg.lastIndexOf(' while ');
  if (w < 0) return msg.length;
  const action = msg.slice(w + 7);
  if (ACTIONS.has(action) || action.startsWith(ACCEPT_ACTION)) {
    rec.action = action;
    return w;
  }
  // mail and stream set their own actions ('in http auth state', 'proxying connection'); accept a short
  // lower-case phrase there, but only when a client context follows, so message text is not cut
  if (withClient && action.length > 0 && action.length <= 48 && /^[a-z][a-z0-9 ]*$/.test(action)) {
    rec.action = action;
    return w;
  }
  return msg.length;
}

/** Trailing ' (111: Connection refused)' of ngx_log_errno(). */
function readErrno(msg: string, rec: EventRecord): void {
  const end = msg.length - 1;
  if (end < 4 || msg.charCodeAt(end) !== 41) return;
  const o = msg.lastIndexOf(' (', end);
  if (o < 0) return;
  let p = o + 2, n = 0;
  while (isDigit(msg.charCodeAt(p))) n = n * 10 + msg.charCodeAt(p++) - 48;
  if (p === o + 2 || msg.charCodeAt(p) !== 58 || msg.charCodeAt(p + 1) !== 32) return;
  rec.errnoText = msg.slice(p + 2, end);
  // the resolver prints its rcode the same way ('(3: Host not found)'); that number is not an errno
  if (!msg.startsWith(RESOLVER_TAIL, o - RESOLVER_TAIL.length)) rec.errno = n;
}

function capRaw(s: string): string {
  return s.length > RAW_CAP ? s.slice(0, RAW_CAP) : s;
}

class NginxErrorParser implements LineParser {
  private readonly ctx: ParseContext;
  private readonly head: Head = { time: NaN, level: '', pid: -1, conn: -1, body: 0 };
  // the open entry
  private open = false;
  private first = '';
  private startLine = 0;
  private time = NaN;
  private level = '';
  private pid = -1;
  private conn = -1;
  private body = 0;
  private more: string[] = [];
  private moreLen = 0;
  /** latest continuation line once the entry passed ENTRY_CAP */
  private tail: string | null = null;
  /** blank lines seen since the last continuation: kept only if more of the entry follows */
  private blanks = 0;

  constructor(ctx: ParseContext) {
    this.ctx = ctx;
  }

  line(text: string, lineNo: number): LineResult {
    const i = skipLead(text);
    if (i === text.length) {
      if (this.open) this.blanks++;
      return LineResult.Ignored;
    }
    const h = this.head;
    if (readHead(text, i, this.ctx.tz, h)) {
      this.flush();
      this.open = true;
      this.first = i === 0 ? text : text.slice(i);
      this.startLine = lineNo;
      this.time = h.time;
      this.level = h.level;
      this.pid = h.pid;
      this.conn = h.conn;
      this.body = h.body - i;
      return LineResult.Record;
    }
    if (!this.open) return LineResult.Unrecognized;
    // FastCGI stderr is written as is: a PHP stack trace continues on lines without a stamp
    for (; this.blanks > 0; this.blanks--) this.append('');
    this.append(text);
    return LineResult.Continuation;
  }

  private append(text: string): void {
    if (this.moreLen + text.length <= ENTRY_CAP && this.tail === null) {
      this.more.push(text);
      this.moreLen += text.length + 1;
    } else {
      this.tail = text;
    }
  }

  flush(): void {
    if (!this.open) return;
    this.open = false;
    this.blanks = 0;
    let entry = this.first;
    if (this.more.length > 0) entry += '\n' + this.more.join('\n');
    if (this.tail !== null) entry += '\n' + this.tail;
    this.more = [];
    this.moreLen = 0;
    this.tail = null;

    const s = this.body === 0 ? entry : entry.slice(this.body);
    const rec: EventRecord = {
      kind: 'event',
      family: 'nginx-error',
      time: this.time,
      level: this.level,
      message: '',
      origin: { source: this.ctx.source, line: this.startLine },
      raw: capRaw(entry),
    };
    if (this.pid >= 0) rec.pid = this.pid;
    if (this.conn >= 0) rec.connection = this.conn;
    const k = findClient(s);
    let end = s.length;
    if (k >= 0) {
      readContext(s, k, rec);
      end = k;
    }
    const msg = end === s.length ? s : s.slice(0, end);
    const a = actionStart(msg, rec, k >= 0);
    rec.message = a === msg.length ? msg : msg.slice(0, a);
    readErrno(rec.message, rec);
    this.ctx.emit(rec);
  }
}

/** Lines sniffed: entry starts vs. lines that fit no entry (continuations after a start are neutral). */
function sniff(lines: readonly string[]): number {
  const h: Head = { time: NaN, level: '', pid: -1, conn: -1, body: 0 };
  let starts = 0, orphans = 0, conts = 0;
  for (const line of lines) {
    const i = skipLead(line);
    if (i === line.length) continue;
    if (readHead(line, i, 'UTC', h)) starts++;
    else if (starts > 0) conts++;
    else orphans++;
  }
  if (starts === 0) return 0;
  const ratio = starts / (starts + orphans);
  // a few stamps drowned in other text is more likely a wrapper or a mixed file
  const dilution = conts > starts * 20 ? 0.7 : 1;
  return Math.min(1, ratio * dilution * 0.98);
}

export const nginxError: LogFormat = {
  id: 'nginx-error',
  title: 'nginx error log',
  sniff,
  createParser: (ctx) => new NginxErrorParser(ctx),
};
