// Test-local record builders: turn a sample line into an EventRecord the way the format parsers do
// (formats/types.ts message conventions), without importing the parsers, which are written in parallel.
import type { EventRecord, StackFrame } from '../../src/formats/types.js';

type Family = EventRecord['family'];

function base(family: Family, raw: string): EventRecord {
  return { kind: 'event', family, time: Number.NaN, message: '', origin: { source: 'sample.log', line: 1 }, raw };
}

const NGINX_PREFIX = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[([a-z]+)\] (\d+)#(\d+): (?:\*(\d+) )?([\s\S]*)$/;
const NGINX_ACTIONS = [
  'connecting to upstream', 'sending request to upstream', 'reading response header from upstream', 'reading upstream',
  'sending to client', 'SSL handshaking to upstream', 'proxying upgraded connection', 'reading client request line',
  'reading client request headers', 'reading client pipelined request line', 'reading client request', 'SSL handshaking',
  'reading PROXY protocol', 'waiting for request', 'keepalive', 'closing request', 'logging request',
  'sending response to client', 'processing HTTP/2 connection', 'resolving',
];

function quoted(ctx: string, key: string): string | undefined {
  const at = ctx.indexOf(`, ${key}: "`);
  if (at < 0) return undefined;
  const start = at + key.length + 5;
  const keys = [', upstream: "', ', host: "', ', referrer: "', ', subrequest: "'];
  let end = ctx.length;
  for (const k of keys) {
    const i = ctx.indexOf(k, start);
    if (i >= 0 && i < end) end = i;
  }
  return ctx.slice(start, end).replace(/"$/, '');
}

export function nginxRecord(raw: string): EventRecord {
  const r = base('nginx-error', raw);
  const m = NGINX_PREFIX.exec(raw);
  if (!m) throw new Error(`not an nginx error line: ${raw}`);
  r.level = m[7];
  r.pid = Number(m[8]);
  if (m[10]) r.connection = Number(m[10]);
  let body = m[11] ?? '';
  const client = body.lastIndexOf(', client: ');
  if (client >= 0) {
    const ctx = body.slice(client);
    body = body.slice(0, client);
    const c = /^, client: ([^,]+)(?:, server: ([^,]*))?/.exec(ctx);
    if (c) {
      r.client = c[1];
      if (c[2] !== undefined) r.server = c[2];
    }
    r.request = quoted(ctx, 'request');
    r.upstream = quoted(ctx, 'upstream');
    r.vhost = quoted(ctx, 'host');
    r.referrer = quoted(ctx, 'referrer');
  }
  for (const a of NGINX_ACTIONS) {
    if (body.endsWith(` while ${a}`)) {
      r.action = a;
      body = body.slice(0, -(a.length + 7));
      break;
    }
  }
  const acc = / while (accepting new connection on \S+)$/.exec(body);
  if (acc?.[1]) {
    r.action = acc[1];
    body = body.slice(0, acc.index);
  }
  const e = / \((\d+): ([^)]*)\)/.exec(body);
  if (e) {
    r.errno = Number(e[1]);
    r.errnoText = e[2];
  }
  r.message = body;
  return r;
}

const APACHE_PREFIX =
  /^\[(?:(\w{3}) (\w{3}) (\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))? (\d{4})|(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?(?: ([+-]\d{4}))?)\] \[([^:\]]*):([a-z]+\d?)\] \[pid (\d+)(?::tid (\d+))?\] (?:(\S+\(\d+\)): )?(?:\(((?:EAI |OS |os 0x)?-?[0-9a-fA-F]+)\)([^:]*): )?(?:\[(client|remote) ([^\]]+)\] )?(?:(AH\d{5}): )?([\s\S]*?)(?:, referer: ([\s\S]*))?$/;

export function apacheRecord(raw: string): EventRecord {
  const r = base('apache-error', raw);
  const m = APACHE_PREFIX.exec(raw);
  if (!m) throw new Error(`not an Apache error line: ${raw}`);
  r.module = m[17];
  r.level = m[18];
  r.pid = Number(m[19]);
  if (m[22] && /^\d+$/.test(m[22])) r.errno = Number(m[22]);
  if (m[23]) r.errnoText = m[23];
  if (m[24] === 'client' && m[25]) {
    const colon = m[25].lastIndexOf(':');
    r.client = colon > 0 ? m[25].slice(0, colon) : m[25];
    if (colon > 0) r.clientPort = Number(m[25].slice(colon + 1));
  }
  r.ahCode = m[26];
  r.message = (m[26] ? `${m[26]}: ` : '') + (m[27] ?? '');
  if (m[28]) r.referrer = m[28];
  return r;
}

