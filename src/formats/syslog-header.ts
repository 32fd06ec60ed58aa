// Syslog header reader shared by the syslog wrapper and the kernel parser (kern.log is a syslog file).
// Fixed layouts, read with charCodeAt; lines are attacker-controlled, so no regex over the whole line.
import { digits, inferYear, monthAt, parseIsoTime, parseSyslogTime } from '../time/stamps.js';

export type HeaderForm =
  /** 'Jan 12 10:00:01 host tag[pid]: ', with or without '<PRI>' */
  | 'rfc3164'
  /** '<PRI>1 2026-01-12T10:00:01.123+01:00 host app procid msgid [sd] ' */
  | 'rfc5424'
  /** rsyslog RFC 3339 file form / journalctl -o short-iso: '2026-01-12T10:00:01.123456+01:00 host tag[pid]: ' */
  | 'iso'
  /** no time at all: 'host tag[pid]: ' (fail2ban's journal rendering, some collectors) */
  | 'untimed';

export interface SyslogHeader {
  form: HeaderForm;
  /** epoch ms, NaN when the header had none */
  time: number;
  /** '<PRI>' value, -1 when absent */
  pri: number;
  host?: string;
  /** '' when no tag could be read */
  tag: string;
  pid?: number;
  /** false when the part after the host is not 'tag[pid]: ' / 'tag: ' (then the message is all of it) */
  tagged: boolean;
  /** index of the message in the line */
  msgStart: number;
}

const SPACE = 32;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
/** A tag longer than this is not a tag (RFC 3164 says 32; leave room for 'httpd/backend1' and friends). */
const MAX_TAG = 64;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Index of the next space at or after `i`, or the string length. */
function tokenEnd(s: string, i: number): number {
  const k = s.indexOf(' ', i);
  return k < 0 ? s.length : k;
}

/** Digits s[i..end) as a number, or undefined when empty or not all digits. */
function intBetween(s: string, i: number, end: number): number | undefined {
  if (end <= i || end - i > 10) return undefined;
  let n = 0;
  for (let k = i; k < end; k++) {
    const c = s.charCodeAt(k);
    if (!isDigit(c)) return undefined;
    n = n * 10 + (c - 48);
  }
  return n;
}

/**
 * Reads 'tag[pid]: ' or 'tag: ' at `i`. Writes tag, pid, tagged and msgStart into `h`. When the text at
 * `i` is not a tag (a space before the colon, no colon), the whole rest is the message and tagged=false.
 */
function readTag(s: string, i: number, h: SyslogHeader): void {
  const limit = Math.min(s.length, i + MAX_TAG);
  for (let k = i; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === COLON) {
      h.tag = s.slice(i, k);
      h.tagged = k > i;
      h.msgStart = s.charCodeAt(k + 1) === SPACE ? k + 2 : k + 1;
      return;
    }
    if (c === LBRACKET) {
      const close = s.indexOf(']', k + 1);
      if (close < 0 || close - k > 24) break;
      h.tag = s.slice(i, k);
      const pid = intBetween(s, k + 1, close);
      if (pid !== undefined) h.pid = pid;
      if (s.charCodeAt(close + 1) === COLON) {
        h.tagged = k > i;
        h.msgStart = s.charCodeAt(close + 2) === SPACE ? close + 3 : close + 2;
      } else {
        // 'com.apple.xpc.launchd[1] (…)': a tag but no colon; keep the rest as the message
        h.tagged = false;
        h.msgStart = s.charCodeAt(close + 1) === SPACE ? close + 2 : close + 1;
      }
      return;
    }
    if (c === SPACE) break;
  }
  h.tag = '';
  h.tagged = false;
  h.msgStart = i;
}

/** After the time: ' host tag[pid]: msg'. `i` points at the space after the stamp. */
function readHostAndTag(s: string, i: number, h: SyslogHeader): SyslogHeader | undefined {
  if (s.charCodeAt(i) !== SPACE) return undefined;
  let p = i + 1;
  const hostEnd = tokenEnd(s, p);
  if (hostEnd === p) {
    // empty hostname ('Mar 11 22:52:12   lighttpd[…]: '), as some BSD syslogds write
    while (s.charCodeAt(p) === SPACE) p++;
    readTag(s, p, h);
    return h;
  }
  if (s.charCodeAt(hostEnd - 1) === COLON) {
    // no hostname at all: 'Jan 12 10:00:01 kernel: …' (some local syslogds)
    readTag(s, p, h);
    return h;
  }
  h.host = s.slice(p, hostEnd);
  p = hostEnd;
  while (s.charCodeAt(p) === SPACE) p++;
  readTag(s, p, h);
  return h;
}

function newHeader(form: HeaderForm, time: number, pri: number): SyslogHeader {
  return { form, time, pri, tag: '', tagged: false, msgStart: 0 };
}

