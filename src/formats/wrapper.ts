// The wrapper machinery shared by syslog and journald: route a peeled message to the family that wrote it,
// feed it to a lazily created inner parser, and complete the inner record from the wrapper's header.
// The factories take their inner formats as a parameter so they can be tested with stubs; syslog.ts and
// journald.ts wire them to the real families.
import type { EventRecord, LineParser, LogFormat, LogRecord, ParseContext, WrapperInfo } from './types.js';
import { LineResult } from './types.js';
import { isJournalMarker, parseSyslogHeader } from './syslog-header.js';
import { digits, monthAt } from '../time/stamps.js';

export type InnerId = 'nginx-error' | 'nginx-access' | 'apache-error' | 'php-fpm' | 'php-error' | 'kernel';
export type InnerFormats = Partial<Record<InnerId, LogFormat>>;

/** Who wrote a message, as far as the wrapper can tell. 'nginx' is split into error/access by the message. */
export type Route = 'nginx' | 'apache-error' | 'php-fpm' | 'php-error' | 'kernel' | 'systemd';

const RAW_CAP = 4096;
const PENDING_CAP = 64;

function cap(s: string): string {
  return s.length > RAW_CAP ? s.slice(0, RAW_CAP) : s;
}

function isFpmName(t: string): boolean {
  // 'php-fpm', 'php-fpm8.2' (the binary, journald _COMM), 'php8.2-fpm' (Debian unit and some idents), 'php-fpm82'
  if (t.startsWith('php-fpm')) return true;
  if (!t.startsWith('php')) return false;
  let k = 3;
  while (k < t.length) {
    const c = t.charCodeAt(k);
    if ((c >= 48 && c <= 57) || c === 46) k++;
    else break;
  }
  return t.startsWith('-fpm', k);
}

/** Tag (RFC 3164 tag, RFC 5424 APP-NAME, journald SYSLOG_IDENTIFIER/_COMM) → route; undefined for others. */
export function routeTag(tag: string): Route | undefined {
  // 'httpd/backend1' and 'nginx/site' are custom idents of the same server: the part before '/' decides
  const slash = tag.indexOf('/');
  const t = (slash > 0 ? tag.slice(0, slash) : tag).toLowerCase();
  if (t === 'kernel') return 'kernel';
  if (t === 'systemd') return 'systemd';
  if (t.startsWith('nginx')) return 'nginx';
  if (t === 'apache2' || t === 'httpd' || t === 'apache' || t.startsWith('httpd-') || t.startsWith('apache2-')) {
    return 'apache-error';
  }
  if (isFpmName(t)) return 'php-fpm';
  // PHP's syslog ident is 'php' (syslog.ident); 'php8.2' is the CLI binary as journald names it.
  // 'phpMyAdmin' and friends are applications, not PHP's error log.
  if (t === 'php' || (t.startsWith('php') && /^php\d[\d.]{0,8}$/.test(t))) return 'php-error';
  return undefined;
}

/** systemd unit ('php8.2-fpm.service', 'nginx.service', 'apache2.service', 'httpd@x.service') → route. */
export function routeUnit(unit: string): Route | undefined {
  const dot = unit.lastIndexOf('.');
  let name = (dot > 0 ? unit.slice(0, dot) : unit).toLowerCase();
  const at = name.indexOf('@');
  if (at > 0) name = name.slice(0, at);
  if (name === 'nginx' || name.startsWith('nginx-')) return 'nginx';
  if (name === 'apache2' || name === 'httpd' || name === 'apache' || name.startsWith('apache2-')) return 'apache-error';
  if (isFpmName(name)) return 'php-fpm';
  return undefined;
}

/** '2026/01/12 10:00:01 ' */
function isNginxErrorStamp(m: string): boolean {
  return digits(m, 0, 4) >= 0 && m.charCodeAt(4) === 47 && m.charCodeAt(7) === 47 && m.charCodeAt(10) === 32;
}

