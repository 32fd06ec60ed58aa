// Compiles a user's nginx `log_format`, Apache `LogFormat` or PHP-FPM `access.format` string once into a
// line parser producing AccessRecord. The literal text between fields drives the scan: a field ends where
// the next literal starts, a field between quotes ends at the closing (unescaped) quote, fixed-width stamps
// are taken by length, and multi-valued upstream fields step over their ', ' and ' : ' separators.
// Variables logsleuth does not use are skipped, not rejected: real formats are full of them.
import { digits, parseClfTime, parseIsoTime } from '../time/stamps.js';
import {
  type AccessFamily,
  fieldText,
  isEscaped,
  newAccessRecord,
  parseAddrList,
  parseDecimal,
  parseStatusList,
  parseTimeList,
  setRequestParts,
} from './access-line.js';
import type { AccessRecord } from './types.js';

export interface AccessFormatOptions {
  family: AccessFamily;
  /** display path copied into origins */
  source: string;
  /** zone for zone-less stamps (%{%Y-%m-%d %H:%M:%S}t) */
  tz: string;
  /** built-in formats that log no status (mod_ssl's ssl_request_log); users' formats must have one */
  statusOptional?: boolean;
}

export interface CompiledAccessFormat {
  /** whether the stamp the format logs is when the request started (Apache %t) or ended (nginx) */
  readonly timeIsStart: boolean;
  /** names of the fields logsleuth reads, in format order (for --explain style messages and tests) */
  readonly fields: readonly string[];
  parse(line: string, lineNo: number): AccessRecord | null;
}

// What a field is read into.
const F_SKIP = 0;
const F_CLIENT = 1;
const F_TIME_LOCAL = 2; // 12/Jan/2026:10:00:01 +0100
const F_TIME_BRACKETED = 3; // [12/Jan/2026:10:00:01 +0100]
const F_TIME_ISO = 4;
const F_TIME_MSEC = 5; // 1768208401.123
const F_TIME_SEC = 6;
const F_TIME_MS = 7;
const F_TIME_US = 8;
const F_REQUEST = 9;
const F_METHOD = 10;
const F_URI = 11; // path with query
const F_PATH = 12;
const F_QUERY = 13;
const F_QMARK = 14; // nginx $is_args, FPM %Q
const F_PROTOCOL = 15;
const F_STATUS = 16;
const F_BYTES = 17;
const F_BYTES_ALT = 18; // $bytes_sent / %O: used when the format has no body byte count
const F_REFERER = 19;
const F_UA = 20;
const F_XFF = 21;
const F_VHOST = 22;
const F_VHOST_ALT = 23; // the Host header: used when the format has no server name
const F_RT_S = 24;
const F_RT_MS = 25;
const F_RT_US = 26;
const F_UP_ADDR = 27;
const F_UP_STATUS = 28;
const F_UP_CONNECT = 29;
const F_UP_HEADER = 30;
const F_UP_RESPONSE = 31;

/** Fields whose value may hold spaces (read up to the next literal, never up to the next space). */
function isText(k: number): boolean {
  return k === F_REQUEST || k === F_REFERER || k === F_UA || k === F_SKIP || k === F_TIME_ISO || k === F_XFF;
}

function isList(k: number): boolean {
  return k === F_UP_ADDR || k === F_UP_STATUS || k === F_UP_CONNECT || k === F_UP_HEADER || k === F_UP_RESPONSE || k === F_XFF;
}

function fixedWidth(k: number): number {
  if (k === F_TIME_LOCAL) return 26;
  if (k === F_TIME_BRACKETED) return 28;
  return 0;
}

interface Field {
  kind: number;
  /** as written in the format, for error messages */
  name: string;
}

type Item = { lit: string } | Field;

// Scan modes.
const M_FIXED = 0;
const M_QUOTED = 1;
const M_LIST = 2;
const M_PLAIN = 3;
const M_REST = 4; // last field, text: to the end of the line
const M_TOKEN = 5; // last field, one word: to the next space or the end

type Dialect = 'nginx' | 'apache' | 'fpm';

const DIALECT_NAME: Record<Dialect, string> = {
  nginx: 'nginx log_format',
  apache: 'Apache LogFormat',
  fpm: 'PHP-FPM access.format',
};

// ---------------------------------------------------------------------------------------------------------
// nginx

