// Hand-written timestamp readers for the hot path: fixed layouts, read with charCodeAt, no regex and no
// date library per line (date-fns parse() measured 5.8x slower per line). Each returns epoch ms or NaN.
import { parseFixedOffset, wallToEpoch } from './zone.js';

/** Reads `len` decimal digits at `i`; -1 when any is not a digit. */
export function digits(s: string, i: number, len: number): number {
  let n = 0;
  for (let k = 0; k < len; k++) {
    const c = s.charCodeAt(i + k) - 48;
    // NaN past the end of the string fails this test too
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** 'Jan' … 'Dec' at `i` → 1..12, 0 when not a month. Case-sensitive like the servers write it. */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
  switch (a) {
    case 74: // J
      if (b === 97 && c === 110) return 1; // Jan
      if (b === 117 && c === 110) return 6; // Jun
      if (b === 117 && c === 108) return 7; // Jul
      return 0;
    case 70: return b === 101 && c === 98 ? 2 : 0; // Feb
    case 77: // M
      if (b === 97 && c === 114) return 3; // Mar
      if (b === 97 && c === 121) return 5; // May
      return 0;
    case 65: // A
      if (b === 112 && c === 114) return 4; // Apr
      if (b === 117 && c === 103) return 8; // Aug
      return 0;
    case 83: return b === 101 && c === 112 ? 9 : 0; // Sep
    case 79: return b === 99 && c === 116 ? 10 : 0; // Oct
    case 78: return b === 111 && c === 118 ? 11 : 0; // Nov
    case 68: return b === 101 && c === 99 ? 12 : 0; // Dec
    default: return 0;
  }
}

function validDate(mo: number, d: number, h: number, mi: number, s: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

/** Fraction digits after a '.' or ',' at `i` (exclusive of the dot) → ms, and how many chars were read. */
function fraction(s: string, i: number): { ms: number; len: number } {
  let len = 0, ms = 0, scale = 100;
  for (;;) {
    const c = s.charCodeAt(i + len) - 48;
    if (!(c >= 0 && c <= 9)) break;
    if (scale >= 1) ms += c * scale;
    scale /= 10;
    len++;
  }
  return { ms: Math.floor(ms), len };
}

/** '+0100' or '-05:30' at `i` → minutes east, NaN when absent. */
function offsetAtPos(s: string, i: number): number {
  const sign = s.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return NaN;
  const h = digits(s, i + 1, 2);
  const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
  const m = digits(s, i + 3 + colon, 2);
  if (h < 0 || m < 0) return NaN;
  const mins = h * 60 + m;
  return sign === 45 ? -mins : mins;
}

/** nginx $time_local / Apache %t: '12/Jan/2026:10:00:01 +0100' starting at `i`. */
export function parseClfTime(s: string, i: number): number {
  const d = digits(s, i, 2);
  const mo = monthAt(s, i + 3);
  const y = digits(s, i + 7, 4);
  const h = digits(s, i + 12, 2);
  const mi = digits(s, i + 15, 2);
  const sec = digits(s, i + 18, 2);
  if (d < 0 || y < 0 || h < 0 || mi < 0 || sec < 0 || !validDate(mo, d, h, mi, sec)) return NaN;
  const off = offsetAtPos(s, i + 21);
  if (Number.isNaN(off)) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, sec) - off * 60_000;
}

/**
 * ISO 8601 / RFC 3339: '2026-01-12T10:00:01+01:00', '2026-01-12 10:00:01.123456', '…Z'. Zone-less stamps are
 * read in `tz`. Returns NaN unless the whole of s[i..end) is the stamp (when `end` is given).
 */
export function parseIsoTime(s: string, i: number, tz: string, end = -1): number {
  const y = digits(s, i, 4);
  if (y < 0 || s.charCodeAt(i + 4) !== 45) return NaN;
  const mo = digits(s, i + 5, 2);
  const d = digits(s, i + 8, 2);
  const sep = s.charCodeAt(i + 10);
  if (sep !== 84 && sep !== 32) return NaN; // 'T' or ' '
  const h = digits(s, i + 11, 2);
  const mi = digits(s, i + 14, 2);
  const sec = digits(s, i + 17, 2);
  if (mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || !validDate(mo, d, h, mi, sec)) return NaN;
  let p = i + 19;
  let ms = 0;
  const dot = s.charCodeAt(p);
  if (dot === 46 || dot === 44) {
    const f = fraction(s, p + 1);
    ms = f.ms;
    p += 1 + f.len;
  }
  const z = s.charCodeAt(p);
  let result: number;
  if (z === 90) {
    result = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
    p++;
  } else if (z === 43 || z === 45) {
    const off = offsetAtPos(s, p);
    if (Number.isNaN(off)) return NaN;
    result = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - off * 60_000;
    p += s.charCodeAt(p + 3) === 58 ? 6 : 5;
  } else {
    result = wallToEpoch(tz, y, mo, d, h, mi, sec, ms);
  }
  if (end >= 0 && p !== end) return NaN;
  return result;
}

/** nginx error log: '2026/01/12 10:00:01' at `i`, local time in `tz`. */
export function parseNginxErrorTime(s: string, i: number, tz: string): number {
  const y = digits(s, i, 4);
  const mo = digits(s, i + 5, 2);
  const d = digits(s, i + 8, 2);
  const h = digits(s, i + 11, 2);
  const mi = digits(s, i + 14, 2);
  const sec = digits(s, i + 17, 2);
  if (
    y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 ||
    s.charCodeAt(i + 4) !== 47 || s.charCodeAt(i + 7) !== 47 || !validDate(mo, d, h, mi, sec)
  ) return NaN;
  return wallToEpoch(tz, y, mo, d, h, mi, sec, 0);
}

/**
 * PHP-FPM and PHP error log: '12-Jan-2026 10:00:01' (+ '.uuuuuu' in FPM debug mode) at `i`.
 * Returns the time and the index just after the stamp.
 */
export function parseDmyTime(s: string, i: number, tz: string): { time: number; end: number } {
  const d = digits(s, i, 2);
  const mo = monthAt(s, i + 3);
  const y = digits(s, i + 7, 4);
  const h = digits(s, i + 12, 2);
  const mi = digits(s, i + 15, 2);
  const sec = digits(s, i + 18, 2);
  if (d < 0 || y < 0 || h < 0 || mi < 0 || sec < 0 || !validDate(mo, d, h, mi, sec)) return { time: NaN, end: i };
  let end = i + 20;
  let ms = 0;
  if (s.charCodeAt(end) === 46) {
    const f = fraction(s, end + 1);
    ms = f.ms;
    end += 1 + f.len;
  }
  return { time: wallToEpoch(tz, y, mo, d, h, mi, sec, ms), end };
}

/** Time in a zone PHP printed with its 'e' token: an IANA id, 'UTC' or an offset like '+01:00'. */
export function dmyInZone(s: string, i: number, zone: string, fallbackTz: string): number {
  const fixed = parseFixedOffset(zone);
  const tz = fixed !== undefined ? zone : zone.includes('/') ? zone : fallbackTz;
  try {
    return parseDmyTime(s, i, tz).time;
  } catch {
    // an unknown zone id (Intl throws): read the stamp in the fallback zone rather than lose it
    return parseDmyTime(s, i, fallbackTz).time;
  }
}

/**
 * Apache error log / dmesg -T: 'Mon Jan 12 10:00:01.123456 2026' (microseconds optional) at `i`.
 * Returns the time and the index just after the year.
 */
export function parseCtime(s: string, i: number, tz: string): { time: number; end: number } {
  const mo = monthAt(s, i + 4);
  let p = i + 8;
  // day may be space-padded in dmesg -T and asctime(): 'Jan  2'
  const dd = s.charCodeAt(p) === 32 ? digits(s, p + 1, 1) : digits(s, p, 2);
  p += 2;
  if (s.charCodeAt(p) !== 32) return { time: NaN, end: i };
  const h = digits(s, p + 1, 2);
  const mi = digits(s, p + 4, 2);
  const sec = digits(s, p + 7, 2);
  p += 9;
  let ms = 0;
  if (s.charCodeAt(p) === 46) {
    const f = fraction(s, p + 1);
    ms = f.ms;
    p += 1 + f.len;
  }
  if (s.charCodeAt(p) !== 32) return { time: NaN, end: i };
  const y = digits(s, p + 1, 4);
  if (dd < 0 || y < 0 || h < 0 || mi < 0 || sec < 0 || !validDate(mo, dd, h, mi, sec)) return { time: NaN, end: i };
  return { time: wallToEpoch(tz, y, mo, dd, h, mi, sec, ms), end: p + 5 };
}

/** RFC 3164 'Jan 12 10:00:01' / 'Jan  2 10:00:01' at `i`, year supplied by the caller. */
export function parseSyslogTime(s: string, i: number, year: number, tz: string): number {
  const mo = monthAt(s, i);
  if (s.charCodeAt(i + 3) !== 32) return NaN;
  const dd = s.charCodeAt(i + 4) === 32 ? digits(s, i + 5, 1) : digits(s, i + 4, 2);
  const h = digits(s, i + 7, 2);
  const mi = digits(s, i + 10, 2);
  const sec = digits(s, i + 13, 2);
  if (dd < 0 || h < 0 || mi < 0 || sec < 0 || !validDate(mo, dd, h, mi, sec)) return NaN;
  return wallToEpoch(tz, year, mo, dd, h, mi, sec, 0);
}

/**
 * Year for a year-less stamp (RFC 3164 syslog): the reference time's year, or the one before when that
 * would put the stamp more than a day after the reference (a December line read in January).
 */
export function inferYear(month: number, day: number, referenceTime: number): number {
  const ref = new Date(referenceTime);
  const y = ref.getUTCFullYear();
  const candidate = Date.UTC(y, month - 1, day);
  return candidate > referenceTime + 86_400_000 ? y - 1 : y;
}