/** '[12-Jan-2026 ' (FPM and PHP error log native lines, e.g. FPM error_log to stderr captured by journald) */
function isDmyBracket(m: string): boolean {
  return m.charCodeAt(0) === 91 && digits(m, 1, 2) >= 0 && m.charCodeAt(3) === 45 && monthAt(m, 4) > 0;
}

/** '[Mon Jan 12 ' or '[2026-01-12 ' (Apache native line, e.g. ErrorLog to stderr captured by journald) */
function isApacheStamp(m: string): boolean {
  if (m.charCodeAt(0) !== 91) return false;
  if (m.charCodeAt(4) === 32 && monthAt(m, 5) > 0) return true;
  return digits(m, 1, 4) >= 0 && m.charCodeAt(5) === 45;
}

const NGINX_LEVELS = new Set(['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug']);
const LIFECYCLE = /^(?:Starting|Started|Stopping|Stopped|Reloading|Reloaded|Restarting) /;

/** The family a systemd line about a unit belongs to, from the unit name or, failing that, its description. */
function systemdFamily(message: string, unit: string | undefined): EventRecord['family'] | undefined {
  let u = unit;
  let lifecycle = false;
  const verb = LIFECYCLE.exec(message);
  if (verb) {
    lifecycle = true;
    // systemd ≥ 249 writes 'Started nginx.service - A high performance web server…'
    const subjectEnd = message.indexOf(' ', verb[0].length);
    const subject = message.slice(verb[0].length, subjectEnd < 0 ? message.length : subjectEnd);
    if (u === undefined && /\.(?:service|socket)\.?$/.test(subject)) u = subject.replace(/\.$/, '');
  } else if (u === undefined) {
    const colon = message.indexOf(': ');
    if (colon > 0 && colon < 128) {
      const head = message.slice(0, colon);
      if (head.endsWith('.service') || head.endsWith('.socket')) u = head;
    }
  }
  let route: Route | undefined;
  if (u !== undefined && u !== '' && u !== 'init.scope') {
    route = routeUnit(u);
  } else if (lifecycle) {
    // older systemd names the unit only by its Description
    if (message.includes('FastCGI Process Manager') || /php[\d.]*-fpm/i.test(message)) route = 'php-fpm';
    else if (/nginx|reverse proxy server/i.test(message)) route = 'nginx';
    else if (/Apache|httpd/.test(message)) route = 'apache-error';
  }
  if (route === 'nginx') return 'nginx-error';
  if (route === 'apache-error' || route === 'php-fpm') return route;
  return undefined;
}

export interface Router {
  /** Feeds a peeled message; later physical lines of the same message (journald MESSAGE with '\n') in `more`. */
  dispatch(route: Route, message: string, lineNo: number, info: WrapperInfo, full: string, unit?: string): LineResult;
  /** Continuation segments of a multi-line message, to the parser the last dispatch used. */
  more(segment: string, lineNo: number, info: WrapperInfo): void;
  flush(): void;
}

interface Pending {
  info: WrapperInfo;
  message: string;
  full: string;
}