const NGINX_VARS: ReadonlyMap<string, number> = new Map([
  ['remote_addr', F_CLIENT], ['realip_remote_addr', F_CLIENT],
  ['time_local', F_TIME_LOCAL], ['time_iso8601', F_TIME_ISO], ['msec', F_TIME_MSEC],
  ['request', F_REQUEST], ['request_method', F_METHOD], ['request_uri', F_URI], ['uri', F_PATH],
  ['document_uri', F_PATH], ['args', F_QUERY], ['query_string', F_QUERY], ['is_args', F_QMARK],
  ['server_protocol', F_PROTOCOL],
  ['status', F_STATUS], ['body_bytes_sent', F_BYTES], ['bytes_sent', F_BYTES_ALT],
  ['http_referer', F_REFERER], ['http_user_agent', F_UA],
  ['http_x_forwarded_for', F_XFF], ['proxy_add_x_forwarded_for', F_XFF],
  ['host', F_VHOST], ['server_name', F_VHOST], ['http_host', F_VHOST_ALT],
  ['request_time', F_RT_S],
  ['upstream_addr', F_UP_ADDR], ['upstream_status', F_UP_STATUS],
  ['upstream_connect_time', F_UP_CONNECT], ['upstream_header_time', F_UP_HEADER],
  ['upstream_response_time', F_UP_RESPONSE],
]);

function isVarChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Reads a config-file string argument starting at the quote at `i`; returns its text and the index after it. */
function readConfigString(t: string, i: number): { text: string; end: number } {
  const quote = t[i];
  let out = '';
  let k = i + 1;
  while (k < t.length && t[k] !== quote) {
    if (t[k] === '\\' && k + 1 < t.length) {
      const e = t[k + 1];
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === quote || e === '\\' ? e : '\\' + e;
      k += 2;
      continue;
    }
    out += t[k];
    k++;
  }
  return { text: out, end: k + 1 };
}

/**
 * Accepts the format the way users paste it: the bare format, the format in quotes, one or several quoted
 * pieces, or the whole `log_format name [escape=…] '…' '…';` directive.
 */
function nginxFormatText(input: string): string {
  let t = input.trim();
  if (t.startsWith('log_format') && /^log_format\s/.test(t)) {
    t = t.slice(10).trim();
    if (t[0] !== "'" && t[0] !== '"') {
      const sp = t.search(/\s/);
      t = sp < 0 ? '' : t.slice(sp).trim(); // the format's name
    }
    while (t.startsWith('escape=') || t.startsWith('if=')) {
      const sp = t.search(/\s/);
      t = sp < 0 ? '' : t.slice(sp).trim();
    }
  }
  if (t[0] !== "'" && t[0] !== '"') return t.endsWith(';') && input.trim().startsWith('log_format') ? t.slice(0, -1) : t;
  let out = '';
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === "'" || c === '"') {
      const r = readConfigString(t, i);
      out += r.text;
      i = r.end;
    } else if (c === ';' || c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else {
      throw new Error(`${DIALECT_NAME.nginx}: unexpected '${c}' between quoted parts at column ${i + 1}`);
    }
  }
  return out;
}

function parseNginx(format: string): { items: Item[]; timeIsStart: boolean } {
  const items: Item[] = [];
  let lit = '';
  let i = 0;
  const f = format;
  while (i < f.length) {
    const c = f.charCodeAt(i);
    if (c !== 36 /* $ */) {
      lit += f[i];
      i++;
      continue;
    }
    let name: string;
    if (f[i + 1] === '{') {
      const close = f.indexOf('}', i + 2);
      if (close < 0) throw new Error(`${DIALECT_NAME.nginx}: unclosed \${ at column ${i + 1}`);
      name = f.slice(i + 2, close);
      if (name === '' || ![...name].every((ch) => isVarChar(ch.charCodeAt(0)))) {
        throw new Error(`${DIALECT_NAME.nginx}: invalid variable name '\${${name}}' at column ${i + 1}`);
      }
      i = close + 1;
    } else {
      let k = i + 1;
      while (k < f.length && isVarChar(f.charCodeAt(k))) k++;
      if (k === i + 1) throw new Error(`${DIALECT_NAME.nginx}: '$' at column ${i + 1} is not followed by a variable name`);
      name = f.slice(i + 1, k);
      i = k;
    }
    if (lit !== '') items.push({ lit });
    lit = '';
    items.push({ kind: NGINX_VARS.get(name) ?? F_SKIP, name: '$' + name });
  }
  if (lit !== '') items.push({ lit });
  return { items, timeIsStart: false };
}