/** Skips one RFC 5424 STRUCTURED-DATA field at `i` ('-' or '[id k="v" …][…]'); returns the index after it or -1. */
function skipStructuredData(s: string, i: number): number {
  if (s.charCodeAt(i) === 45) return i + 1; // '-'
  let p = i;
  while (s.charCodeAt(p) === LBRACKET) {
    p++;
    let quoted = false;
    for (;;) {
      if (p >= s.length) return -1;
      const c = s.charCodeAt(p);
      if (quoted) {
        if (c === 92) p++; // backslash escapes '"', '\' and ']' inside PARAM-VALUE
        else if (c === 34) quoted = false;
      } else if (c === 34) {
        quoted = true;
      } else if (c === RBRACKET) {
        p++;
        break;
      }
      p++;
    }
  }
  return p;
}

function readRfc5424(s: string, start: number, pri: number, tz: string): SyslogHeader | undefined {
  let p = start;
  const tsEnd = tokenEnd(s, p);
  let time = NaN;
  if (!(tsEnd === p + 1 && s.charCodeAt(p) === 45)) {
    time = parseIsoTime(s, p, tz, tsEnd);
    if (Number.isNaN(time)) return undefined;
  }
  const h = newHeader('rfc5424', time, pri);
  const fields: string[] = [];
  p = tsEnd + 1;
  for (let f = 0; f < 4; f++) {
    if (p > s.length) return undefined;
    const e = tokenEnd(s, p);
    fields.push(s.slice(p, e));
    p = e + 1;
  }
  const [host = '-', app = '-', procid = '-'] = fields;
  if (host !== '-') h.host = host;
  h.tag = app === '-' ? '' : app;
  h.tagged = h.tag !== '';
  const pid = intBetween(procid, 0, procid.length);
  if (pid !== undefined) h.pid = pid;
  if (p > s.length) {
    h.msgStart = s.length;
    return h;
  }
  const sdEnd = skipStructuredData(s, p);
  if (sdEnd < 0) return undefined;
  p = sdEnd;
  if (s.charCodeAt(p) === SPACE) p++;
  if (s.charCodeAt(p) === 0xfeff) p++; // MSG may start with a BOM to say it is UTF-8
  h.msgStart = p;
  return h;
}

/** 'host tag[pid]: msg' with no time: strict, because nothing else vouches for the line. */
function readUntimed(s: string): SyslogHeader | undefined {
  const hostEnd = s.indexOf(' ');
  if (hostEnd <= 0 || hostEnd > 255) return undefined;
  for (let k = 0; k < hostEnd; k++) {
    const c = s.charCodeAt(k);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95;
    if (!ok) return undefined;
  }
  const h = newHeader('untimed', NaN, -1);
  readTag(s, hostEnd + 1, h);
  if (!h.tagged || h.pid === undefined) return undefined;
  h.host = s.slice(0, hostEnd);
  return h;
}

/**
 * Reads a syslog header at the start of `s`. Year-less RFC 3164 stamps get their year from
 * `referenceTime` (inferYear); zone-less stamps are read in `tz`. Returns undefined when the line does not
 * start with a header. `allowUntimed` also accepts 'host tag[pid]: ' with no time.
 */
export function parseSyslogHeader(
  s: string,
  tz: string,
  referenceTime: number,
  allowUntimed = false,
): SyslogHeader | undefined {
  let p = 0;
  let pri = -1;
  if (s.charCodeAt(0) === 60) { // '<'
    let k = 1;
    let n = 0;
    while (k <= 3 && isDigit(s.charCodeAt(k))) {
      n = n * 10 + (s.charCodeAt(k) - 48);
      k++;
    }
    if (k === 1 || s.charCodeAt(k) !== 62 || n > 191) return undefined;
    pri = n;
    p = k + 1;
    if (s.charCodeAt(p) === 49 && s.charCodeAt(p + 1) === SPACE) return readRfc5424(s, p + 2, pri, tz);
  }
  const mo = monthAt(s, p);
  if (mo > 0 && s.charCodeAt(p + 3) === SPACE) {
    const dd = s.charCodeAt(p + 4) === SPACE ? digits(s, p + 5, 1) : digits(s, p + 4, 2);
    if (dd < 1) return undefined;
    let time = parseSyslogTime(s, p, inferYear(mo, dd, referenceTime), tz);
    if (Number.isNaN(time)) return undefined;
    let q = p + 15;
    if (s.charCodeAt(q) === 46) {
      // journalctl -o short-precise: 'Jan 12 10:00:01.123456'
      let scale = 100;
      let ms = 0;
      q++;
      while (isDigit(s.charCodeAt(q))) {
        if (scale >= 1) ms += (s.charCodeAt(q) - 48) * scale;
        scale /= 10;
        q++;
      }
      time += Math.floor(ms);
    }
    return readHostAndTag(s, q, newHeader('rfc3164', time, pri));
  }
  if (digits(s, p, 4) >= 0 && s.charCodeAt(p + 4) === 45) {
    const end = tokenEnd(s, p);
    const time = parseIsoTime(s, p, tz, end);
    if (Number.isNaN(time)) return undefined;
    return readHostAndTag(s, end, newHeader('iso', time, pri));
  }
  if (allowUntimed && pri < 0) return readUntimed(s);
  return undefined;
}

/** journalctl's own lines in its text output: '-- Logs begin at …', '-- Boot 3f…  --', '-- No entries --'. */
export function isJournalMarker(s: string): boolean {
  return s.startsWith('-- ') && (s.endsWith(' --') || s.startsWith('-- Reboot') || s.startsWith('-- Logs begin'));
}