export function createRouter(ctx: ParseContext, inner: InnerFormats): Router {
  const parsers = new Map<InnerId, LineParser>();
  /** header data of lines that started an inner record, by line number, until the record is emitted */
  const pending = new Map<number, Pending>();
  let lastId: InnerId | undefined;

  function complete(r: LogRecord): void {
    const p = pending.get(r.origin.line);
    if (p) {
      const { info } = p;
      if (r.host === undefined && info.host !== undefined) r.host = info.host;
      // the inner stamp wins (nginx keeps its own, with the year); the header fills the gaps (FPM, PHP, Apache)
      if (Number.isNaN(r.time)) r.time = info.time;
      if (r.kind === 'event' && r.pid === undefined && info.pid !== undefined && r.family !== 'kernel') r.pid = info.pid;
      if (r.raw === p.message) r.raw = cap(p.full);
    }
    ctx.emit(r);
  }

  const innerCtx: ParseContext = { ...ctx, emit: complete };

  function parserFor(id: InnerId): LineParser | undefined {
    let p = parsers.get(id);
    if (!p) {
      const f = inner[id];
      if (!f) return undefined;
      p = f.createParser(innerCtx);
      parsers.set(id, p);
    }
    return p;
  }

  function event(family: EventRecord['family'], message: string, level: string | undefined, lineNo: number, info: WrapperInfo, full: string): LineResult {
    const r: EventRecord = {
      kind: 'event',
      family,
      time: info.time,
      message,
      origin: { source: ctx.source, line: lineNo },
      raw: cap(full),
    };
    if (level !== undefined) r.level = level;
    if (info.host !== undefined) r.host = info.host;
    ctx.emit(r);
    return LineResult.Record;
  }

  /**
   * systemd's notes about our units. The OOM note ('A process of this unit has been killed by the OOM killer.',
   * "Failed with result 'oom-kill'.") becomes a kernel-family event for any unit, because the kernel kill
   * it echoes matters for every service (a killed mysqld explains 500s too). Lifecycle and status lines
   * (Started/Stopping…, 'Main process exited, code=killed') become events of the unit's own family
   * (php-fpm, nginx-error, apache-error) with the message as is, so restart windows sit beside that
   * family's own start/stop lines. Everything else systemd says is ignored.
   */
  function systemd(message: string, unit: string | undefined, lineNo: number, info: WrapperInfo, full: string): LineResult {
    if (message.includes('killed by the OOM killer') || message.includes("result 'oom-kill'")) {
      return event('kernel', message, 'error', lineNo, info, full);
    }
    const family = systemdFamily(message, unit);
    if (!family) return LineResult.Ignored;
    const bad = message.includes('Failed') || message.includes('code=killed') || message.includes('code=dumped');
    return event(family, message, bad ? 'error' : 'notice', lineNo, info, full);
  }

  function feed(id: InnerId, native: boolean, message: string, lineNo: number, info: WrapperInfo, full: string): LineResult {
    const p = parserFor(id);
    if (!p) return LineResult.Ignored;
    lastId = id;
    pending.set(lineNo, { info, message, full });
    const r = !native && p.wrapped ? p.wrapped(message, lineNo, info) : p.line(message, lineNo);
    if (r !== LineResult.Record) pending.delete(lineNo);
    if (pending.size > PENDING_CAP) {
      // records are emitted at the latest when the next entry of the same family starts; older ones are done
      const oldest = pending.keys().next();
      if (!oldest.done) pending.delete(oldest.value);
    }
    return r;
  }

  function dispatch(route: Route, message: string, lineNo: number, info: WrapperInfo, full: string, unit?: string): LineResult {
    lastId = undefined;
    switch (route) {
      case 'systemd':
        return systemd(message, unit, lineNo, info, full);
      case 'nginx': {
        if (isNginxErrorStamp(message)) return feed('nginx-error', true, message, lineNo, info, full);
        // startup errors on stderr, captured by journald: 'nginx: [emerg] host not found in upstream …'
        if (message.startsWith('nginx: [')) {
          const close = message.indexOf('] ', 8);
          const level = close > 0 ? message.slice(8, close) : '';
          if (NGINX_LEVELS.has(level)) return event('nginx-error', message.slice(close + 2), level, lineNo, info, full);
        }
        return feed('nginx-access', true, message, lineNo, info, full);
      }
      case 'apache-error':
        return feed('apache-error', isApacheStamp(message), message, lineNo, info, full);
      case 'php-fpm':
        return feed('php-fpm', isDmyBracket(message), message, lineNo, info, full);
      case 'php-error':
        return feed('php-error', isDmyBracket(message), message, lineNo, info, full);
      case 'kernel':
        return feed('kernel', false, message, lineNo, info, full);
    }
  }

  function more(segment: string, lineNo: number, info: WrapperInfo): void {
    if (lastId === undefined || segment === '') return;
    const p = parsers.get(lastId);
    if (!p) return;
    // kernel and PHP (syslog.filter) write one message per line: each segment stands alone
    if ((lastId === 'kernel' || lastId === 'php-error') && p.wrapped) p.wrapped(segment, lineNo, info);
    else p.line(segment, lineNo);
  }

  function flush(): void {
    for (const p of parsers.values()) p.flush();
    pending.clear();
  }

  return { dispatch, more, flush };
}