// ---------------------------------------------------------------------------------------------------------
// Apache and PHP-FPM

// x and c are mod_ssl's %{SSL_PROTOCOL}x / %{…}c (its ssl_request_log uses them)
const APACHE_LETTERS = 'aAbBcCDefhHiIklLmnoOpPqrRsStTuUvVxX';

/** Accepts the bare format, the format in double quotes, or the `LogFormat "…" nick` / `CustomLog path "…"` line. */
function apacheFormatText(input: string): string {
  const t = input.trim();
  const directive = /^(LogFormat|CustomLog)\s/i.exec(t);
  if (directive) {
    const args: string[] = [];
    let i = 0;
    while (i < t.length) {
      while (i < t.length && (t[i] === ' ' || t[i] === '\t')) i++;
      if (i >= t.length) break;
      if (t[i] === '"') {
        const r = readConfigString(t, i);
        args.push(r.text);
        i = r.end;
      } else {
        let k = i;
        while (k < t.length && t[k] !== ' ' && t[k] !== '\t') k++;
        args.push(t.slice(i, k));
        i = k;
      }
    }
    const isLogFormat = (directive[1] ?? '').toLowerCase() === 'logformat';
    const fmt = isLogFormat ? args[1] : args[2];
    if (fmt === undefined) throw new Error(`${DIALECT_NAME.apache}: no format string in '${t.slice(0, 60)}'`);
    return fmt;
  }
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"') && !isEscaped(t, t.length - 1, 1)) {
    return readConfigString(t, 0).text;
  }
  // pasted from a config file without the outer quotes: \" is a quote
  return t.replaceAll('\\"', '"');
}

function apacheField(letter: string, arg: string | undefined, col: number): { kind: number; end?: boolean } {
  switch (letter) {
    case 'h': case 'a': return { kind: arg === undefined || arg === 'c' ? F_CLIENT : F_SKIP };
    case 't': return apacheTime(arg, col);
    case 'r': return { kind: F_REQUEST };
    case 'm': return { kind: F_METHOD };
    case 'U': return { kind: F_PATH };
    case 'q': return { kind: F_QUERY };
    case 'H': return { kind: F_PROTOCOL };
    case 's': return { kind: F_STATUS };
    case 'b': case 'B': return { kind: F_BYTES };
    case 'O': return { kind: F_BYTES_ALT };
    case 'v': case 'V': return { kind: F_VHOST };
    case 'D': return { kind: F_RT_US };
    case 'T':
      if (arg === undefined || arg === 's') return { kind: F_RT_S };
      if (arg === 'ms') return { kind: F_RT_MS };
      if (arg === 'us') return { kind: F_RT_US };
      throw new Error(`${DIALECT_NAME.apache}: unknown unit '%{${arg}}T' at column ${col} (s, ms or us)`);
    case 'i': {
      const h = (arg ?? '').toLowerCase();
      if (h === 'referer' || h === 'referrer') return { kind: F_REFERER };
      if (h === 'user-agent') return { kind: F_UA };
      if (h === 'x-forwarded-for') return { kind: F_XFF };
      if (h === 'host') return { kind: F_VHOST_ALT };
      return { kind: F_SKIP };
    }
    default:
      return { kind: F_SKIP };
  }
}

function strftimeKind(fmt: string): number {
  if (fmt === '%d/%b/%Y:%H:%M:%S %z') return F_TIME_LOCAL;
  if (fmt === '[%d/%b/%Y:%H:%M:%S %z]') return F_TIME_BRACKETED;
  if (fmt.startsWith('%Y-%m-%dT%H:%M:%S') || fmt.startsWith('%Y-%m-%d %H:%M:%S') || fmt.startsWith('%FT%T') || fmt.startsWith('%F %T')) {
    return F_TIME_ISO;
  }
  // other strftime layouts are skipped: the record keeps NaN rather than a misread time
  return F_SKIP;
}

function apacheTime(arg: string | undefined, _col: number): { kind: number; end?: boolean } {
  if (arg === undefined) return { kind: F_TIME_BRACKETED };
  let a = arg;
  let end = false;
  if (a.startsWith('begin:')) a = a.slice(6);
  else if (a.startsWith('end:')) {
    a = a.slice(4);
    end = true;
  }
  switch (a) {
    case 'sec': return { kind: F_TIME_SEC, end };
    case 'msec': return { kind: F_TIME_MS, end };
    case 'usec': return { kind: F_TIME_US, end };
    case 'msec_frac': case 'usec_frac': return { kind: F_SKIP };
    default: return { kind: strftimeKind(a), end };
  }
}

