// Pieces the three PHP families (FPM master log, FPM slow log, PHP error log) share: the
// 'DD-Mon-YYYY HH:MM:SS' stamp shape, PHP stack-trace lines, integer scanning and capped raw text.
import { digits, monthAt } from '../time/stamps.js';

/** Longest `raw` kept per record: multi-line entries are joined with '\n' up to here. */
export const RAW_CAP = 4096;
/** Longest `trace` kept per record; deeper traces add nothing to a diagnosis. */
export const TRACE_CAP = 50;

/** True when s[i..] has the shape 'DD-Mon-YYYY HH:MM:SS' that zlog and php_log_err() print. */
export function isDmyAt(s: string, i: number): boolean {
  return (
    s.charCodeAt(i + 2) === 45 &&
    s.charCodeAt(i + 6) === 45 &&
    s.charCodeAt(i + 11) === 32 &&
    s.charCodeAt(i + 14) === 58 &&
    s.charCodeAt(i + 17) === 58 &&
    digits(s, i, 2) >= 0 &&
    monthAt(s, i + 3) > 0 &&
    digits(s, i + 7, 4) >= 0 &&
    digits(s, i + 12, 2) >= 0 &&
    digits(s, i + 15, 2) >= 0 &&
    digits(s, i + 18, 2) >= 0
  );
}

/** Index just after the run of decimal digits starting at `i` (== i when there is none). */
export function digitsEnd(s: string, i: number): number {
  let p = i;
  for (;;) {
    const c = s.charCodeAt(p);
    // past the end charCodeAt is NaN, which fails both comparisons: test for digits, not for non-digits
    if (!(c >= 48 && c <= 57)) return p;
    p++;
  }
}

/** Value of the digits s[i..end); callers have checked with digitsEnd that they are digits. */
export function intBetween(s: string, i: number, end: number): number {
  let n = 0;
  for (let p = i; p < end; p++) n = n * 10 + (s.charCodeAt(p) - 48);
  return n;
}

export function capRaw(line: string): string {
  return line.length > RAW_CAP ? line.slice(0, RAW_CAP) : line;
}

/** `raw` with one more physical line, never longer than RAW_CAP. */
export function appendRaw(raw: string, line: string): string {
  if (raw.length >= RAW_CAP) return raw;
  const joined = raw + '\n' + line;
  return joined.length > RAW_CAP ? joined.slice(0, RAW_CAP) : joined;
}

/**
 * A line PHP prints inside an uncaught exception's message after the first one (Zend
 * `zend_exception_error()`): 'Stack trace:', '#0 /path(12): fn()', '#1 {main}', '  thrown in … on line N',
 * and 'Next Class: msg in file:line' for chained exceptions.
 */
export function isTraceLine(s: string): boolean {
  let i = 0;
  let c = s.charCodeAt(0);
  while (c === 32 || c === 9) c = s.charCodeAt(++i);
  switch (c) {
    case 35: { // '#'
      const d = s.charCodeAt(i + 1);
      return d >= 48 && d <= 57;
    }
    case 83: return s.startsWith('Stack trace:', i);
    case 116: return s.startsWith('thrown in ', i);
    case 78: return s.startsWith('Next ', i) && s.indexOf(': ', i + 5) > 0;
    default: return false;
  }
}

/** Pushes a trace line unless the trace is already at TRACE_CAP. */
export function pushTrace(trace: string[], line: string): void {
  if (trace.length < TRACE_CAP) trace.push(line);
}