// ---- syslog ----

/**
 * A message that carries a second header of the same sender ('host nginx[23141]: host nginx: 2025/09/07 …',
 * seen when a syslog line is relayed through journald or a second syslogd): drop the inner copy.
 */
function peelNested(message: string, info: WrapperInfo): string {
  const host = info.host;
  if (host === undefined || host === '' || !message.startsWith(host) || message.charCodeAt(host.length) !== 32) return message;
  const rest = message.slice(host.length + 1);
  const tag = info.tag;
  if (tag === '' || !rest.startsWith(tag)) return message;
  const c = rest.charCodeAt(tag.length);
  if (c === 58 && rest.charCodeAt(tag.length + 1) === 32) return rest.slice(tag.length + 2);
  if (c === 91) {
    const k = rest.indexOf(']: ', tag.length);
    if (k > 0 && k - tag.length <= 12) return rest.slice(k + 3);
  }
  return message;
}

/** syslogd's own lines, which carry no tag: '--- last message repeated 3 times ---', '-- MARK --'. */
const UNTAGGED_SYSLOG = /^(?:-{2,3} )?(?:last message repeated \d+ times?|MARK)(?: -{2,3})?\s*$|^message repeated \d+ times: /;
/**
 * …and tags the header reader did not take: 'syslogd 1.4.1: restart.', '[CLOUDINIT] util.py[DEBUG]: …',
 * 'Setup Assistant[1173]: …', 'com.apple.xpc.launchd[1] (…)': at most three unquoted words, then ':'.
 */
const LOOSE_TAG = /^[^\s"]{1,64}(?: [^\s"]{1,64}){0,2}: |^[^\s"]{1,64}\[\d{1,10}\] \(/;

/** A header without 'tag:' is still syslog when the rest is syslogd's own line or a tag the reader did not take. */
function untaggedSyslog(rest: string): boolean {
  return UNTAGGED_SYSLOG.test(rest) || LOOSE_TAG.test(rest);
}

function syslogSniff(lines: readonly string[]): number {
  if (lines.length === 0) return 0;
  const ref = Date.now();
  let sum = 0;
  for (const s of lines) {
    const h = parseSyslogHeader(s, 'UTC', ref, true);
    if (h) {
      if (h.form === 'untimed') sum += 0.5;
      else if (h.pri >= 0 || h.tagged) sum += 0.95;
      else if (untaggedSyslog(s.slice(h.msgStart))) sum += 0.7;
    } else if (isJournalMarker(s)) {
      sum += 0.9;
    }
  }
  return sum / lines.length;
}

export function createSyslogFormat(inner: InnerFormats): LogFormat {
  return {
    id: 'syslog',
    title: 'syslog (RFC 3164 / RFC 5424 / rsyslog files) wrapping nginx, Apache, PHP-FPM, PHP and kernel messages',
    sniff: syslogSniff,
    createParser(ctx: ParseContext): LineParser {
      const router = createRouter(ctx, inner);
      return {
        line(text: string, lineNo: number): LineResult {
          if (text.trim() === '') return LineResult.Ignored;
          const h = parseSyslogHeader(text, ctx.tz, ctx.referenceTime, true);
          if (!h) return isJournalMarker(text) ? LineResult.Ignored : LineResult.Unrecognized;
          // a stamp and a word but no 'tag:' is only syslog when it is one of syslogd's own untagged lines;
          // anything else (an ISO-stamped access log, say) is not ours to swallow silently
          if (!h.tagged) {
            // h.tag set without a colon: 'com.apple.xpc.launchd[1] (…)', a tag the header reader recognised
            return h.tag !== '' || untaggedSyslog(text.slice(h.msgStart)) ? LineResult.Ignored : LineResult.Unrecognized;
          }
          const route = routeTag(h.tag);
          if (!route) return LineResult.Ignored;
          const info: WrapperInfo = { time: h.time, tag: h.tag };
          if (h.host !== undefined) info.host = h.host;
          if (h.pid !== undefined) info.pid = h.pid;
          return router.dispatch(route, peelNested(text.slice(h.msgStart), info), lineNo, info, text);
        },
        flush(): void {
          router.flush();
        },
      };
    },
  };
}

// ---- journald ----

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  // a field set more than once is an array of its values
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** MESSAGE: a string, or an array of byte values when it was not valid UTF-8 (journalctl -o json). */
export function journalText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v) || v.length === 0) return undefined;
  if (typeof v[0] === 'string') return v[0];
  const bytes = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const b: unknown = v[i];
    if (typeof b !== 'number' || b < 0 || b > 255) return undefined;
    bytes[i] = b;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