function fpmField(letter: string, arg: string | undefined, col: number): { kind: number; end?: boolean } {
  switch (letter) {
    case 'R': return { kind: F_CLIENT };
    case 't': case 'T': {
      const kind = arg === undefined ? F_TIME_LOCAL : strftimeKind(arg);
      return { kind, end: letter === 'T' };
    }
    case 'm': return { kind: F_METHOD };
    case 'r': return { kind: F_PATH };
    case 'q': return { kind: F_QUERY };
    case 'Q': return { kind: F_QMARK };
    case 's': return { kind: F_STATUS };
    case 'd':
      if (arg === undefined || arg === 'seconds') return { kind: F_RT_S };
      if (arg === 'mili' || arg === 'milli' || arg === 'miliseconds' || arg === 'milliseconds') return { kind: F_RT_MS };
      if (arg === 'micro' || arg === 'microseconds') return { kind: F_RT_US };
      throw new Error(`${DIALECT_NAME.fpm}: unknown unit '%{${arg}}d' at column ${col}`);
    case 'C': case 'e': case 'f': case 'l': case 'M': case 'n': case 'o': case 'p': case 'P': case 'u':
      return { kind: F_SKIP };
    default:
      throw new Error(`${DIALECT_NAME.fpm}: unknown directive '%${letter}' at column ${col}`);
  }
}

function parsePercent(format: string, dialect: 'apache' | 'fpm'): { items: Item[]; timeIsStart: boolean } {
  const name = DIALECT_NAME[dialect];
  const items: Item[] = [];
  let lit = '';
  let timeIsStart = true;
  let sawStart = false;
  let sawEnd = false;
  const f = format;
  let i = 0;
  while (i < f.length) {
    const ch = f[i];
    if (ch === '\\' && dialect === 'apache' && i + 1 < f.length) {
      const e = f[i + 1];
      lit += e === 'n' ? '\n' : e === 't' ? '\t' : e;
      i += 2;
      continue;
    }
    if (ch !== '%') {
      lit += ch;
      i++;
      continue;
    }
    const col = i + 1;
    i++;
    if (f[i] === '%') {
      lit += '%';
      i++;
      continue;
    }
    // Apache modifiers: %!200,304r %400,501{User-agent}i %>s %<s
    const modStart = i;
    while (i < f.length && dialect === 'apache' && '!0123456789,<>'.includes(f[i] ?? '')) i++;
    const mods = f.slice(modStart, i);
    let arg: string | undefined;
    if (f[i] === '{') {
      const close = f.indexOf('}', i + 1);
      if (close < 0) throw new Error(`${name}: unclosed %{ at column ${col}`);
      arg = f.slice(i + 1, close);
      i = close + 1;
    }
    if (i >= f.length) throw new Error(`${name}: '%' at column ${col} has no directive letter`);
    let letter = f[i] ?? '';
    i++;
    if (letter === '^' && dialect === 'apache') {
      letter = '^' + f.slice(i, i + 2);
      i += 2;
      if (letter !== '^ti' && letter !== '^to') throw new Error(`${name}: unknown directive '%${letter}' at column ${col}`);
    } else if (dialect === 'apache' && !APACHE_LETTERS.includes(letter)) {
      throw new Error(`${name}: unknown directive '%${letter}' at column ${col}`);
    }
    const r = dialect === 'apache' ? (letter.startsWith('^') ? { kind: F_SKIP } : apacheField(letter, arg, col)) : fpmField(letter, arg, col);
    if (r.kind === F_TIME_LOCAL || r.kind === F_TIME_BRACKETED || r.kind === F_TIME_ISO || r.kind === F_TIME_SEC ||
      r.kind === F_TIME_MS || r.kind === F_TIME_US) {
      if (r.end === true) sawEnd = true;
      else sawStart = true;
    }
    if (lit !== '') items.push({ lit });
    lit = '';
    items.push({ kind: r.kind, name: '%' + mods + (arg !== undefined ? `{${arg}}` : '') + letter });
  }
  if (lit !== '') items.push({ lit });
  if (sawEnd && !sawStart) timeIsStart = false;
  if (sawEnd && sawStart) {
    // both stamps: keep the start, as %t does
    let seenStart = false;
    for (const it of items) {
      if ('kind' in it && isTimeKind(it.kind)) {
        if (seenStart) it.kind = F_SKIP;
        else seenStart = true;
      }
    }
  }
  return { items, timeIsStart };
}