const FPM_PREFIX = /^\[(\d{2})-([A-Z][a-z]{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?\] (DEBUG|NOTICE|WARNING|ERROR|ALERT): (?:pid (\d+), )?(?:(\w+)\(\), line (\d+): )?([\s\S]*)$/;
const FPM_BARE = /^(DEBUG|NOTICE|WARNING|ERROR|ALERT): ([\s\S]*)$/;
const SYSTEMD_UNIT = /^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \S+ systemd\[\d+\]: ([\s\S]*)$/;
const FPM_LEVEL: Record<string, string> = { DEBUG: 'debug', NOTICE: 'notice', WARNING: 'warn', ERROR: 'error', ALERT: 'alert' };

export function fpmRecord(raw: string): EventRecord {
  const r = base('php-fpm', raw);
  const m = FPM_PREFIX.exec(raw);
  let level: string | undefined;
  let msg: string;
  if (m) {
    level = m[8];
    msg = m[12] ?? '';
  } else {
    const b = FPM_BARE.exec(raw);
    // systemd's unit lines, which the syslog/journald wrappers route to the php-fpm family as they are
    const unit = SYSTEMD_UNIT.exec(raw);
    if (b) {
      level = b[1];
      msg = b[2] ?? '';
    } else if (unit) {
      level = 'NOTICE';
      msg = unit[1] ?? '';
    } else {
      throw new Error(`not an FPM line: ${raw}`);
    }
  }
  r.level = level ? FPM_LEVEL[level] : undefined;
  r.message = msg;
  const pool = /^\[pool ([^\]]+)\] /.exec(msg);
  if (pool) r.pool = pool[1];
  const child = /^\[pool [^\]]+\] child (\d+)/.exec(msg);
  if (child) r.childPid = Number(child[1]);
  const sys = /: ([^:(]+) \((\d+)\)$/.exec(msg);
  if (sys) {
    r.errno = Number(sys[2]);
    r.errnoText = sys[1];
  }
  return r;
}

export function slowRecord(raw: string): EventRecord {
  const r = base('php-fpm-slow', raw);
  const lines = raw.split('\n');
  const h = /^\[[^\]]+\]\s+\[pool ([^\]]+)\] pid (\d+)$/.exec(lines[0] ?? '');
  if (!h) throw new Error(`not a slow-log entry: ${raw}`);
  r.pool = h[1];
  r.childPid = Number(h[2]);
  const frames: StackFrame[] = [];
  for (const l of lines.slice(1)) {
    const s = /^script_filename = (.*)$/.exec(l);
    if (s) {
      r.script = s[1];
      continue;
    }
    const f = /^\[0x[0-9a-f]+\] (.+?)\(\) (.*):(\d+)$/.exec(l);
    if (f?.[1] && f[2]) frames.push({ fn: f[1], file: f[2], line: Number(f[3]) });
  }
  r.frames = frames;
  r.message = r.script ?? '';
  return r;
}

const PHP_PREFIX = /^\[(\d{2})-([A-Z][a-z]{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([^\]]+)\] ([\s\S]*)$/;

export function phpRecord(raw: string): EventRecord {
  const r = base('php-error', raw);
  const m = PHP_PREFIX.exec(raw);
  if (!m) throw new Error(`not a PHP error-log line: ${raw}`);
  const [first, ...trace] = (m[8] ?? '').split('\n');
  r.message = first ?? '';
  if (trace.length) r.trace = trace;
  const lvl = /^PHP ([A-Za-z ]+?):  /.exec(r.message);
  if (lvl) r.phpLevel = lvl[1];
  const loc = / in (\S+) on line (\d+)$/.exec(r.message);
  if (loc) {
    r.file = loc[1];
    r.fileLine = Number(loc[2]);
  }
  return r;
}

/** Kernel (and systemd) lines in rsyslog form: the wrapper, 'kernel: ' and the monotonic stamp go. */
export function kernelRecord(raw: string): EventRecord {
  const r = base('kernel', raw);
  const m = /^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} (\S+) ([^:\s]+): (?:\[\s*(\d+\.\d+)\] )?([\s\S]*)$/.exec(raw);
  if (!m) throw new Error(`not a kernel line: ${raw}`);
  r.host = m[1];
  if (m[3]) r.monotonic = Number(m[3]);
  r.message = m[4] ?? '';
  return r;
}

export function recordOf(family: Family, raw: string): EventRecord {
  switch (family) {
    case 'nginx-error':
      return nginxRecord(raw);
    case 'apache-error':
      return apacheRecord(raw);
    case 'php-fpm':
      return fpmRecord(raw);
    case 'php-fpm-slow':
      return slowRecord(raw);
    case 'php-error':
      return phpRecord(raw);
    case 'kernel':
      return kernelRecord(raw);
  }
}
