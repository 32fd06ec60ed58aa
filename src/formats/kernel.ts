// Kernel log: dmesg (raw, -T, -r, -x), /dev/kmsg records, kern.log in its syslog forms, and bare messages
// (dmesg --notime, kmsg readers that strip the prefix). Every kernel line is one record; the OOM dump
// around the kill line (Mem-Info, task table, call trace, registers) is recognised and ignored, because
// only the invoke, summary and kill lines matter downstream (signatures.md §6.8).
import type { EventRecord, LineParser, LogFormat, ParseContext, WrapperInfo } from './types.js';
import { LineResult } from './types.js';
import { parseSyslogHeader } from './syslog-header.js';
import { digits, parseCtime } from '../time/stamps.js';

const RAW_CAP = 4096;
const LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'] as const;
/** dmesg -x level words → our level words */
const DMESG_LEVELS: Record<string, string> = {
  emerg: 'emerg', alert: 'alert', crit: 'crit', err: 'error', warn: 'warn', notice: 'notice', info: 'info', debug: 'debug',
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function cap(s: string): string {
  return s.length > RAW_CAP ? s.slice(0, RAW_CAP) : s;
}

/** '[12345.678901] ' (dmesg pads the seconds with spaces) at `i`: seconds and the index after it. */
export function readMonotonic(s: string, i: number): { seconds: number; end: number } | undefined {
  if (s.charCodeAt(i) !== 91) return undefined;
  let p = i + 1;
  while (s.charCodeAt(p) === 32 && p - i < 14) p++;
  let whole = 0;
  const startDigits = p;
  while (isDigit(s.charCodeAt(p)) && p - startDigits < 12) whole = whole * 10 + (s.charCodeAt(p++) - 48);
  if (p === startDigits || s.charCodeAt(p) !== 46) return undefined;
  p++;
  let frac = 0;
  let scale = 0.1;
  const startFrac = p;
  while (isDigit(s.charCodeAt(p)) && p - startFrac < 9) {
    frac += (s.charCodeAt(p++) - 48) * scale;
    scale /= 10;
  }
  if (p === startFrac || s.charCodeAt(p) !== 93) return undefined;
  p++;
  if (s.charCodeAt(p) === 32) p++;
  return { seconds: Math.round((whole + frac) * 1e6) / 1e6, end: p };
}

/** 'Mon Jan 12 10:00:01 2026' inside '[…] ' (dmesg -T). No fraction: Apache's '[… 10:00:01.123456 2026]' is not ours. */
function readDmesgWall(s: string, tz: string): { time: number; end: number } | undefined {
  if (s.charCodeAt(0) !== 91 || s.charCodeAt(20) === 46) return undefined;
  const r = parseCtime(s, 1, tz);
  if (Number.isNaN(r.time) || s.charCodeAt(r.end) !== 93) return undefined;
  const end = s.charCodeAt(r.end + 1) === 32 ? r.end + 2 : r.end + 1;
  return { time: r.time, end };
}

/** /dev/kmsg: 'prio,seq,usec,flags[,…];message' → level, monotonic seconds and message start. */
function readKmsg(s: string): { level: string; seconds: number; end: number } | undefined {
  const semi = s.indexOf(';');
  if (semi < 7 || semi > 64) return undefined;
  const c1 = s.indexOf(',');
  const c2 = s.indexOf(',', c1 + 1);
  const c3 = s.indexOf(',', c2 + 1);
  if (c1 < 1 || c2 < 0 || c3 < 0 || c3 > semi) return undefined;
  for (let k = 0; k < c3; k++) {
    const c = s.charCodeAt(k);
    if (!isDigit(c) && c !== 44) return undefined;
  }
  const prio = Number(s.slice(0, c1));
  const usec = Number(s.slice(c2 + 1, c3));
  return { level: LEVELS[prio & 7] ?? 'info', seconds: usec / 1e6, end: semi + 1 };
}

/** dmesg -x: 'kern  :err   : ' → level and the index after it. */
function readDmesgDecoded(s: string): { level: string; end: number } | undefined {
  const c1 = s.indexOf(':');
  if (c1 < 3 || c1 > 8) return undefined;
  const c2 = s.indexOf(':', c1 + 1);
  if (c2 < 0 || c2 - c1 > 8 || s.charCodeAt(c2 + 1) !== 32) return undefined;
  const fac = s.slice(0, c1).trimEnd();
  if (!/^(?:kern|user|mail|daemon|auth|syslog|lpr|news)$/.test(fac)) return undefined;
  const level = DMESG_LEVELS[s.slice(c1 + 1, c2).trimEnd()];
  if (level === undefined) return undefined;
  return { level, end: c2 + 2 };
}

const DUMP_PREFIXES = [
  'Call Trace:', 'Mem-Info:', 'Stack:', 'Code: ', '<TASK>', '</TASK>', '<IRQ>', '</IRQ>', '---[ end trace', 'Tasks state',
  'lowmem_reserve[]:', 'active_anon:', 'Free swap', 'Total swap', 'Swap cache stats:', 'Hardware name:',
  'Modules linked in:', 'CPU: ', 'CPU ', 'memory: usage', 'memory+swap: usage', 'kmem: usage', 'swap: usage',
  'Memory cgroup stats for', 'Pid: ', 'IP: [<', 'PGD ', 'PUD ', 'PMD ', 'Tainted: ', 'RIP  [<',
  '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs"',
];
/** 'RAX: 0000…', 'RSP: 0018:ffff…', 'CR2: …', 'FS:  0000…' */
const REGISTER_LINE = /^[A-Z][A-Z0-9]{1,3}: +[0-9a-f]{4}/;
/** frames without brackets (4.x+ kernels): 'dump_stack+0x41/0x60', '? xas_load+0x8/0x80' */
const FRAME_LINE = /^(?:\? )?[\w.]{1,160}\+0x[0-9a-f]{1,16}\/0x[0-9a-f]{1,16}/;
/** '204 total pagecache pages', '445340 pages RAM', '0 pages in swap cache' */
const PAGES_LINE = /^\d{1,12} (?:total pagecache pages|pages )/;

/** True for the lines of an OOM / oops dump that carry no event of their own. */
export function isDumpLine(m: string): boolean {
  const c0 = m.charCodeAt(0);
  if (c0 === 32 || c0 === 9) return true; // stack words, indented frames, Mem-Info continuation
  if (c0 === 91) {
    // '[<ffffffff81720bf6>] …', task table header '[ pid ]' / '[  pid  ]', task rows '[ 1381]'
    const c1 = m.charCodeAt(1);
    if (c1 === 60) return true;
    let p = 1;
    while (m.charCodeAt(p) === 32) p++;
    if (m.startsWith('pid', p)) return true;
    const d = p;
    while (isDigit(m.charCodeAt(p))) p++;
    return p > d && m.charCodeAt(p) === 93;
  }
  if (c0 === 78 && m.startsWith('Node ') && isDigit(m.charCodeAt(5))) return true;
  for (const pre of DUMP_PREFIXES) if (m.startsWith(pre)) return true;
  if (m.includes(' cpuset=') && m.includes(' mems_allowed=')) return true;
  return REGISTER_LINE.test(m) || FRAME_LINE.test(m) || PAGES_LINE.test(m);
}

/** Digits starting at `i`, or undefined. */
function intAt(s: string, i: number): number | undefined {
  let p = i;
  let n = 0;
  while (isDigit(s.charCodeAt(p)) && p - i < 10) n = n * 10 + (s.charCodeAt(p++) - 48);
  return p > i ? n : undefined;
}

/**
 * The task pid a kernel message is about: the OOM victim ('Killed process 4711 (php-fpm8.2)', 'Kill process
 * 4711', 'oom-kill:…,pid=4711,', 'oom_reaper: reaped process 4711', 'OOM victim 4711'), or the faulting task
 * ('php-fpm8.2[4711]: segfault at', 'traps: php-fpm8.2[4711] general protection', audit 'pid=4711').
 */
export function kernelPid(m: string): number | undefined {
  let k = m.indexOf('Killed process ');
  if (k >= 0) return intAt(m, k + 15);
  k = m.indexOf('Kill process ');
  if (k >= 0) return intAt(m, k + 13);
  if (m.startsWith('oom-kill:')) {
    k = m.indexOf(',pid=');
    return k >= 0 ? intAt(m, k + 5) : undefined;
  }
  k = m.indexOf('reaped process ');
  if (k >= 0) return intAt(m, k + 15);
  k = m.indexOf('OOM victim ');
  if (k >= 0) return intAt(m, k + 11);
  k = m.indexOf(']: segfault at ');
  if (k < 0 && m.startsWith('traps: ')) k = m.indexOf('] ', 7);
  if (k < 0 && m.includes(' trap ')) k = m.indexOf('] trap ');
  if (k > 0) {
    const open = m.lastIndexOf('[', k);
    if (open >= 0) {
      const pid = intAt(m, open + 1);
      if (pid !== undefined && open + 1 + String(pid).length === k) return pid;
    }
    return undefined;
  }
  if (m.startsWith('audit') || m.startsWith('type=')) {
    k = m.indexOf(' pid=');
    return k >= 0 ? intAt(m, k + 5) : undefined;
  }
  return undefined;
}

// ---- sniffing ----

const MARKERS_START = [
  'Call Trace:', 'Mem-Info:', 'Hardware name:', 'Modules linked in:', '---[ end trace', 'oom-kill:constraint=',
  'oom_reaper: reaped process', 'Out of memory: ', 'Memory cgroup out of memory: ', 'Killed process ', 'IPv6: ADDRCONF(',
  'EXT4-fs ', 'audit: type=', 'TCP: ', 'nf_conntrack: ', 'BUG: ', 'INFO: task ', 'Oops: ', 'lowmem_reserve[]:', 'traps: ',
  'Tasks state', 'Task in ', 'Memory cgroup stats for ',
];
const MARKERS_INSIDE = [' invoked oom-killer: ', ']: segfault at ', ' entered promiscuous mode', ' entered blocking state',
  ' entered disabled state', ' entered forwarding state', ' cpuset=', 'Comm: '];

/** True for a bare line that only the kernel writes. */
function looksKernel(m: string): boolean {
  if (m.startsWith(' [<') || m.startsWith('[<')) return true;
  for (const pre of MARKERS_START) if (m.startsWith(pre)) return true;
  for (const sub of MARKERS_INSIDE) if (m.includes(sub)) return true;
  return REGISTER_LINE.test(m) || FRAME_LINE.test(m) || PAGES_LINE.test(m) || (m.charCodeAt(0) === 91 && isDumpLine(m));
}

/** How a line is prefixed, for sniffing: a weight 0..1 for a kernel-specific prefix, 0 when none. */
function prefixWeight(s: string): number {
  if (readMonotonic(s, 0)) return 0.97;
  if (s.charCodeAt(0) === 60 && s.charCodeAt(2) === 62 && readMonotonic(s, 3)) return 0.97; // dmesg -r
  const wall = readDmesgWall(s, 'UTC');
  if (wall) {
    // Apache 2.2 '[Mon Jan 12 10:00:01 2026] [error] …' shares the stamp: a '[word]' after it is not dmesg
    const c = s.charCodeAt(wall.end);
    const c1 = s.charCodeAt(wall.end + 1);
    return c === 91 && c1 !== 60 && c1 !== 32 && !isDigit(c1) ? 0 : 0.95;
  }
  if (readKmsg(s)) return 0.95;
  const dec = readDmesgDecoded(s);
  if (dec) return 0.9;
  const h = parseSyslogHeader(s, 'UTC', Date.now());
  if (h && h.tag === 'kernel') return 0.8;
  return 0;
}

function sniff(lines: readonly string[]): number {
  if (lines.length === 0) return 0;
  let prefixed = 0;
  let bareMarkers = 0;
  let bare = 0;
  for (const s of lines) {
    const w = prefixWeight(s);
    if (w > 0) {
      prefixed += w;
    } else {
      bare++;
      if (looksKernel(s)) bareMarkers++;
    }
  }
  const prefixedScore = prefixed / lines.length;
  // dmesg --notime and kmsg dumps have no prefix: only kernel-specific wording vouches for them
  let bareScore = 0;
  if (bare === lines.length && bareMarkers >= 2) {
    const frac = bareMarkers / bare;
    if (frac >= 0.15) bareScore = Math.min(0.85, 0.45 + 0.5 * frac);
  }
  return Math.max(prefixedScore, bareScore);
}

// ---- parser ----

interface Parsed {
  time: number;
  message: string;
  monotonic?: number;
  level?: string;
  host?: string;
}

function createParser(ctx: ParseContext): LineParser {
  /** once a prefixed line was seen, prefix-less lines are foreign unless they are dump text */
  let sawPrefixed = false;

  function emit(p: Parsed, raw: string, lineNo: number): LineResult {
    if (isDumpLine(p.message)) return LineResult.Ignored;
    const r: EventRecord = {
      kind: 'event',
      family: 'kernel',
      time: p.time,
      message: p.message,
      origin: { source: ctx.source, line: lineNo },
      raw: cap(raw),
    };
    if (p.level !== undefined) r.level = p.level;
    const pid = kernelPid(p.message);
    if (pid !== undefined) r.pid = pid;
    if (p.host !== undefined) r.host = p.host;
    if (p.monotonic !== undefined) r.monotonic = p.monotonic;
    ctx.emit(r);
    return LineResult.Record;
  }

  /** The kernel part of a message: an optional '[12345.678901] ' then the text. */
  function body(m: string, time: number, level?: string, host?: string): Parsed {
    const mono = readMonotonic(m, 0);
    const p: Parsed = mono ? { time, message: m.slice(mono.end), monotonic: mono.seconds } : { time, message: m };
    if (level !== undefined) p.level = level;
    if (host !== undefined) p.host = host;
    return p;
  }

  function line(text: string, lineNo: number): LineResult {
    if (text.trim() === '') return LineResult.Ignored;
    const c0 = text.charCodeAt(0);
    if (c0 === 91) {
      const mono = readMonotonic(text, 0);
      if (mono) {
        sawPrefixed = true;
        return emit({ time: NaN, message: text.slice(mono.end), monotonic: mono.seconds }, text, lineNo);
      }
      const wall = readDmesgWall(text, ctx.tz);
      if (wall) {
        sawPrefixed = true;
        return emit({ time: wall.time, message: text.slice(wall.end) }, text, lineNo);
      }
    } else if (c0 === 60) {
      // dmesg -r '<6>[  12.345678] msg' or syslog with PRI
      const close = text.indexOf('>');
      if (close > 1 && close <= 4 && text.charCodeAt(close + 1) === 91) {
        const prio = digits(text, 1, close - 1);
        const mono = readMonotonic(text, close + 1);
        if (prio >= 0 && mono) {
          sawPrefixed = true;
          return emit(
            { time: NaN, message: text.slice(mono.end), monotonic: mono.seconds, level: LEVELS[prio & 7] ?? 'info' },
            text,
            lineNo,
          );
        }
      }
    } else if (isDigit(c0)) {
      const k = readKmsg(text);
      if (k) {
        sawPrefixed = true;
        return emit({ time: NaN, message: text.slice(k.end), monotonic: k.seconds, level: k.level }, text, lineNo);
      }
    } else {
      const dec = readDmesgDecoded(text);
      if (dec) {
        sawPrefixed = true;
        const rest = text.slice(dec.end);
        const wall = readDmesgWall(rest, ctx.tz);
        if (wall) return emit({ time: wall.time, message: rest.slice(wall.end), level: dec.level }, text, lineNo);
        return emit(body(rest, NaN, dec.level), text, lineNo);
      }
    }
    const h = parseSyslogHeader(text, ctx.tz, ctx.referenceTime);
    if (h) {
      sawPrefixed = true;
      // kern.log and /var/log/messages mix in other daemons' lines: syslog lines, not ours to analyse
      if (h.tag !== 'kernel') return LineResult.Ignored;
      const level = h.pri >= 0 && h.pri < 8 ? LEVELS[h.pri] : undefined;
      return emit(body(text.slice(h.msgStart), h.time, level, h.host), text, lineNo);
    }
    if (isDumpLine(text)) return LineResult.Ignored;
    // dmesg --notime / stripped kmsg: nothing but the message, accepted while no prefixed line said otherwise;
    // as a fallback for another family's input only when the text is unmistakably the kernel's
    if (sawPrefixed || (ctx.fallback && !looksKernel(text))) return LineResult.Unrecognized;
    return emit({ time: NaN, message: text }, text, lineNo);
  }

  function wrapped(message: string, lineNo: number, info: WrapperInfo): LineResult {
    if (message.trim() === '') return LineResult.Ignored;
    return emit(body(message, info.time, undefined, info.host), message, lineNo);
  }

  return { line, wrapped, flush() {} };
}

export const kernel: LogFormat = {
  id: 'kernel',
  title: 'Linux kernel log (dmesg, kern.log, /dev/kmsg)',
  sniff,
  createParser,
};