function isTimeKind(k: number): boolean {
  return k >= F_TIME_LOCAL && k <= F_TIME_US;
}

// ---------------------------------------------------------------------------------------------------------
// The compiled program

interface Program {
  lead: string;
  kinds: number[];
  modes: number[];
  widths: number[];
  /** literal after each field ('' when the next field or the end follows directly) */
  after: string[];
  names: string[];
  hasRequest: boolean;
  hasUri: boolean;
}

function build(items: Item[], dialect: Dialect, statusOptional = false): Program {
  const name = DIALECT_NAME[dialect];
  // Merge path+query pairs that formats write back to back: %U%q, $uri$is_args$args, FPM %r%Q%q.
  const merged: Item[] = [];
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    if (it !== undefined && 'kind' in it && it.kind === F_PATH) {
      const n1 = items[k + 1], n2 = items[k + 2];
      if (n1 && 'kind' in n1 && n1.kind === F_QMARK && n2 && 'kind' in n2 && n2.kind === F_QUERY) {
        merged.push({ kind: F_URI, name: it.name + n1.name + n2.name });
        k += 2;
        continue;
      }
      if (n1 && 'kind' in n1 && n1.kind === F_QUERY) {
        merged.push({ kind: F_URI, name: it.name + n1.name });
        k += 1;
        continue;
      }
    }
    if (it !== undefined) merged.push(it);
  }

  // The first field mapped to a target wins (%h before %a); alternates only count when the main one is absent.
  const present = new Set<number>();
  for (const it of merged) if ('kind' in it) present.add(it.kind);
  if (!present.has(F_STATUS) && !statusOptional) {
    throw new Error(
      `${name} has no ${dialect === 'nginx' ? '$status' : '%s or %>s'}: logsleuth needs the response status to find 5xx`,
    );
  }
  const taken = new Set<number>();
  const bestDuration = present.has(F_RT_US) ? F_RT_US : present.has(F_RT_MS) ? F_RT_MS : F_RT_S;
  const statusFinal = dialect === 'apache' && merged.some((it) => 'kind' in it && it.kind === F_STATUS && it.name.includes('>'));
  for (const it of merged) {
    if (!('kind' in it) || it.kind === F_SKIP) continue;
    let k = it.kind;
    if (k === F_BYTES_ALT) k = present.has(F_BYTES) ? F_SKIP : F_BYTES;
    if (k === F_VHOST_ALT) k = present.has(F_VHOST) ? F_SKIP : F_VHOST;
    if (k === F_QMARK || k === F_QUERY) k = F_SKIP;
    // the request line, when logged, is the one source of method, path and protocol
    if (present.has(F_REQUEST) && (k === F_METHOD || k === F_URI || k === F_PATH || k === F_PROTOCOL)) k = F_SKIP;
    // Apache %s is the original status of an internally redirected request; %>s the one the client got
    if (k === F_STATUS && statusFinal && !it.name.includes('>')) k = F_SKIP;
    // several durations (%D %T %{ms}T): the most precise one is kept
    if ((k === F_RT_S || k === F_RT_MS || k === F_RT_US) && k !== bestDuration) k = F_SKIP;
    const target = isTimeKind(k) ? F_TIME_LOCAL : k;
    if (k !== F_SKIP && taken.has(target)) k = F_SKIP;
    if (k !== F_SKIP) taken.add(target);
    it.kind = k;
  }

  const prog: Program = { lead: '', kinds: [], modes: [], widths: [], after: [], names: [], hasRequest: taken.has(F_REQUEST), hasUri: taken.has(F_URI) };
  let k = 0;
  const first = merged[0];
  if (first && 'lit' in first) {
    prog.lead = first.lit;
    k = 1;
  }
  let prevLit = prog.lead;
  for (; k < merged.length; k++) {
    const it = merged[k];
    if (it === undefined || !('kind' in it)) continue;
    const next = merged[k + 1];
    const after = next && 'lit' in next ? next.lit : '';
    const isLast = after === '' && k + 1 >= merged.length;
    const width = fixedWidth(it.kind);
    let mode: number;
    if (width > 0) mode = M_FIXED;
    else if (after === '' && !isLast) {
      const other = next && 'kind' in next ? next.name : '';
      throw new Error(`${name}: ${it.name} and ${other} have no text between them, so their values cannot be told apart`);
    } else if (prevLit.endsWith('"') && after.startsWith('"')) mode = M_QUOTED;
    else if (isLast) mode = isText(it.kind) ? M_REST : M_TOKEN;
    else if (isList(it.kind) && after.startsWith(' ')) mode = M_LIST;
    else mode = M_PLAIN;
    prog.kinds.push(it.kind);
    prog.modes.push(mode);
    prog.widths.push(width);
    prog.after.push(after);
    prog.names.push(it.name);
    prevLit = after;
    if (after !== '') k++;
  }
  if (prog.kinds.length === 0) throw new Error(`${name} has no fields`);
  return prog;
}