function journaldSniff(lines: readonly string[]): number {
  if (lines.length === 0) return 0;
  let sum = 0;
  for (const s of lines) {
    const t = s.trimStart();
    if (t.charCodeAt(0) !== 123) continue;
    if (t.includes('"__REALTIME_TIMESTAMP"') || t.includes('"__CURSOR"')) sum += 1;
    else if (t.includes('"MESSAGE"') && (t.includes('"_HOSTNAME"') || t.includes('"SYSLOG_IDENTIFIER"'))) sum += 0.9;
  }
  return sum / lines.length;
}

export function createJournaldFormat(inner: InnerFormats): LogFormat {
  return {
    id: 'journald',
    title: 'systemd journal as JSON (journalctl -o json)',
    sniff: journaldSniff,
    createParser(ctx: ParseContext): LineParser {
      const router = createRouter(ctx, inner);
      return {
        line(text: string, lineNo: number): LineResult {
          const t = text.trim();
          if (t === '') return LineResult.Ignored;
          if (t.charCodeAt(0) !== 123) return LineResult.Unrecognized;
          let parsed: unknown;
          try {
            parsed = JSON.parse(t);
          } catch {
            return LineResult.Unrecognized;
          }
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return LineResult.Unrecognized;
          const o = parsed as Record<string, unknown>;
          const message = journalText(o['MESSAGE']);
          // journalctl writes null for fields over its size limit; an entry without a message says nothing
          if (message === undefined) return LineResult.Ignored;
          const rt = str(o['__REALTIME_TIMESTAMP']);
          const time = rt !== undefined && /^\d{1,19}$/.test(rt) ? Math.floor(Number(rt) / 1000) : NaN;
          const ident = str(o['SYSLOG_IDENTIFIER']) ?? str(o['_COMM']) ?? '';
          const info: WrapperInfo = { time, tag: ident };
          const host = str(o['_HOSTNAME']);
          if (host !== undefined) info.host = host;
          const pidText = str(o['_PID']) ?? str(o['SYSLOG_PID']);
          if (pidText !== undefined && /^\d{1,10}$/.test(pidText)) info.pid = Number(pidText);

          let route: Route | undefined;
          let unit: string | undefined;
          if (str(o['_TRANSPORT']) === 'kernel' || ident === 'kernel') {
            route = 'kernel';
            info.tag = 'kernel';
            delete info.pid;
          } else if (ident === 'systemd' || (str(o['_COMM']) === 'systemd' && info.pid === 1)) {
            route = 'systemd';
            unit = str(o['UNIT']) ?? str(o['USER_UNIT']);
          } else {
            route = routeTag(ident);
            if (route === 'systemd') route = undefined;
            if (!route) {
              const u = str(o['_SYSTEMD_UNIT']);
              if (u !== undefined) route = routeUnit(u);
            }
          }
          if (!route) return LineResult.Ignored;

          // raw stays the message: the JSON around it is noise as evidence
          const nl = message.indexOf('\n');
          if (nl < 0) return router.dispatch(route, message, lineNo, info, message, unit);
          const segments = message.split('\n');
          const first = segments[0] ?? '';
          const r = router.dispatch(route, first, lineNo, info, first, unit);
          for (let i = 1; i < segments.length; i++) router.more(segments[i] ?? '', lineNo, info);
          return r;
        },
        flush(): void {
          router.flush();
        },
      };
    },
  };
}
