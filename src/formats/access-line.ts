// The shared fast scanner for the combined family of access lines (nginx combined/main, Apache
// common/combined/vhost_combined) and the field readers the log_format compiler reuses.
//
//   [vhost[:port] ]$remote_addr $ident $remote_user [$time_local] "$request" $status $bytes <tail>
//
// The layout is fixed enough to scan with indexOf/charCodeAt: no regex runs per line, and escapes are only
// undone when the line holds a backslash at all. The tail after the byte count is read without any flag:
// referer and user agent, nginx `main`'s "$http_x_forwarded_for", `key=value` timing tails, the positional
// `$request_time $upstream_response_time "$upstream_addr" $upstream_status` tail, the ingress-nginx
// upstreaminfo tail, and an Apache %D/%T duration.
import { digits, monthAt } from '../time/stamps.js';
import { ownString } from '../input/lines.js';
import type { AccessRecord } from './types.js';

export type AccessFamily = AccessRecord['family'];

/** raw is capped so one pathological line cannot pin megabytes per record */
export const RAW_CAP = 4096;

/** Evidence bits the scanner leaves for the sniffers: which server most likely wrote the last line. */
export const EVIDENCE_NGINX = 1;
export const EVIDENCE_APACHE = 2;
/** the line had a syslog header in front: read here, but no evidence that the file is a plain access log */
export const EVIDENCE_WRAPPED = 4;

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const DOT = 46;
const DASH = 45;
const EQUALS = 61;
const LBRACKET = 91;
const RBRACKET = 93;
/** length of a CLF stamp, '10/Oct/2000:13:55:36 -0700' */
const CLF_STAMP = 26;