/** End of a multi-valued field at `p` whose next literal is `lit` (starting with a space). */
function listEnd(s: string, p: number, lit: string): number {
  let z = s.indexOf(lit, p);
  while (z >= 0) {
    if (s.charCodeAt(z - 1) === 44 /* , */) {
      z = s.indexOf(lit, z + 1);
      continue;
    }
    if (s.charCodeAt(z + 1) === 58 /* : */ && s.charCodeAt(z + 2) === 32) {
      z = s.indexOf(lit, z + 3);
      continue;
    }
    return z;
  }
  return -1;
}

function quotedEnd(s: string, p: number, lit: string, bs: number): number {
  let q = s.indexOf('"', p);
  while (q >= 0) {
    if (s.startsWith(lit, q) && !(bs >= 0 && bs < q && isEscaped(s, q, p))) return q;
    q = s.indexOf('"', q + 1);
  }
  return -1;
}

/** Epoch from 'secs[.frac]' scaled: unit 1000 for seconds, 1 for ms, 0.001 for µs. */
function epochOf(s: string, a: number, b: number, unitMs: number): number {
  const v = parseDecimal(s, a, b);
  return Number.isNaN(v) ? NaN : Math.round(v * unitMs);
}

function compile(format: string, dialect: Dialect, opts: AccessFormatOptions): CompiledAccessFormat {
  const name = DIALECT_NAME[dialect];
  if (format.trim() === '') throw new Error(`${name} is empty`);
  const parsed = dialect === 'nginx' ? parseNginx(nginxFormatText(format)) : parsePercent(dialect === 'apache' ? apacheFormatText(format) : format.trim(), dialect);
  const prog = build(parsed.items, dialect, Boolean(opts.statusOptional));
  const { lead, kinds, modes, widths, after, hasRequest, hasUri } = prog;
  const n = kinds.length;
  const { family, source, tz } = opts;
  const statusOptional = Boolean(opts.statusOptional);
  const timeIsStart = parsed.timeIsStart;
  const buildRequest = !hasRequest;

  function parse(s: string, lineNo: number): AccessRecord | null {
    if (lead !== '' && !s.startsWith(lead)) return null;
    const len = s.length;
    const bs = s.indexOf('\\');
    const rec = newAccessRecord(family, timeIsStart, source, lineNo, s);
    let sawStatus = false;
    let pos = lead.length;
    for (let f = 0; f < n; f++) {
      const lit = after[f] ?? '';
      const mode = modes[f];
      let end: number;
      switch (mode) {
        case M_FIXED:
          end = pos + (widths[f] ?? 0);
          if (end > len || (lit !== '' && !s.startsWith(lit, end))) return null;
          break;
        case M_QUOTED: end = quotedEnd(s, pos, lit, bs); break;
        case M_LIST: end = listEnd(s, pos, lit); break;
        case M_REST: end = len; break;
        case M_TOKEN: {
          const sp = s.indexOf(' ', pos);
          end = sp < 0 ? len : sp;
          break;
        }
        default: end = s.indexOf(lit, pos); break;
      }
      if (end < 0) return null;
      if (!store(rec, kinds[f] ?? F_SKIP, s, pos, end, bs)) return null;
      if (kinds[f] === F_STATUS) sawStatus = true;
      pos = end + lit.length;
    }
    if (!sawStatus && !statusOptional) return null;
    if (buildRequest) {
      // no $request / %r: rebuild the request line from its parts
      const target = hasUri ? rec.request : rec.path;
      const r = (rec.method !== '' ? rec.method + ' ' : '') + target + (rec.protocol !== '' ? ' ' + rec.protocol : '');
      rec.request = r;
      if (hasUri) {
        const qm = target.indexOf('?');
        rec.path = qm >= 0 ? target.slice(0, qm) : target;
      }
    }
    return rec;
  }

  function store(rec: AccessRecord, kind: number, s: string, a: number, b: number, bs: number): boolean {
    switch (kind) {
      case F_SKIP: return true;
      case F_CLIENT: rec.client = s.slice(a, b); return true;
      case F_TIME_LOCAL: rec.time = parseClfTime(s, a); return true;
      case F_TIME_BRACKETED: rec.time = s.charCodeAt(a) === 91 ? parseClfTime(s, a + 1) : NaN; return true;
      case F_TIME_ISO: rec.time = parseIsoTime(s, a, tz, b); return true;
      case F_TIME_MSEC: case F_TIME_SEC: rec.time = epochOf(s, a, b, 1000); return true;
      case F_TIME_MS: rec.time = epochOf(s, a, b, 1); return true;
      case F_TIME_US: rec.time = epochOf(s, a, b, 0.001); return true;
      case F_REQUEST: {
        const r = fieldText(s, a, b, bs);
        rec.request = r;
        setRequestParts(rec, r, 0, r.length);
        return true;
      }
      case F_METHOD: rec.method = s.slice(a, b); return true;
      // held in `request` until the line is done, then split into path and query
      case F_URI: rec.request = fieldText(s, a, b, bs); return true;
      case F_PATH: rec.path = fieldText(s, a, b, bs); return true;
      case F_PROTOCOL: rec.protocol = s.slice(a, b); return true;
      case F_STATUS: {
        if (b - a !== 3) return false;
        const v = digits(s, a, 3);
        if (v < 0) return false;
        rec.status = v;
        return true;
      }
      case F_BYTES: {
        const v = parseDecimal(s, a, b);
        rec.bytes = Number.isNaN(v) ? 0 : v;
        return true;
      }
      case F_REFERER: rec.referer = fieldText(s, a, b, bs); return true;
      case F_UA: rec.userAgent = fieldText(s, a, b, bs); return true;
      case F_XFF:
        if (b > a && !(b - a === 1 && s.charCodeAt(a) === 45)) rec.xForwardedFor = fieldText(s, a, b, bs);
        return true;
      case F_VHOST:
        if (b > a && !(b - a === 1 && s.charCodeAt(a) === 45)) rec.vhost = s.slice(a, b);
        return true;
      case F_RT_S: case F_RT_MS: case F_RT_US: {
        const v = parseDecimal(s, a, b);
        if (!Number.isNaN(v)) rec.requestTime = kind === F_RT_S ? v : kind === F_RT_MS ? v / 1e3 : v / 1e6;
        return true;
      }
      case F_UP_ADDR: rec.upstreamAddr = parseAddrList(s, a, b); return true;
      case F_UP_STATUS: rec.upstreamStatus = parseStatusList(s, a, b); return true;
      case F_UP_CONNECT: rec.upstreamConnectTime = parseTimeList(s, a, b); return true;
      case F_UP_HEADER: rec.upstreamHeaderTime = parseTimeList(s, a, b); return true;
      case F_UP_RESPONSE: rec.upstreamResponseTime = parseTimeList(s, a, b); return true;
      default: return true;
    }
  }

  return { timeIsStart, fields: prog.names.filter((_, k) => kinds[k] !== F_SKIP), parse };
}

/** Compiles an nginx log_format string; throws an Error with a one-line message when it cannot be used. */
export function compileNginxLogFormat(format: string, opts: AccessFormatOptions): CompiledAccessFormat {
  return compile(format, 'nginx', opts);
}

/** Compiles an Apache LogFormat string; throws an Error with a one-line message when it cannot be used. */
export function compileApacheLogFormat(format: string, opts: AccessFormatOptions): CompiledAccessFormat {
  return compile(format, 'apache', opts);
}

/**
 * Compiles a PHP-FPM access.format (default '%R - %u %t "%m %r" %s'). FPM logs no byte count (bytes stays
 * 0) and its %t is the request's start.
 */
export function compileFpmAccessFormat(format: string, opts: AccessFormatOptions): CompiledAccessFormat {
  return compile(format, 'fpm', opts);
}