/** A record with every field present (undefined when unknown) so all records share one object shape. */
export function newAccessRecord(
  family: AccessFamily,
  timeIsStart: boolean,
  source: string,
  line: number,
  text: string,
): AccessRecord {
  return {
    kind: 'access',
    family,
    time: NaN,
    timeIsStart,
    client: '',
    request: '',
    method: '',
    path: '',
    protocol: '',
    status: 0,
    bytes: 0,
    referer: undefined,
    userAgent: undefined,
    vhost: undefined,
    requestTime: undefined,
    upstreamAddr: undefined,
    upstreamStatus: undefined,
    upstreamConnectTime: undefined,
    upstreamHeaderTime: undefined,
    upstreamResponseTime: undefined,
    xForwardedFor: undefined,
    host: undefined,
    origin: { source, line },
    raw: text.length > RAW_CAP ? text.slice(0, RAW_CAP) : text,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Escapes

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Undoes the servers' log escaping in s[a, b): `\xHH` (nginx writes uppercase hex, Apache lowercase; runs of
 * them are UTF-8 bytes and are decoded as such, invalid sequences becoming U+FFFD), `\"`, `\\`, Apache's
 * `\n` `\r` `\t` `\b` `\f` `\v`, and nginx escape=json's `\uXXXX`. Unknown escapes stay as written.
 */
export function unescapeLogText(s: string, a: number, b: number): string {
  let out = '';
  let run = a; // start of the pending verbatim run
  let bytes: number[] | undefined;
  let i = a;
  while (i < b) {
    if (s.charCodeAt(i) !== BACKSLASH || i + 1 >= b) {
      i++;
      continue;
    }
    const e = s.charCodeAt(i + 1);
    if (e === 120 /* x */ && i + 3 < b) {
      const h = hexVal(s.charCodeAt(i + 2));
      const l = hexVal(s.charCodeAt(i + 3));
      if (h >= 0 && l >= 0) {
        if (i > run) out += s.slice(run, i);
        bytes ??= [];
        bytes.length = 0;
        bytes.push(h * 16 + l);
        i += 4;
        // a multi-byte UTF-8 character arrives as consecutive escapes
        while (i + 3 < b && s.charCodeAt(i) === BACKSLASH && s.charCodeAt(i + 1) === 120) {
          const h2 = hexVal(s.charCodeAt(i + 2));
          const l2 = hexVal(s.charCodeAt(i + 3));
          if (h2 < 0 || l2 < 0) break;
          bytes.push(h2 * 16 + l2);
          i += 4;
        }
        out += Buffer.from(bytes).toString('utf8');
        run = i;
        continue;
      }
      i += 2;
      continue;
    }
    let rep: string | undefined;
    switch (e) {
      case QUOTE: rep = '"'; break;
      case BACKSLASH: rep = '\\'; break;
      case 110: rep = '\n'; break;
      case 114: rep = '\r'; break;
      case 116: rep = '\t'; break;
      case 98: rep = '\b'; break;
      case 102: rep = '\f'; break;
      case 118: rep = '\v'; break;
      case 117: { // u
        if (i + 5 < b) {
          const d0 = hexVal(s.charCodeAt(i + 2)), d1 = hexVal(s.charCodeAt(i + 3));
          const d2 = hexVal(s.charCodeAt(i + 4)), d3 = hexVal(s.charCodeAt(i + 5));
          if (d0 >= 0 && d1 >= 0 && d2 >= 0 && d3 >= 0) {
            if (i > run) out += s.slice(run, i);
            out += String.fromCharCode(((d0 * 16 + d1) * 16 + d2) * 16 + d3);
            i += 6;
            run = i;
            continue;
          }
        }
        break;
      }
      default: break;
    }
    if (rep === undefined) {
      i += 2;
      continue;
    }
    if (i > run) out += s.slice(run, i);
    out += rep;
    i += 2;
    run = i;
  }
  if (b > run) out += s.slice(run, b);
  return out;
}

/**
 * Field text s[a, b), unescaped only when a backslash is inside (`bs`: where the first backslash of the line
 * may be at the earliest, at or before a, or -1 when the line has none).
 */
export function fieldText(s: string, a: number, b: number, bs: number): string {
  if (bs >= 0 && bs < b) {
    const first = s.indexOf('\\', a);
    if (first >= 0 && first < b) return unescapeLogText(s, a, b);
  }
  return s.slice(a, b);
}

/** True when the quote at `q` is preceded by an odd number of backslashes. */
export function isEscaped(s: string, q: number, from: number): boolean {
  let n = 0;
  for (let k = q - 1; k >= from && s.charCodeAt(k) === BACKSLASH; k--) n++;
  return (n & 1) === 1;
}

// ---------------------------------------------------------------------------------------------------------
// Request line

function isMethodChar(c: number): boolean {
  return (c >= 65 && c <= 90) || c === DASH || c === 95;
}

function methodOf(r: string, a: number, b: number): string {
  switch (b - a) {
    case 3:
      if (r.startsWith('GET', a)) return 'GET';
      if (r.startsWith('PUT', a)) return 'PUT';
      break;
    case 4:
      if (r.startsWith('POST', a)) return 'POST';
      if (r.startsWith('HEAD', a)) return 'HEAD';
      break;
    case 5:
      if (r.startsWith('PATCH', a)) return 'PATCH';
      break;
    case 6:
      if (r.startsWith('DELETE', a)) return 'DELETE';
      break;
    case 7:
      if (r.startsWith('OPTIONS', a)) return 'OPTIONS';
      if (r.startsWith('CONNECT', a)) return 'CONNECT';
      break;
    default: break;
  }
  // an upper-case token: RFC 9110 allows more, but junk such as '-' or '<SCRIPT>' is no method
  const c0 = r.charCodeAt(a);
  if (b - a > 24 || c0 < 65 || c0 > 90) return '';
  for (let k = a + 1; k < b; k++) if (!isMethodChar(r.charCodeAt(k))) return '';
  return r.slice(a, b);
}

function protocolOf(r: string, a: number, b: number): string {
  // the caller checked 'HTTP/'; the common versions come back as constants, without a slice
  if (b - a === 8 && r.charCodeAt(a + 6) === DOT) {
    const major = r.charCodeAt(a + 5), minor = r.charCodeAt(a + 7);
    if (major === 49 && minor === 49) return 'HTTP/1.1';
    if (major === 49 && minor === 48) return 'HTTP/1.0';
    if (major === 50 && minor === 48) return 'HTTP/2.0';
  }
  return r.slice(a, b);
}

/**
 * Splits the request line r[a, b) into method, path (without the query) and protocol. Junk request lines
 * (TLS handshakes on a plain port, "-", "", scanners' garbage) leave all three empty; the record stays.
 */
export function setRequestParts(rec: AccessRecord, r: string, a: number, b: number): void {
  const sp1 = r.indexOf(' ', a);
  if (sp1 <= a || sp1 >= b) {
    rec.method = rec.path = rec.protocol = '';
    return;
  }
  const method = methodOf(r, a, sp1);
  if (method === '') {
    rec.method = rec.path = rec.protocol = '';
    return;
  }
  rec.method = method;
  let targetEnd = b;
  const sp2 = r.lastIndexOf(' ', b - 1);
  if (sp2 > sp1 && r.startsWith('HTTP/', sp2 + 1)) {
    rec.protocol = protocolOf(r, sp2 + 1, b);
    targetEnd = sp2;
  } else {
    rec.protocol = '';
  }
  // bounded by hand: indexOf('?') would run through the rest of the line when the target has no query
  let q = sp1 + 1;
  while (q < targetEnd && r.charCodeAt(q) !== 63) q++;
  rec.path = r.slice(sp1 + 1, q);
}

// ---------------------------------------------------------------------------------------------------------
// Numbers and multi-valued upstream fields

/** Unsigned decimal s[a, b) ('0.123', '60', '.5' is rejected); NaN when it is anything else. */
export function parseDecimal(s: string, a: number, b: number): number {
  if (b <= a) return NaN;
  let n = 0;
  let k = a;
  for (; k < b; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  if (k === a) return NaN;
  if (k === b) return n;
  if (s.charCodeAt(k) !== DOT || k + 1 === b) return NaN;
  let frac = 0;
  let scale = 1;
  for (k++; k < b; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return NaN;
    frac = frac * 10 + c;
    scale *= 10;
  }
  return n + frac / scale;
}

function hasDot(s: string, a: number, b: number): boolean {
  const d = s.indexOf('.', a);
  return d >= 0 && d < b;
}

function isDash(s: string, a: number, b: number): boolean {
  return b - a === 1 && s.charCodeAt(a) === DASH;
}

/**
 * Multi-valued upstream fields: tries separated by ', ', upstream groups by ' : ', flattened into one
 * sequence. itemAt gives the start of the entry at or after `i` in s[i, b) (-1 when none is left), itemStop
 * its end; a lone ':' is the group separator, not an entry.
 */
function itemStop(s: string, i: number, b: number): number {
  let j = i + 1;
  while (j < b) {
    const d = s.charCodeAt(j);
    if (d === SPACE || d === COMMA) break;
    j++;
  }
  return j;
}

function itemAt(s: string, i: number, b: number): number {
  for (;;) {
    let c = s.charCodeAt(i);
    while (i < b && (c === SPACE || c === COMMA)) c = s.charCodeAt(++i);
    if (i >= b) return -1;
    if (c !== COLON || itemStop(s, i, b) !== i + 1) return i;
    i++;
  }
}

/** '0.001, 0.002 : -' → [0.001, 0.002, null]; a lone '-' (no upstream contacted) → undefined. */
export function parseTimeList(s: string, a: number, b: number): (number | null)[] | undefined {
  if (b <= a || isDash(s, a, b)) return undefined;
  if (itemStop(s, a, b) === b) {
    // one try, the common case: no list to build up
    const v = parseDecimal(s, a, b);
    return [Number.isNaN(v) ? null : v];
  }
  const out: (number | null)[] = [];
  for (let i = itemAt(s, a, b); i >= 0; ) {
    const j = itemStop(s, i, b);
    const v = parseDecimal(s, i, j);
    out.push(Number.isNaN(v) ? null : v);
    i = itemAt(s, j, b);
  }
  return out.length > 0 ? out : undefined;
}

/** '502, 200' → [502, 200]; '-' entries → null; a lone '-' → undefined. */
export function parseStatusList(s: string, a: number, b: number): (number | null)[] | undefined {
  if (b <= a || isDash(s, a, b)) return undefined;
  if (b - a === 3) {
    const v = digits(s, a, 3);
    if (v >= 0) return [v];
  }
  const out: (number | null)[] = [];
  for (let i = itemAt(s, a, b); i >= 0; ) {
    const j = itemStop(s, i, b);
    const v = j - i === 3 ? digits(s, i, 3) : -1;
    out.push(v < 0 ? null : v);
    i = itemAt(s, j, b);
  }
  return out.length > 0 ? out : undefined;
}

/** 'unix:/run/php/php8.2-fpm.sock, 127.0.0.1:9000' → two entries; a lone '-' → undefined. */
export function parseAddrList(s: string, a: number, b: number): string[] | undefined {
  if (b <= a || isDash(s, a, b)) return undefined;
  if (itemStop(s, a, b) === b && s.charCodeAt(a) !== COMMA) return [s.slice(a, b)];
  const out: string[] = [];
  for (let i = itemAt(s, a, b); i >= 0; ) {
    const j = itemStop(s, i, b);
    out.push(s.slice(i, j));
    i = itemAt(s, j, b);
  }
  return out.length > 0 ? out : undefined;
}

/** Whether parseTimeList would give a list, without building it (a counted line needs only that). */
function hasTimeList(s: string, a: number, b: number): boolean {
  if (b <= a || isDash(s, a, b)) return false;
  return itemStop(s, a, b) === b || itemAt(s, a, b) >= 0;
}

/** Whether parseAddrList would give a list, without building it. */
function hasAddrList(s: string, a: number, b: number): boolean {
  if (b <= a || isDash(s, a, b)) return false;
  return (itemStop(s, a, b) === b && s.charCodeAt(a) !== COMMA) || itemAt(s, a, b) >= 0;
}

/** Whether parseStatusList would hold a status of 500 or more, without building it. */
function listsServerError(s: string, a: number, b: number): boolean {
  if (b <= a || isDash(s, a, b)) return false;
  if (b - a === 3) {
    const v = digits(s, a, 3);
    if (v >= 0) return v >= 500;
  }
  for (let i = itemAt(s, a, b); i >= 0; ) {
    const j = itemStop(s, i, b);
    if (j - i === 3 && digits(s, i, 3) >= 500) return true;
    i = itemAt(s, j, b);
  }
  return false;
}

/** True when s[a, b) is a list of decimals and '-' (the shape of $upstream_*_time). */
function isTimeList(s: string, a: number, b: number): boolean {
  let any = false;
  for (let i = itemAt(s, a, b); i >= 0; ) {
    const j = itemStop(s, i, b);
    if (!isDash(s, i, j) && Number.isNaN(parseDecimal(s, i, j))) return false;
    any = true;
    i = itemAt(s, j, b);
  }
  return any;
}

function isStatusList(s: string, a: number, b: number): boolean {
  let any = false;
  for (let i = itemAt(s, a, b); i >= 0; ) {
    const j = itemStop(s, i, b);
    if (!isDash(s, i, j) && (j - i !== 3 || digits(s, i, 3) < 0)) return false;
    any = true;
    i = itemAt(s, j, b);
  }
  return any;
}

function allDigits(s: string, a: number, b: number): boolean {
  if (b <= a) return false;
  for (let k = a; k < b; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Keys of key=value tails

const K_REQUEST_TIME = 1;
const K_CONNECT = 2;
const K_HEADER = 3;
const K_RESPONSE = 4;
const K_ADDR = 5;
const K_STATUS = 6;
const K_VHOST = 7;
const K_XFF = 8;

/** Spellings seen in operators' log_format tails, normalised to lower case with '-' → '_'. */
const TAIL_KEYS: ReadonlyMap<string, number> = new Map([
  ['rt', K_REQUEST_TIME], ['request_time', K_REQUEST_TIME], ['req_time', K_REQUEST_TIME],
  ['reqtime', K_REQUEST_TIME], ['requesttime', K_REQUEST_TIME], ['rtime', K_REQUEST_TIME],
  ['uct', K_CONNECT], ['upstream_connect_time', K_CONNECT], ['upstreamconnecttime', K_CONNECT],
  ['uht', K_HEADER], ['upstream_header_time', K_HEADER], ['upstreamheadertime', K_HEADER],
  ['urt', K_RESPONSE], ['upstream_response_time', K_RESPONSE], ['upstreamresponsetime', K_RESPONSE],
  ['upstream_time', K_RESPONSE], ['ups_rt', K_RESPONSE], ['upstream_rt', K_RESPONSE],
  ['ua', K_ADDR], ['upstream_addr', K_ADDR], ['upstream', K_ADDR], ['upstreamaddr', K_ADDR],
  ['upstream_address', K_ADDR], ['ups_addr', K_ADDR], ['upstream_server', K_ADDR],
  ['us', K_STATUS], ['upstream_status', K_STATUS], ['upstreamstatus', K_STATUS], ['ups_status', K_STATUS],
  ['host', K_VHOST], ['vhost', K_VHOST], ['server_name', K_VHOST], ['http_host', K_VHOST],
  ['xff', K_XFF], ['x_forwarded_for', K_XFF], ['http_x_forwarded_for', K_XFF], ['forwarded_for', K_XFF],
]);

function tailKey(s: string, a: number, b: number): number {
  // the short forms most tails use, without a slice
  if (b - a === 2) {
    const c0 = s.charCodeAt(a), c1 = s.charCodeAt(a + 1);
    if (c0 === 114 && c1 === 116) return K_REQUEST_TIME; // rt
    if (c0 === 117 && c1 === 97) return K_ADDR; // ua
    if (c0 === 117 && c1 === 115) return K_STATUS; // us
  } else if (b - a === 3 && s.charCodeAt(a) === 117) {
    const c1 = s.charCodeAt(a + 1), c2 = s.charCodeAt(a + 2);
    if (c2 === 116) {
      if (c1 === 99) return K_CONNECT; // uct
      if (c1 === 104) return K_HEADER; // uht
      if (c1 === 114) return K_RESPONSE; // urt
    }
  }
  return TAIL_KEYS.get(s.slice(a, b).toLowerCase().replaceAll('-', '_')) ?? 0;
}

// ---------------------------------------------------------------------------------------------------------
// The scanner

const TOK_BARE = 0;
const TOK_QUOTED = 1;
const TOK_KV = 2;
const MAX_TOKENS = 32;

/**
 * Apache's lone integer after the referer/UA is %D (microseconds) or %T (whole seconds); nothing in the line
 * says which. A value above 1000 can only be %D (no request runs 17 minutes under a default Timeout of 60 s),
 * and once one is seen the whole input is read as %D. Until then small integers are read as %T seconds: a
 * %T file stays in that mode for ever (its values are 0, 1, 2 …), while a %D file shows a value above 1000
 * within its first few lines.
 */
const MICROS_THRESHOLD = 1000;

/** What {@link AccessLineScanner.tally} found. */
export const Tally = {
  /** not a combined-family access line (scan() would return null) */
  None: 0,
  /** read without a record: time, status, userAgent and upstreamFailed are in the scanner's fields */
  Counted: 1,
  /** a 5xx, or a prefix off the common shape: call build() for the record scan() gives */
  Full: 2,
} as const;
export type Tally = (typeof Tally)[keyof typeof Tally];

/**
 * Scanner state that carries from line to line. A file read in byte ranges by several workers hands it on:
 * a range that read integer durations as seconds before an earlier range switched to %D is read again.
 */
export interface AccessScanState {
  /** Apache's lone integer durations are %D microseconds (see MICROS_THRESHOLD) */
  durationMicros: boolean;
  /** lone integer durations read as seconds while durationMicros was false */
  secondsDurations: number;
}

/** Whether s[a, b) holds 'bot', 'Bot' or 'spider', the part every crawler marker shares (digest isCrawler). */
function mayNameCrawler(s: string, a: number, b: number): boolean {
  let k = s.indexOf('ot', a);
  while (k !== -1 && k < b) {
    const c = s.charCodeAt(k - 1);
    if (k > a && (c === 98 || c === 66)) return true; // 'bot' / 'Bot'
    k = s.indexOf('ot', k + 2);
  }
  const sp = s.indexOf('spider', a);
  return sp !== -1 && sp + 6 <= b;
}

export class AccessLineScanner {
  /** EVIDENCE_* bits of the last successfully scanned line */
  evidence = 0;
  // what tally() read of the last line it counted
  time = NaN;
  status = 0;
  userAgent: string | undefined = undefined;
  /** an upstream try answered 5xx ('502, 200'): a failure the client did not see */
  upstreamFailed = false;
  /** a counted line's tail named a backend ($upstream_addr or $upstream_response_time): its time is busy time */
  private upstreamAsked = false;
  /** request time of a request that went to a backend (it logged upstream fields), NaN otherwise */
  busySeconds = NaN;
  private readonly kind = new Uint8Array(MAX_TOKENS);
  private readonly start = new Int32Array(MAX_TOKENS);
  private readonly end = new Int32Array(MAX_TOKENS);
  private readonly keyStart = new Int32Array(MAX_TOKENS);
  private readonly keyEnd = new Int32Array(MAX_TOKENS);
  private readonly positional = new Int32Array(MAX_TOKENS);
  /** see fieldText: the request's start until build() looks for the first backslash */
  private bs = -1;
  private cachedDay = -1;
  private cachedOffset = 0;
  private dayBase = NaN;
  /** the stamp clfTime read last and its time */
  private stamp = '';
  private stampTime = NaN;
  // where locate() found the parts of the line
  private bytes = 0;
  private headEnd = 0;
  private reqStart = 0;
  private reqEnd = 0;
  private tailStart = 0;
  private locatedEvidence = 0;
  /** reused by tally() to read tails: the tail readers stay the single source of truth without a record per line */
  private readonly scratch: AccessRecord;

  constructor(
    private readonly family: AccessFamily,
    private readonly timeIsStart: boolean,
    private readonly source: string,
    private readonly state: AccessScanState = { durationMicros: false, secondsDurations: 0 },
  ) {
    this.scratch = newAccessRecord(family, timeIsStart, source, 0, '');
  }

  /** One physical line → a record, or null when it is not a combined-family access line. */
  scan(s: string, lineNo: number): AccessRecord | null {
    return this.locate(s) ? this.build(s, lineNo) : null;
  }

  /**
   * The digest's path: reads only what a per-second count needs (time, status, user agent, a failed
   * upstream try) when that is all the digest keeps of the line. Lines it keeps in full (5xx) and
   * prefixes off the common shape answer Full; the caller then calls build() for the record scan() gives.
   * Scanner state that later lines depend on (Apache's %D/%T mode) advances exactly as in scan().
   */
  tally(s: string): Tally {
    if (!this.locate(s)) return Tally.None;
    const status = this.status;
    if (status >= 500 && status <= 599) return Tally.Full;
    // anything but the common head goes through readHead, which may refuse the line
    if (!this.commonHead(s, 0)) return Tally.Full;
    this.userAgent = undefined;
    this.upstreamFailed = false;
    this.upstreamAsked = false;
    this.busySeconds = NaN;
    const p = this.tailStart;
    if (p < s.length) {
      const r = clearTail(this.scratch);
      // key=value fields go to upstreamAsked/upstreamFailed (countKeyValue); positional ones still to r
      this.readTail(r, s, p, true);
      this.userAgent = r.userAgent;
      if (r.requestTime !== undefined && (this.upstreamAsked || r.upstreamAddr !== undefined || r.upstreamResponseTime !== undefined)) {
        this.busySeconds = r.requestTime;
      }
      const us = r.upstreamStatus;
      if (us !== undefined) {
        for (const u of us) {
          if (u !== null && u >= 500) {
            this.upstreamFailed = true;
            break;
          }
        }
      }
    }
    return Tally.Counted;
  }

  /**
   * tally() for the line s[a, e) of a chunk's text, without making it a string, when it is one of the
   * plainest counted lines: the common head, no 5xx, a tail of ' "referer" "user agent"' whose user agent
   * cannot name a crawler, maybe followed by key=value fields (countKeyedTail). True: counted (the fields
   * hold what tally() would). False: nothing was counted; give the line to tally() as a string.
   */
  countPlain(s: string, a: number, e: number): boolean {
    if (!this.locate(s, a, e)) return false;
    const status = this.status;
    if (status >= 500 && status <= 599) return false;
    if (!this.commonHead(s, a)) return false;
    const p = this.tailStart;
    this.upstreamFailed = false;
    this.busySeconds = NaN;
    if (p < e) {
      if (s.charCodeAt(p + 1) !== QUOTE) return false;
      const r = closingQuote(s, p + 2, e);
      if (r + 3 >= e || s.charCodeAt(r + 1) !== SPACE || s.charCodeAt(r + 2) !== QUOTE) return false;
      const u = closingQuote(s, r + 3, e);
      if (u === e) return false;
      // the user agent on its own: a search in the chunk's text would run on past the line
      const ua = s.substring(r + 3, u);
      if (mayNameCrawler(ua, 0, ua.length)) return false;
      if (u !== e - 1 && !this.countKeyedTail(s, u + 1, e)) return false;
    }
    this.userAgent = undefined;
    return true;
  }

  /** Whether the located line starting at `a` has the common head, 'client - user ' with one word for the user. */
  private commonHead(s: string, a: number): boolean {
    const sp = s.indexOf(' ', a);
    return s.charCodeAt(sp + 1) === DASH && s.charCodeAt(sp + 2) === SPACE && s.indexOf(' ', sp + 3) === this.headEnd;
  }

  /**
   * Finds time, request, status and byte count in the line s[a, len); false when it is not a combined-family
   * access line. Positions are in s. (A line inside a chunk's text ends at a LF, a CR or the text's end: the
   * character at `len`, when there is one, is none of those the tests below look for.)
   */
  private locate(s: string, a = 0, len = s.length): boolean {
    if (len - a < 40) return false;
    // the timestamp is the anchor: '[' + 26 chars + ']'
    let b = s.indexOf('[', a);
    let time = NaN;
    for (let tries = 0; b > a && b + 27 < len && tries < 4; tries++) {
      if (s.charCodeAt(b + 27) === RBRACKET) {
        time = this.clfTime(s, b + 1);
        if (!Number.isNaN(time)) break;
      }
      b = s.indexOf('[', b + 1);
    }
    if (b <= a || Number.isNaN(time) || s.charCodeAt(b - 1) !== SPACE) return false;
    let p = b + 28;
    if (s.charCodeAt(p) !== SPACE || s.charCodeAt(p + 1) !== QUOTE) return false;
    const reqStart = p + 2;
    // not looked for: a line without a record needs it at most in a crawler's user agent (fieldText)
    this.bs = reqStart;

    // The request ends at the quote followed by ' DDD' (a status); a raw quote inside (escape=none) or an
    // escaped one (Apache \") is skipped.
    let q = s.indexOf('"', reqStart);
    if (q >= len) q = -1;
    while (q >= 0) {
      if (
        s.charCodeAt(q + 1) === SPACE && digits(s, q + 2, 3) >= 0 &&
        (q + 5 === len || s.charCodeAt(q + 5) === SPACE) && !isEscaped(s, q, reqStart)
      ) break;
      q = s.indexOf('"', q + 1);
      if (q >= len) q = -1;
    }
    if (q < 0) return false;
    const status = digits(s, q + 2, 3);
    p = q + 5;
    if (p >= len - 1) return false; // no byte count
    p++;
    let bytes = 0;
    let evidence = 0;
    if (s.charCodeAt(p) === DASH) {
      // nginx's $body_bytes_sent is always a number; Apache %b writes '-' for zero
      evidence |= EVIDENCE_APACHE;
      p++;
    } else {
      const from = p;
      for (; p < len; p++) {
        const c = s.charCodeAt(p) - 48;
        if (c < 0 || c > 9) break;
        bytes = bytes * 10 + c;
      }
      if (p === from) return false;
    }
    if (p < len && s.charCodeAt(p) !== SPACE) return false;
    this.time = time;
    this.status = status;
    this.bytes = bytes;
    this.headEnd = b - 1;
    this.reqStart = reqStart;
    this.reqEnd = q;
    this.tailStart = p;
    this.locatedEvidence = evidence;
    return true;
  }

  /** The record of the line the last locate()/tally() call accepted; null when its prefix is not an access head. */
  build(s: string, lineNo: number): AccessRecord | null {
    const rec = newAccessRecord(this.family, this.timeIsStart, this.source, lineNo, s);
    rec.time = this.time;
    rec.status = this.status;
    rec.bytes = this.bytes;
    const head = this.readHead(rec, s, this.headEnd);
    if (head < 0) return null;
    let evidence = this.locatedEvidence | head;
    const reqStart = this.reqStart, q = this.reqEnd;
    const bs = s.indexOf('\\', reqStart);
    this.bs = bs;
    if (bs >= 0 && bs < q) {
      const r = unescapeLogText(s, reqStart, q);
      rec.request = r;
      setRequestParts(rec, r, 0, r.length);
    } else {
      rec.request = s.slice(reqStart, q);
      setRequestParts(rec, s, reqStart, q);
    }
    if (this.tailStart < s.length) evidence |= this.readTail(rec, s, this.tailStart);
    this.evidence = evidence;
    return rec;
  }

  /**
   * parseClfTime of the 26 characters at `i`. Consecutive lines mostly repeat the stamp (a dozen lines a
   * second is a quiet site), and one string comparison costs a third of reading the fields one character
   * at a time.
   */
  private clfTime(s: string, i: number): number {
    const stamp = s.substring(i, i + CLF_STAMP);
    if (stamp === this.stamp) return this.stampTime;
    const t = this.readClfTime(s, i);
    // a copy: a slice would keep the line's whole chunk alive (input/lines.ts)
    this.stamp = ownString(stamp);
    this.stampTime = t;
    return t;
  }

  /**
   * parseClfTime with the day remembered: consecutive lines share the date and the offset, so Date.UTC (a
   * sixth of the whole scan when called per line) only runs when the day changes.
   */
  private readClfTime(s: string, i: number): number {
    const d = digits(s, i, 2);
    const mo = monthAt(s, i + 3);
    const y = digits(s, i + 7, 4);
    const h = digits(s, i + 12, 2);
    const mi = digits(s, i + 15, 2);
    const sec = digits(s, i + 18, 2);
    const sign = s.charCodeAt(i + 21);
    const oh = digits(s, i + 22, 2);
    const om = digits(s, i + 24, 2);
    if (
      d < 1 || d > 31 || mo === 0 || y < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 ||
      oh < 0 || om < 0 || (sign !== 43 && sign !== DASH)
    ) return NaN;
    const off = sign === DASH ? -(oh * 60 + om) : oh * 60 + om;
    const day = (y * 16 + mo) * 32 + d;
    if (day !== this.cachedDay || off !== this.cachedOffset) {
      this.cachedDay = day;
      this.cachedOffset = off;
      this.dayBase = Date.UTC(y, mo - 1, d) - off * 60_000;
    }
    return this.dayBase + (h * 3600 + mi * 60 + sec) * 1000;
  }

  /** Everything before ' [time]': [vhost[:port]] [xff list] client ident user. -1 when it is something else. */
  private readHead(rec: AccessRecord, s: string, e: number): number {
    // e is the space before '['. The common shape first: 'client - user ' with one word for the user.
    const sp = s.indexOf(' ');
    if (s.charCodeAt(sp + 1) === DASH && s.charCodeAt(sp + 2) === SPACE && s.indexOf(' ', sp + 3) === e) {
      rec.client = s.slice(0, sp);
      return 0;
    }
    // runs of spaces happen ('%h %l  %u' with an empty field), so each step back skips them
    const userEnd = skipSpacesBack(s, e);
    const userStart = s.lastIndexOf(' ', userEnd - 1) + 1;
    if (userStart === 0) {
      rec.client = s.slice(0, userEnd);
      return 0;
    }
    const identEnd = skipSpacesBack(s, userStart - 1);
    const identStart = s.lastIndexOf(' ', identEnd - 1) + 1;
    if (identStart === 0) {
      rec.client = s.slice(0, identEnd);
      return 0;
    }
    const headEnd = skipSpacesBack(s, identStart - 1);
    if (sp === headEnd) {
      rec.client = s.slice(0, headEnd);
      return 0;
    }
    return readHeadGroups(rec, s, headEnd);
  }

  /** The tail s[p, len) as tokens (kind, start, end, key span); at most MAX_TOKENS. */
  private tokenize(s: string, p: number, len = s.length): number {
    let n = 0;
    while (p < len && n < MAX_TOKENS) {
      let c = s.charCodeAt(p);
      while (c === SPACE && p < len) c = s.charCodeAt(++p);
      if (p >= len) break;
      if (c === QUOTE) {
        const a = p + 1;
        const z = closingQuote(s, a, len);
        this.kind[n] = TOK_QUOTED;
        this.start[n] = a;
        this.end[n] = z;
        n++;
        p = z + 1;
        continue;
      }
      // key=value?
      let k = p;
      for (; k < len; k++) {
        const kc = s.charCodeAt(k);
        if (!((kc >= 97 && kc <= 122) || (kc >= 65 && kc <= 90) || (kc >= 48 && kc <= 57) || kc === 95 || kc === DASH)) break;
      }
      if (k > p && k < len && s.charCodeAt(k) === EQUALS) {
        this.kind[n] = TOK_KV;
        this.keyStart[n] = p;
        this.keyEnd[n] = k;
        const v = k + 1;
        if (s.charCodeAt(v) === QUOTE) {
          const z = closingQuote(s, v + 1, len);
          this.start[n] = v + 1;
          this.end[n] = z;
          p = z + 1;
        } else {
          const z = bareEnd(s, v, len);
          this.start[n] = v;
          this.end[n] = z;
          p = z;
        }
        n++;
        continue;
      }
      const z = bareEnd(s, p, len);
      this.kind[n] = TOK_BARE;
      this.start[n] = p;
      this.end[n] = z;
      n++;
      p = z;
    }
    return n;
  }

  /**
   * `counting`: only what a per-second count needs. The referer is skipped and the user agent is made a
   * string only when it may name a crawler (every crawler marker holds 'bot', 'Bot' or 'spider'): two
   * strings per ordinary line were a good part of the garbage.
   */
  private readTail(rec: AccessRecord, s: string, p: number, counting = false): number {
    const n = this.tokenize(s, p);
    const kind = this.kind, start = this.start, end = this.end;
    let evidence = 0;
    let i = 0;
    // bare numbers between the byte count and the referer: Apache's '%b %D "%{Referer}i"', nginx '... $request_time "$http_referer"'
    while (i < n && kind[i] === TOK_BARE) i++;
    if (i > 0) evidence |= this.readDuration(rec, s, start[0] ?? 0, end[0] ?? 0, i === 1);
    if (i < n && kind[i] === TOK_QUOTED) {
      if (!counting) rec.referer = fieldText(s, start[i] ?? 0, end[i] ?? 0, this.bs);
      i++;
      if (i < n && kind[i] === TOK_QUOTED) {
        const a = start[i] ?? 0, b = end[i] ?? 0;
        if (!counting || mayNameCrawler(s, a, b)) rec.userAgent = fieldText(s, a, b, this.bs);
        i++;
      }
    }
    let np = 0;
    for (; i < n; i++) {
      if (kind[i] !== TOK_KV) this.positional[np++] = i;
      else if (counting) this.countKeyValue(rec, s, i);
      else evidence |= this.readKeyValue(rec, s, i);
    }
    if (np > 0) evidence |= this.readPositional(rec, s, np);
    return evidence;
  }

  /**
   * After the user agent, a tail of key=value fields only (nginx's timing fields: rt=, urt=, ua=, us=…), read
   * in place as tally() reads them; false (nothing counted) for any other tail. Sets upstreamFailed and
   * busySeconds.
   */
  private countKeyedTail(s: string, p: number, e: number): boolean {
    if (s.charCodeAt(p) !== SPACE) return false;
    const n = this.tokenize(s, p, e);
    // tally() reads the referer and the agent as two of its MAX_TOKENS: a tail that long is left to it
    if (n > MAX_TOKENS - 3) return false;
    const kind = this.kind;
    for (let t = 0; t < n; t++) if (kind[t] !== TOK_KV) return false;
    const r = clearTail(this.scratch);
    this.upstreamFailed = false;
    this.upstreamAsked = false;
    for (let t = 0; t < n; t++) this.countKeyValue(r, s, t);
    this.busySeconds = r.requestTime !== undefined && this.upstreamAsked ? r.requestTime : NaN;
    return true;
  }

  /**
   * readKeyValue for a counted line: only what a per-second count takes (the request time, whether a
   * backend was asked, whether a try failed), into rec.requestTime and the scanner's fields, with no list
   * built: on logs with upstream timings the lists were a third of the reading.
   */
  private countKeyValue(rec: AccessRecord, s: string, t: number): void {
    const a = this.start[t] ?? 0, b = this.end[t] ?? 0;
    switch (tailKey(s, this.keyStart[t] ?? 0, this.keyEnd[t] ?? 0)) {
      case K_REQUEST_TIME: {
        const v = parseDecimal(s, a, b);
        if (!Number.isNaN(v)) rec.requestTime = v;
        return;
      }
      case K_RESPONSE:
        if (hasTimeList(s, a, b)) this.upstreamAsked = true;
        return;
      case K_STATUS:
        if (listsServerError(s, a, b)) this.upstreamFailed = true;
        return;
      case K_ADDR:
        // a user agent spelled ua="Mozilla/5.0 (…; …)" is no address (readKeyValue)
        for (let k = a; k < b; k++) {
          const c = s.charCodeAt(k);
          if (c === 40 || c === 59) return;
        }
        if (hasAddrList(s, a, b)) this.upstreamAsked = true;
        return;
      default:
        return;
    }
  }

  private readKeyValue(rec: AccessRecord, s: string, t: number): number {
    const a = this.start[t] ?? 0, b = this.end[t] ?? 0;
    switch (tailKey(s, this.keyStart[t] ?? 0, this.keyEnd[t] ?? 0)) {
      case K_REQUEST_TIME: {
        const v = parseDecimal(s, a, b);
        if (!Number.isNaN(v)) rec.requestTime = v;
        return EVIDENCE_NGINX;
      }
      case K_CONNECT: rec.upstreamConnectTime = parseTimeList(s, a, b); return EVIDENCE_NGINX;
      case K_HEADER: rec.upstreamHeaderTime = parseTimeList(s, a, b); return EVIDENCE_NGINX;
      case K_RESPONSE: rec.upstreamResponseTime = parseTimeList(s, a, b); return EVIDENCE_NGINX;
      case K_STATUS: rec.upstreamStatus = parseStatusList(s, a, b); return EVIDENCE_NGINX;
      case K_ADDR: {
        // some formats spell the user agent ua="Mozilla/5.0 (…; …)"; an address has neither '(' nor ';'
        for (let k = a; k < b; k++) {
          const c = s.charCodeAt(k);
          if (c === 40 || c === 59) return 0;
        }
        rec.upstreamAddr = parseAddrList(s, a, b);
        return EVIDENCE_NGINX;
      }
      case K_VHOST:
        if (b > a && !isDash(s, a, b)) rec.vhost = s.slice(a, b);
        return 0;
      case K_XFF:
        if (b > a && !isDash(s, a, b)) rec.xForwardedFor = fieldText(s, a, b, this.bs);
        return 0;
      default:
        return 0;
    }
  }

  /** Tokens after the user agent that are not key=value, by position. */
  private readPositional(rec: AccessRecord, s: string, np: number): number {
    const pos = this.positional, kind = this.kind, start = this.start, end = this.end;
    const at = (k: number): number => pos[k] ?? 0;
    const a = (k: number): number => start[at(k)] ?? 0;
    const z = (k: number): number => end[at(k)] ?? 0;

    // ingress-nginx upstreaminfo: $request_length $request_time [$proxy_upstream_name]
    // [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time
    // $upstream_status $req_id
    if (np >= 8 && s.charCodeAt(a(2)) === LBRACKET && s.charCodeAt(a(3)) === LBRACKET && s.charCodeAt(z(3) - 1) === RBRACKET) {
      const rt = parseDecimal(s, a(1), z(1));
      if (!Number.isNaN(rt)) rec.requestTime = rt;
      rec.upstreamAddr = parseAddrList(s, a(4), z(4));
      rec.upstreamResponseTime = parseTimeList(s, a(6), z(6));
      rec.upstreamStatus = parseStatusList(s, a(7), z(7));
      return EVIDENCE_NGINX;
    }

    let k = 0;
    let evidence = 0;
    // nginx `main`: "$http_x_forwarded_for"
    if (kind[at(0)] === TOK_QUOTED && Number.isNaN(parseDecimal(s, a(0), z(0)))) {
      if (z(0) > a(0) && !isDash(s, a(0), z(0))) rec.xForwardedFor = fieldText(s, a(0), z(0), this.bs);
      k = 1;
    }
    if (k >= np) return evidence;
    // $request_time [$upstream_response_time ["$upstream_addr" [$upstream_status]]]
    if (hasDot(s, a(k), z(k))) {
      const rt = parseDecimal(s, a(k), z(k));
      if (Number.isNaN(rt)) return evidence;
      rec.requestTime = rt;
      evidence |= EVIDENCE_NGINX;
      k++;
      if (k < np && isTimeList(s, a(k), z(k))) {
        rec.upstreamResponseTime = parseTimeList(s, a(k), z(k));
        k++;
        if (k < np && !isTimeList(s, a(k), z(k)) && !isStatusList(s, a(k), z(k))) {
          rec.upstreamAddr = parseAddrList(s, a(k), z(k));
          k++;
        }
        if (k < np && isStatusList(s, a(k), z(k))) rec.upstreamStatus = parseStatusList(s, a(k), z(k));
      }
      return evidence;
    }
    if (k === np - 1) evidence |= this.readDuration(rec, s, a(k), z(k), true);
    return evidence;
  }

  /** A lone duration token: nginx's '0.123' seconds, Apache %D/%T (see MICROS_THRESHOLD), or '%T/%D'. */
  private readDuration(rec: AccessRecord, s: string, a: number, b: number, alone: boolean): number {
    if (hasDot(s, a, b)) {
      const v = parseDecimal(s, a, b);
      if (Number.isNaN(v)) return 0;
      rec.requestTime = v;
      return EVIDENCE_NGINX;
    }
    // two integers are Apache's combinedio '%I %O', not a duration
    if (!alone) return 0;
    const slash = s.indexOf('/', a);
    if (slash > a && slash < b - 1 && allDigits(s, a, slash) && allDigits(s, slash + 1, b)) {
      rec.requestTime = parseDecimal(s, slash + 1, b) / 1e6;
      return EVIDENCE_APACHE;
    }
    if (!allDigits(s, a, b) || b - a > 15) return 0;
    const v = parseDecimal(s, a, b);
    const state = this.state;
    if (v > MICROS_THRESHOLD) state.durationMicros = true;
    if (state.durationMicros) {
      rec.requestTime = v / 1e6;
    } else {
      rec.requestTime = v;
      state.secondsDurations++;
    }
    return EVIDENCE_APACHE;
  }
}

/** The record with every field readTail may set back to unset. */
function clearTail(r: AccessRecord): AccessRecord {
  r.referer = r.userAgent = r.vhost = r.xForwardedFor = r.host = undefined;
  r.requestTime = undefined;
  r.upstreamAddr = r.upstreamStatus = r.upstreamConnectTime = r.upstreamHeaderTime = r.upstreamResponseTime = undefined;
  return r;
}

/** Start of the run of spaces that ends just before `i` (so s[result, i) are all spaces). */
function skipSpacesBack(s: string, i: number): number {
  while (i > 0 && s.charCodeAt(i - 1) === SPACE) i--;
  return i;
}

/**
 * Index of the quote closing a field that starts at `a`: unescaped and followed by a space or the end of the
 * line, which ends at `len`.
 */
function closingQuote(s: string, a: number, len = s.length): number {
  let q = s.indexOf('"', a);
  while (q >= 0 && q < len) {
    const next = s.charCodeAt(q + 1);
    if ((q + 1 === len || next === SPACE) && !isEscaped(s, q, a)) return q;
    q = s.indexOf('"', q + 1);
  }
  // a line cut short: the field runs to the end
  return len;
}

/** End of a bare token from `p`, reading multi-valued upstream lists ('a, b : c') as one token. */
function bareEnd(s: string, p: number, len = s.length): number {
  let z = s.indexOf(' ', p);
  while (z >= 0 && z < len) {
    if (s.charCodeAt(z - 1) === COMMA && z + 1 < len) {
      z = s.indexOf(' ', z + 1);
      continue;
    }
    if (s.charCodeAt(z + 1) === COLON && s.charCodeAt(z + 2) === SPACE && z + 3 < len) {
      z = s.indexOf(' ', z + 3);
      continue;
    }
    return z;
  }
  return len;
}

/**
 * The slow path for prefixes with spaces before ident/user: groups are space-separated, a group continues
 * after a trailing ',' and runs to the closing quote when it opens with one. One group is the client; two
 * are vhost and client; more are vhost, an X-Forwarded-For list and the client. A client written as a list
 * ('10.0.0.2, 10.0.0.1, 127.0.0.1', realip setups) keeps its last entry as the client and the list as XFF.
 */
function readHeadGroups(rec: AccessRecord, s: string, headEnd: number): number {
  const groups: string[] = [];
  let i = 0;
  while (i < headEnd) {
    while (i < headEnd && s.charCodeAt(i) === SPACE) i++;
    if (i >= headEnd) break;
    let j: number;
    if (s.charCodeAt(i) === QUOTE) {
      const q = s.indexOf('"', i + 1);
      j = q < 0 || q >= headEnd ? headEnd : q + 1;
      groups.push(s.slice(i + 1, j - (q < 0 || q >= headEnd ? 0 : 1)));
    } else {
      j = i;
      for (;;) {
        const sp = s.indexOf(' ', j);
        if (sp < 0 || sp >= headEnd) {
          j = headEnd;
          break;
        }
        j = sp;
        if (s.charCodeAt(sp - 1) !== COMMA) break;
        j = sp + 1;
      }
      groups.push(s.slice(i, j));
    }
    i = j;
  }
  let evidence = 0;
  if (groups.length > 3) {
    // More than vhost, XFF and client: a syslog header ('Jul  8 11:07:07 web1 nginx[2869]: 203.0.113.5 - - [')
    // when a tag ending in ':' precedes the real head. Such stray lines in an access log are read (the
    // hostname becomes `host`); anything else is some other prefix and is refused.
    let tag = -1;
    for (let g = groups.length - 2; g >= 1; g--) {
      if ((groups[g] ?? '').endsWith(':')) {
        tag = g;
        break;
      }
    }
    if (tag < 0 || groups.length - tag - 1 > 3) return -1;
    rec.host = groups[tag - 1];
    groups.splice(0, tag + 1);
    evidence |= EVIDENCE_WRAPPED;
  }
  let client = groups[groups.length - 1] ?? '';
  if (groups.length >= 2) {
    rec.vhost = stripPort(groups[0] ?? '');
    evidence |= EVIDENCE_APACHE;
  }
  if (groups.length >= 3) rec.xForwardedFor = groups.slice(1, -1).join(' ');
  const comma = client.lastIndexOf(',');
  if (comma >= 0) {
    rec.xForwardedFor ??= client;
    client = client.slice(comma + 1).trim();
  }
  rec.client = client;
  return evidence;
}

/** 'example.com:443' → 'example.com' (Apache vhost_combined's %v:%p); IPv6 literals are left alone. */
function stripPort(v: string): string {
  const c = v.lastIndexOf(':');
  if (c <= 0 || v.indexOf(':') !== c || !allDigits(v, c + 1, v.length)) return v;
  return v.slice(0, c);
}
