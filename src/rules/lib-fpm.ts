// Shared analysis for the FPM group of rules (signatures.md §5.1–§5.10, §5.27, §5.28). The same 502
// "upstream prematurely closed connection" can be an OOM kill, a segfault, request_terminate_timeout, a PHP
// hard timeout or a reload; the rules that name those causes and the residual upstream-reset must agree on
// which close each worker death explains, so the §5.27 decision table is evaluated once per diagnosis here
// and every rule reads its own rows from the result.
import { clientKey, type DiagnoseContext } from '../diagnose/context.js';
import type { ErrorRequest } from '../digest/digest.js';
import type { Signal } from '../signals/types.js';
import type { Claim, JoinKind } from './types.js';

const SEC = 1000;
/** W-PID: kernel kill ↔ FPM exit of the same pid (kernel first, FPM up to ~1 s later). */
export const W_PID_MS = 2 * SEC;
/** W-CLOSE: FPM worker exit ↔ proxy close/reset. */
export const W_CLOSE_MS = 2 * SEC;
/** W-TERM: F-TERMINATE ↔ F-EXIT SIGTERM of the same pid. */
export const W_TERM_MS = 2 * SEC;
/** W-RESTART without a 'ready' line. */
const RESTART_NO_READY_MS = 30 * SEC;
/** Lifecycle lines further apart than this belong to different restarts. */
const RESTART_GAP_MS = 30 * SEC;
/** A failure faster than this never reached PHP (X-502-FAST). */
export const FAST_FAILURE_S = 0.05;

// ------------------------------------------------------------------------------------------ small helpers

/** Signals that name the FPM binary (kernel comm is the 15-char binary name: php-fpm, php-fpm8.2, php-fpm82). */
export function isPhpComm(comm: string | undefined): boolean {
  return comm !== undefined && /^php/i.test(comm);
}

export function isDbComm(comm: string | undefined): boolean {
  return comm !== undefined && /^(mysqld|mariadbd|postgres|postmaster)$/.test(comm);
}

export function isWebComm(comm: string | undefined): boolean {
  return comm !== undefined && /^(nginx|apache2|httpd)$/.test(comm);
}

/** When the request ended (nginx stamps the end, Apache the start). */
export function endOf(e: ErrorRequest): number {
  return e.timeIsStart ? e.time + (e.requestTime ?? 0) * SEC : e.time;
}

/** When the request started, or undefined when the access log has no duration. */
export function startOf(e: ErrorRequest): number | undefined {
  if (e.timeIsStart) return e.time;
  return e.requestTime !== undefined ? e.time - e.requestTime * SEC : undefined;
}

/** The last $upstream_response_time, when logged. */
export function upstreamSeconds(e: ErrorRequest): number | undefined {
  const u = e.upstreamResponseTime;
  if (!u) return undefined;
  for (let i = u.length - 1; i >= 0; i--) {
    const v = u[i];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}

/** The error-log family that would hold request-scoped lines for this access record. */
export function errorFamilyOf(e: ErrorRequest): 'nginx-error' | 'apache-error' {
  return e.family === 'apache-access' ? 'apache-error' : 'nginx-error';
}

/** Whether a family's records were read and their time range includes t (± slack). */
export function covers(ctx: DiagnoseContext, family: string, t: number, slackMs = 60 * SEC): boolean {
  const c = ctx.coverage(family);
  return c !== undefined && t >= c.from - slackMs && t <= c.to + slackMs;
}

/** Seconds as text for notes: '3.2 s', '41 s'. */
export function secs(n: number): string {
  return n < 10 ? `${Math.round(n * 10) / 10} s` : `${Math.round(n)} s`;
}

export function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${Math.round((bytes / 1024 ** 3) * 10) / 10} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

/** Keeps the highest claim per 5xx. */
export function mergeClaims(claims: readonly Claim[]): Claim[] {
  // already one claim per 5xx in order (the usual case): nothing to merge, no copy of a list as long as the 5xx
  let ordered = true;
  for (let k = 1; k < claims.length && ordered; k++) ordered = (claims[k - 1] as Claim).error < (claims[k] as Claim).error;
  if (ordered) return claims as Claim[];
  // by 5xx, strongest first; the sort is stable, so of equal claims the first given stays first and wins
  const sorted = [...claims].sort((a, b) => a.error - b.error || b.confidence - a.confidence);
  const out: Claim[] = [];
  for (const c of sorted) if (out.length === 0 || (out[out.length - 1] as Claim).error !== c.error) out.push(c);
  return out;
}

export function claim(error: number, confidence: number, why: JoinKind, evidence?: Signal, via?: string): Claim {
  const c: Claim = { error, confidence: Math.round(confidence * 100) / 100, why };
  if (evidence) c.evidence = evidence;
  if (via) c.via = via;
  return c;
}

/** Most frequent value, ties broken by first appearance. */
export function dominant<T>(values: readonly T[]): { value: T; count: number } | undefined {
  const counts = new Map<T, number>();
  let best: { value: T; count: number } | undefined;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (!best || n > best.count) best = { value: v, count: n };
  }
  return best;
}

// ------------------------------------------------------------------------------------------ pools

/** FPM pools named anywhere in the FPM master or slow log. */
function poolsOf(ctx: DiagnoseContext): Set<string> {
  const pools = new Set<string>();
  for (const s of ctx.signals) if (s.keys.pool && (s.family === 'php-fpm' || s.family === 'php-fpm-slow')) pools.add(s.keys.pool);
  return pools;
}

/**
 * How well a pool matches an upstream (§5.0 "Joining a pool to an upstream"): 0 = it does (one pool, or the
 * socket name names it), 0.1 = unknown with several pools (join by time only, lower confidence), undefined =
 * the socket names another pool.
 */
export function poolPenalty(ctx: DiagnoseContext, pool: string | undefined, upstream: string | undefined): number | undefined {
  const pools = analysis(ctx).pools;
  if (pools.size <= 1 || !pool || !upstream) return pools.size <= 1 ? 0 : 0.1;
  const name = upstream.slice(upstream.lastIndexOf('/') + 1).replace(/\.sock$/, '');
  const mentioned = [...pools].filter((p) => name === p || name.endsWith(`-${p}`) || name.startsWith(`${p}-`) || name.includes(`-${p}-`));
  if (mentioned.includes(pool)) return 0;
  if (mentioned.length > 0) return undefined;
  // the distribution's default socket (php8.2-fpm.sock) belongs to the default pool
  if (/^php[\d.]*-fpm$/.test(name)) return pool === 'www' ? 0 : pools.has('www') ? undefined : 0.1;
  return 0.1;
}

// ------------------------------------------------------------------------------------------ proxy-side symptoms

/** The proxy saw the backend go away before the response header: the §5.27 symptoms. */
export function isCloseSignal(s: Signal): boolean {
  const v = s.keys.variant;
  switch (s.sig) {
    case 'N-PREMATURE':
      return v === undefined || v === 'read' || v === 'send';
    case 'N-RECV':
      return (s.keys.errno === 104 || s.keys.errno === 32) && (v === undefined || v === 'read' || v === 'send');
    case 'A-FCGI':
      return v === 'header-read' || v === 'reset' || v === 'eof' || v === 'broken-pipe' || v === 'write-failed';
    case 'A-HTTP':
      return v === 'reset' || v === 'eof' || v === 'broken-pipe' || (v === 'body-failed' && s.keys.detail === 'reset');
    case 'A-MISC':
      return v === 'script-end';
    default:
      return false;
  }
}

export const CLOSE_SIGS = ['N-PREMATURE', 'N-RECV', 'A-FCGI', 'A-HTTP', 'A-MISC'] as const;

/** The symptom in words for `via` chains. */
export function symptomOf(s: Signal | undefined): string {
  if (!s) return '502 without an error line';
  switch (s.sig) {
    case 'N-PREMATURE':
      return 'upstream prematurely closed connection';
    case 'N-RECV':
      return `${s.keys.detail ?? 'recv'}() failed (${s.keys.errno ?? '?'}) from upstream`;
    case 'N-TIMEOUT':
      return `upstream timed out${s.keys.variant ? ` (${s.keys.variant})` : ''}`;
    case 'N-CONNECT':
      return `connect() failed (${s.keys.errno ?? '?'})`;
    case 'A-FCGI':
      return s.keys.variant === 'header-read'
        ? 'AH01067 Failed to read FastCGI header'
        : s.keys.variant === 'timeout'
          ? 'AH01075 FastCGI timeout (70007)'
          : `AH01075 dispatch error (${s.keys.variant ?? 'error'})`;
    case 'A-HTTP':
      return `mod_proxy_http ${s.keys.variant ?? 'error'}`;
    case 'A-MISC':
      return 'End of script output before headers';
    case 'A-CONNECT':
      return `Apache connect to backend failed${s.keys.errno !== undefined ? ` (${s.keys.errno})` : ''}`;
    default:
      return s.sig;
  }
}

/** Connect failures that mean "nobody listens" (refused, socket missing): the stop/start part of a restart. */
export function isRefusedConnect(s: Signal): boolean {
  return (s.sig === 'N-CONNECT' || s.sig === 'A-CONNECT') && (s.keys.errno === 111 || s.keys.errno === 2);
}

/** Connect failures with EAGAIN: the unix-socket listen backlog is full (Linux). */
export function isBacklogFull(s: Signal): boolean {
  return (s.sig === 'N-CONNECT' || s.sig === 'A-CONNECT') && s.keys.errno === 11;
}

/** The web server gave up waiting (nginx N-TIMEOUT before the header, Apache 70007). */
export function isTimeoutSignal(s: Signal): boolean {
  const v = s.keys.variant;
  if (s.sig === 'N-TIMEOUT') return v === undefined || v === 'connect' || v === 'send' || v === 'read';
  if (s.sig === 'A-FCGI' || s.sig === 'A-HTTP') return v === 'timeout' || s.keys.errno === 70007;
  if (s.sig === 'A-CONNECT') return s.keys.errno === 110 || s.keys.errno === 70007;
  return false;
}

// ------------------------------------------------------------------------------------------ the analysis

/** A 5xx whose backend went away mid-request. */
export interface Victim {
  error: number;
  /** the proxy-side line joined to the request, absent when the error log does not cover it */
  close?: Signal;
  /** when the backend went away (the close line, else the end of the request) */
  time: number;
  upstream?: string;
}

export type DeathKind =
  | 'oom'
  | 'oom-suspected'
  | 'crash'
  | 'external-sigkill'
  | 'external-sigterm'
  | 'exit-code'
  | 'terminate'
  | 'hard-timeout'
  | 'restart';

/** A worker that died (or was killed) while possibly serving a request. */
export interface Death {
  time: number;
  pid?: number;
  pool?: string;
  kind: DeathKind;
  /** §5.27 confidence for a close joined to this death by its own error line */
  confidence: number;
  variant: string;
  exit?: Signal;
  kernel?: Signal;
  terminate?: Signal;
  /** the kernel fault line (K-SEGV) that confirms a crash */
  fault?: Signal;
  /** a hard-timeout message from the worker */
  stderr?: Signal;
  missingSources?: string[];
  /** 'child 4711 SIGKILL ← kernel OOM kill' */
  label: string;
  victim?: Victim;
  victimConfidence?: number;
  victimWhy?: JoinKind;
}

export interface RestartWindow {
  from: number;
  to: number;
  /** 'reload' | 'restart' | 'stop' | 'emergency-reload' */
  variant: string;
  signals: Signal[];
  /** a start line follows the stop: the backend came back (otherwise upstream-down owns the refused connects) */
  restarted: boolean;
}

export interface FpmAnalysis {
  pools: Set<string>;
  /** request-scoped signal → the 5xx it belongs to (one request per 5xx, see joinRequests) */
  requestOf: Map<Signal, number>;
  /** error index → request-scoped signals joined to it (nginx/Apache error lines and the PHP messages they carry) */
  joined: Map<number, Signal[]>;
  victims: Victim[];
  deaths: Death[];
  restarts: RestartWindow[];
  /** victim error index → the death paired with it */
  deathOf: Map<number, Death>;
}

const cache = new WeakMap<DiagnoseContext, FpmAnalysis>();

export function analysis(ctx: DiagnoseContext): FpmAnalysis {
  let a = cache.get(ctx);
  if (!a) {
    a = analyse(ctx);
    cache.set(ctx, a);
  }
  return a;
}

function analyse(ctx: DiagnoseContext): FpmAnalysis {
  const pools = poolsOf(ctx);
  const a: FpmAnalysis = { pools, requestOf: new Map(), joined: new Map(), victims: [], deaths: [], restarts: [], deathOf: new Map() };
  cache.set(ctx, a); // poolPenalty reads pools while the rest is built

  joinRequests(ctx, a);

  a.restarts = restartWindows(ctx);
  a.deaths = deathsOf(ctx, a.restarts);
  // a 5xx without an error line of its own is only ever a death's or a restart's victim: listed when there is one
  a.victims = victimsOf(ctx, a.joined, a.deaths.length > 0 || a.restarts.length > 0);
  pairDeaths(ctx, a);
  return a;
}

const APACHE_THREAD = /\[pid (\d{1,10})(?::tid (\d{1,20}))?\]/;
const APACHE_CLIENT_PORT = /\[(?:client|remote) [^\]]{0,64}?:(\d{1,5})\]/;

/**
 * Request-scoped error lines → 5xx, one request per 5xx. ctx.sameRequest() returns the nearest 5xx with the
 * same client and request line, so a burst of identical requests (one client, one URL, one second: typical
 * of saturation) collapses onto a single 5xx. Here the lines of one request are grouped first (nginx
 * connection '*N'; Apache client port, plus the client-less line of the same pid:tid within 1 s such as
 * AH02454 before AH01079) and the groups are then assigned in time order to distinct 5xx.
 */
function joinRequests(ctx: DiagnoseContext, a: FpmAnalysis): void {
  interface Group { time: number; signals: Signal[]; apache: boolean; client: string; request?: string; thread?: string }
  const open = new Map<string, Group>();
  const groups: Group[] = [];
  const threadless: Signal[] = [];
  for (const s of ctx.signals) {
    if (s.time !== s.time) continue;
    if (s.family !== 'nginx-error' && s.family !== 'apache-error') continue;
    const apache = s.family === 'apache-error';
    if (!s.keys.client) {
      if (apache) threadless.push(s);
      continue;
    }
    if (!apache && !s.keys.request) continue;
    const thread = apache ? APACHE_THREAD.exec(s.text)?.slice(1).join(':') : undefined;
    const key = apache ? `a|${clientKey(s.keys.client)}|${APACHE_CLIENT_PORT.exec(s.text)?.[1] ?? thread ?? ''}` : `n|${s.keys.connection ?? ''}|${s.keys.client}|${s.keys.request}`;
    const g = open.get(key);
    // the same failure on the same server again is the connection's next request (keepalive), not a copy
    const repeat = !apache && g !== undefined && g.signals.some((x) => x.sig === s.sig && x.keys.upstreamKey === s.keys.upstreamKey);
    if (g && !repeat && s.time - g.time <= 60 * SEC && (g.signals[g.signals.length - 1]?.time ?? 0) >= s.time - 5 * SEC) {
      g.signals.push(s);
      continue;
    }
    const ng: Group = { time: s.time, signals: [s], apache, client: clientKey(s.keys.client) };
    if (s.keys.request) ng.request = s.keys.request;
    if (thread) ng.thread = thread;
    open.set(key, ng);
    groups.push(ng);
  }
  // AH02454/AH00957 carry the errno but no client; AH01079 of the same thread carries the client
  for (const s of threadless) {
    const thread = APACHE_THREAD.exec(s.text)?.slice(1).join(':');
    if (!thread) continue;
    let best: Group | undefined;
    for (const g of groups) {
      if (!g.apache || g.thread !== thread || Math.abs(g.time - s.time) > SEC) continue;
      if (!best || Math.abs(g.time - s.time) < Math.abs(best.time - s.time)) best = g;
    }
    if (best) best.signals.push(s);
  }
  const taken = new Set<number>();
  for (const g of groups) {
    if (g.request === undefined && !g.apache) continue;
    const cands = ctx.requestRows(g.client, g.request);
    let best: number | undefined;
    let bestD = Infinity;
    let shared: number | undefined;
    let sharedD = Infinity;
    for (const i of cands) {
      const e = ctx.errors.at(i);
      if (!e) continue;
      const [lo, hi] = ctx.requestSpan(e);
      if (g.time < lo || g.time > hi) continue;
      const d = Math.abs(endOf(e) - g.time);
      if (!taken.has(i) && d < bestD) {
        bestD = d;
        best = i;
      }
      if (d < sharedD) {
        sharedD = d;
        shared = i;
      }
    }
    const i = best ?? shared;
    if (i === undefined) continue;
    taken.add(i);
    let l = a.joined.get(i);
    if (!l) a.joined.set(i, (l = []));
    for (const s of g.signals) {
      l.push(s);
      a.requestOf.set(s, i);
    }
  }
}

function victimsOf(ctx: DiagnoseContext, joined: Map<number, Signal[]>, lineless: boolean): Victim[] {
  const out: Victim[] = [];
  for (let i = 0; i < ctx.errors.length; i++) {
    const status = ctx.errors.statusAt(i);
    if (status === 504 || status < 500) continue;
    const lines = joined.get(i);
    const close = lines?.find(isCloseSignal);
    // without a request-scoped line, only a 502/503, and only when the error log that would have one is not there to ask
    if (!close && (!lineless || (lines !== undefined && lines.length > 0) || (status !== 502 && status !== 503))) continue;
    // the status and the joins first: a row is made into an object only when it may be a victim
    const e = ctx.errors.at(i);
    if (!e) continue;
    if (close) {
      out.push({ error: i, close, time: close.time, upstream: close.keys.upstreamKey ?? ctx.upstreamOf(e) });
      continue;
    }
    if (covers(ctx, errorFamilyOf(e), endOf(e))) continue;
    const urt = upstreamSeconds(e);
    if (urt !== undefined && urt <= FAST_FAILURE_S) continue; // X-502-FAST: a connect failure, not a death
    out.push({ error: i, time: endOf(e), upstream: ctx.upstreamOf(e) });
  }
  return out.sort((x, y) => x.time - y.time);
}

function restartWindows(ctx: DiagnoseContext): RestartWindow[] {
  const lines = ctx.bySig('F-LIFECYCLE').filter((s) => s.time === s.time && s.keys.phase !== undefined && s.keys.variant !== 'bind-failed');
  const out: RestartWindow[] = [];
  let cur: Signal[] = [];
  const close = (): void => {
    if (cur.length === 0) return;
    const phases = new Set(cur.map((s) => s.keys.phase));
    const emergency = cur.some((s) => s.keys.variant === 'emergency-restart');
    const stops = phases.has('stop') || phases.has('exit');
    const reload = phases.has('reload');
    // a bare start (boot, or a master that had died) is not a restart window: the outage before it is
    // upstream-down's or the master OOM kill's
    if (!reload && !stops) {
      cur = [];
      return;
    }
    const first = cur[0] as Signal;
    const last = cur[cur.length - 1] as Signal;
    const ready = [...cur].reverse().find((s) => s.keys.phase === 'ready');
    const restarted = reload || phases.has('start') || phases.has('ready');
    const to = ready ? ready.time + 3 * SEC : restarted ? Math.max(last.time + 3 * SEC, first.time + RESTART_NO_READY_MS) : last.time + 3 * SEC;
    const variant = emergency ? 'emergency-reload' : reload ? 'reload' : restarted ? 'restart' : 'stop';
    out.push({ from: first.time - SEC, to, variant, signals: cur, restarted });
    cur = [];
  };
  for (const s of lines) {
    const prev = cur[cur.length - 1];
    if (prev && s.time - prev.time > RESTART_GAP_MS) close();
    // a new stop/reload after the window was complete (ready seen) starts a new window
    if (prev && prev.keys.phase === 'ready' && (s.keys.phase === 'stop' || s.keys.phase === 'reload' || s.keys.phase === 'exit')) close();
    cur.push(s);
  }
  close();
  return out;
}

export function restartAt(a: FpmAnalysis, t: number): RestartWindow | undefined {
  return a.restarts.find((w) => t >= w.from && t <= w.to);
}

/** Pids of FPM masters ('fpm is running, pid N'). */
export function masterPids(ctx: DiagnoseContext): Set<number> {
  const out = new Set<number>();
  for (const s of ctx.bySig('F-LIFECYCLE')) if (s.keys.phase === 'start' && s.keys.pid !== undefined) out.add(s.keys.pid);
  return out;
}

/** Kernel OOM kill lines (not the invoked/summary/reaper companions), plus systemd's unit-level line. */
export function oomKills(ctx: DiagnoseContext): Signal[] {
  return ctx.bySig('K-OOM').filter((s) => s.keys.variant === 'kill' || s.keys.variant === 'systemd');
}

/** First index of a time-sorted list whose time is ≥ t. */
export function lowerBound(list: readonly { time: number }[], t: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.time ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The signal of a time-sorted list nearest to t inside [t - before, t + after] that passes `pred`. */
function nearestIn(list: readonly Signal[], t: number, before: number, after: number, pred: (s: Signal) => boolean): Signal | undefined {
  let best: Signal | undefined;
  for (let k = lowerBound(list, t - before); k < list.length; k++) {
    const s = list[k] as Signal;
    if (s.time > t + after) break;
    if (!pred(s)) continue;
    if (!best || Math.abs(s.time - t) < Math.abs(best.time - t)) best = s;
  }
  return best;
}

const CRASH_VARIANT: Record<string, string> = {
  SIGSEGV: 'segv',
  SIGBUS: 'bus',
  SIGABRT: 'abort',
  SIGILL: 'illegal-instruction',
  SIGFPE: 'fpe',
  SIGSYS: 'bad-syscall',
  SIGTRAP: 'trap',
};

function deathsOf(ctx: DiagnoseContext, restarts: readonly RestartWindow[]): Death[] {
  const deaths: Death[] = [];
  const kills = oomKills(ctx);
  const faults = ctx.bySig('K-SEGV').filter((s) => isPhpComm(s.keys.comm));
  const terminates = ctx.bySig('F-TERMINATE');
  const hardTimeouts = ctx.bySig('P-MAXEXEC').filter((s) => s.keys.variant === 'hard');
  const usedKill = new Set<Signal>();
  const usedFault = new Set<Signal>();
  const usedTerm = new Set<Signal>();
  const usedHard = new Set<Signal>();
  const inRestart = (t: number): RestartWindow | undefined => restarts.find((w) => t >= w.from && t <= w.to);
  const kernelCovers = (t: number): boolean => covers(ctx, 'kernel', t, 2 * SEC);

  for (const exit of ctx.bySig('F-EXIT')) {
    const t = exit.time;
    const pid = exit.keys.pid;
    const pool = exit.keys.pool;
    const sig = exit.keys.signal;
    const code = exit.keys.exitCode;
    const base = { time: t, pid, pool, exit };
    const childLabel = `child ${pid ?? '?'} ${sig ?? `exit ${code ?? '?'}`}`;

    if (sig === 'SIGKILL') {
      const samePid = nearestIn(kills, t, W_PID_MS, W_PID_MS, (k) => !usedKill.has(k) && k.keys.variant === 'kill' && k.keys.pid === pid);
      if (samePid) {
        usedKill.add(samePid);
        deaths.push({ ...base, kind: 'oom', confidence: 0.95, variant: 'worker', kernel: samePid, label: `${childLabel} ← kernel OOM kill` });
        continue;
      }
      const sameComm = nearestIn(
        kills,
        t,
        W_PID_MS,
        W_PID_MS,
        (k) => !usedKill.has(k) && (k.keys.variant === 'kill' ? isPhpComm(k.keys.comm) : /php/i.test(k.keys.detail ?? '')),
      );
      if (sameComm) {
        usedKill.add(sameComm);
        deaths.push({ ...base, kind: 'oom', confidence: 0.85, variant: 'worker', kernel: sameComm, label: `${childLabel} ← kernel OOM kill (pid namespace differs)` });
        continue;
      }
      // a reload escalates QUIT → TERM → KILL; such exits belong to the restart window
      if (inRestart(t)) {
        deaths.push({ ...base, kind: 'restart', confidence: 0.9, variant: 'restart', label: `${childLabel} during FPM restart` });
        continue;
      }
      if (kernelCovers(t)) {
        deaths.push({ ...base, kind: 'external-sigkill', confidence: 0.5, variant: 'external-sigkill', label: `${childLabel}, no OOM kill in the kernel log` });
      } else {
        deaths.push({
          ...base,
          kind: 'oom-suspected',
          confidence: 0.5,
          variant: 'worker',
          missingSources: ['kernel log'],
          label: `${childLabel} (OOM kill suspected, no kernel log)`,
        });
      }
      continue;
    }
    if (sig === 'SIGTERM') {
      const term = nearestIn(terminates, t, W_TERM_MS + SEC, SEC, (f) => !usedTerm.has(f) && f.keys.pid === pid);
      if (term) {
        usedTerm.add(term);
        deaths.push({ ...base, kind: 'terminate', confidence: 0.9, variant: 'terminated', terminate: term, label: `${childLabel} ← request_terminate_timeout` });
        continue;
      }
      if (inRestart(t)) {
        deaths.push({ ...base, kind: 'restart', confidence: 0.9, variant: 'restart', label: `${childLabel} during FPM restart` });
        continue;
      }
      deaths.push({ ...base, kind: 'external-sigterm', confidence: 0.45, variant: 'external-sigterm', label: `${childLabel} sent by something outside FPM` });
      continue;
    }
    if (sig !== undefined && CRASH_VARIANT[sig] !== undefined) {
      const fault = nearestIn(faults, t, W_PID_MS, W_PID_MS, (f) => !usedFault.has(f) && f.keys.pid === pid);
      if (fault) usedFault.add(fault);
      deaths.push({
        ...base,
        kind: 'crash',
        confidence: fault ? 0.95 : 0.9,
        variant: CRASH_VARIANT[sig] ?? 'segv',
        ...(fault ? { fault } : {}),
        label: `${childLabel}${exit.keys.variant === 'core-dumped' ? ' (core dumped)' : ''}${fault?.keys.detail ? ` in ${fault.keys.detail}` : ''}`,
      });
      continue;
    }
    if (sig !== undefined) continue; // SIGQUIT (graceful) and other signals a master sends on purpose
    if (code === 124) {
      const stderr = nearestIn(hardTimeouts, t, W_PID_MS, SEC, (h) => !usedHard.has(h) && (h.keys.pid === undefined || h.keys.pid === pid));
      if (stderr) usedHard.add(stderr);
      deaths.push({ ...base, kind: 'hard-timeout', confidence: 0.85, variant: 'hard', ...(stderr ? { stderr } : {}), label: `${childLabel} (PHP hard timeout)` });
      continue;
    }
    if (code === 255) {
      deaths.push({ ...base, kind: 'exit-code', confidence: 0.5, variant: 'exit-255', label: `${childLabel} (PHP died outside a request)` });
      continue;
    }
    // 0 is pm.max_requests recycling, 70 a pool that cannot start (upstream-down); others are not decisive
  }

  // confirming lines whose FPM exit line is not in the supplied logs (FPM log missing, or at DEBUG)
  const fpmMissing = (t: number): boolean => !covers(ctx, 'php-fpm', t, 2 * SEC);
  for (const term of terminates) {
    if (usedTerm.has(term)) continue;
    deaths.push({
      time: term.time,
      pid: term.keys.pid,
      pool: term.keys.pool,
      kind: 'terminate',
      confidence: 0.9,
      variant: 'terminated',
      terminate: term,
      label: `child ${term.keys.pid ?? '?'} terminated by request_terminate_timeout`,
    });
  }
  const masters = masterPids(ctx);
  for (const k of kills) {
    if (usedKill.has(k) || k.keys.variant !== 'kill' || !isPhpComm(k.keys.comm)) continue;
    if (k.keys.pid !== undefined && masters.has(k.keys.pid)) continue; // the master: oom-killer variant master
    deaths.push({
      time: k.time,
      pid: k.keys.pid,
      kind: 'oom',
      confidence: fpmMissing(k.time) ? 0.85 : 0.7,
      variant: 'worker',
      kernel: k,
      ...(fpmMissing(k.time) ? { missingSources: ['PHP-FPM log'] } : {}),
      label: `kernel OOM kill of ${k.keys.comm ?? 'php-fpm'} ${k.keys.pid ?? ''}`.trim(),
    });
  }
  for (const f of faults) {
    if (usedFault.has(f)) continue;
    deaths.push({
      time: f.time,
      pid: f.keys.pid,
      kind: 'crash',
      confidence: fpmMissing(f.time) ? 0.85 : 0.75,
      variant: f.keys.signal === 'SIGILL' ? 'illegal-instruction' : 'segv',
      fault: f,
      ...(fpmMissing(f.time) ? { missingSources: ['PHP-FPM log'] } : {}),
      label: `${f.keys.comm ?? 'php-fpm'}[${f.keys.pid ?? '?'}] ${f.keys.variant ?? 'segfault'}${f.keys.detail ? ` in ${f.keys.detail}` : ''}`,
    });
  }
  for (const h of hardTimeouts) {
    if (usedHard.has(h) || h.family !== 'php-fpm') continue;
    deaths.push({ time: h.time, pid: h.keys.pid, pool: h.keys.pool, kind: 'hard-timeout', confidence: 0.85, variant: 'hard', stderr: h, label: 'PHP hard timeout (exit 124)' });
  }
  return deaths.sort((x, y) => x.time - y.time);
}

/** How well a terminated request matches a 5xx (§5.6): request start, method, query. */
function terminateMatch(term: Signal, e: ErrorRequest): 'unique' | 'time' | 'no' {
  const secsRan = term.keys.seconds;
  const start = startOf(e);
  const detail = term.keys.detail ?? '';
  const sp = detail.indexOf(' ');
  const method = sp > 0 ? detail.slice(0, sp) : undefined;
  const uri = sp > 0 ? detail.slice(sp + 1) : '';
  const q = uri.indexOf('?');
  const query = q >= 0 ? uri.slice(q + 1) : undefined;
  if (method && e.method && method !== e.method) return 'no';
  if (query !== undefined) {
    const eq = e.request.indexOf('?');
    const reqQuery = eq >= 0 ? e.request.slice(eq + 1).split(' ')[0] : undefined;
    if (reqQuery !== undefined && reqQuery !== query) return 'no';
  }
  if (secsRan !== undefined && start !== undefined) {
    return Math.abs(term.time - secsRan * SEC - start) <= 2 * SEC + 1 ? 'unique' : 'no';
  }
  return 'time';
}

/**
 * §5.27 "matching many closes to many exits": each death explains at most one in-flight request (a worker
 * serves one request at a time); pair them one-to-one in time order inside W-CLOSE.
 */
function pairDeaths(ctx: DiagnoseContext, a: FpmAnalysis): void {
  const taken = new Set<number>();
  for (const d of a.deaths) {
    if (d.kind === 'restart') continue;
    let best: { v: Victim; score: number; conf: number; why: JoinKind } | undefined;
    for (let k = lowerBound(a.victims, d.time - W_CLOSE_MS - 1); k < a.victims.length; k++) {
      const v = a.victims[k] as Victim;
      if (v.time > d.time + W_CLOSE_MS + 1) break;
      if (taken.has(v.error)) continue;
      const dt = Math.abs(v.time - d.time);
      if (dt > W_CLOSE_MS + 1) continue;
      const e = ctx.errors.at(v.error);
      if (!e) continue;
      const penalty = poolPenalty(ctx, d.pool, v.upstream);
      if (penalty === undefined) continue;
      let conf = d.confidence - penalty;
      let why: JoinKind = d.kind === 'oom' && d.kernel && d.exit ? 'same pid' : 'same time window';
      let score = dt;
      if (d.terminate) {
        const m = terminateMatch(d.terminate, e);
        if (m === 'no') continue;
        if (m === 'time') conf = Math.min(conf, 0.75);
        else score -= 10 * SEC; // a start-time match beats a nearer close
      }
      if (!v.close) {
        conf -= 0.1;
        why = 'same time window';
      }
      if (!best || score < best.score) best = { v, score, conf, why };
    }
    if (!best) continue;
    taken.add(best.v.error);
    d.victim = best.v;
    d.victimConfidence = best.conf;
    d.victimWhy = best.why;
    a.deathOf.set(best.v.error, d);
  }
}

/** Claims for the deaths of these kinds, with the symptom chain as `via`. */
export function deathClaims(ctx: DiagnoseContext, deaths: readonly Death[]): Claim[] {
  const out: Claim[] = [];
  for (const d of deaths) {
    if (!d.victim || d.victimConfidence === undefined) continue;
    const e = ctx.errors.at(d.victim.error);
    if (!e) continue;
    const via = `${symptomOf(d.victim.close)} ← ${d.label}`;
    out.push(claim(d.victim.error, d.victimConfidence, d.victimWhy ?? 'same time window', d.kernel ?? d.fault ?? d.terminate ?? d.exit ?? d.victim.close, via));
  }
  return out;
}

// ------------------------------------------------------------------------------------------ PHP messages

/**
 * Claims for PHP messages (§5.2 correlation, shared by §5.3 and §5.5): a message inside a request-scoped
 * container (FastCGI stderr, AH01071, mod_php) joins its request (0.95 when the status is one of `statuses`);
 * a message from the PHP error log or the FPM worker output joins by time: the 5xx that ended within ±2 s,
 * 0.7 with a single candidate (or a single one whose path is the script), 0.5 otherwise. Messages joined
 * to a request that did not fail (headers already sent, display_errors) are returned as hidden failures.
 */
export function claimPhpMessages(
  ctx: DiagnoseContext,
  signals: readonly Signal[],
  statuses: readonly number[],
  via: (s: Signal) => string,
): { claims: Claim[]; hidden: Signal[]; unjoined: Signal[] } {
  const a = analysis(ctx);
  const claims: Claim[] = [];
  const hidden: Signal[] = [];
  const unjoined: Signal[] = [];
  const sigIds = new Set(signals.map((s) => s.sig));
  for (const s of signals) {
    if (s.keys.client && (s.family === 'nginx-error' || s.family === 'apache-error')) {
      const i = a.requestOf.get(s);
      const e = i === undefined ? undefined : ctx.errors.at(i);
      if (i === undefined || !e) {
        hidden.push(s);
        continue;
      }
      if (statuses.includes(e.status)) claims.push(claim(i, 0.95, 'same request', s, via(s)));
      else if (e.status >= 500) claims.push(claim(i, 0.7, 'same request', s, via(s)));
      else hidden.push(s);
      continue;
    }
    const cands = ctx.errorsBetween(s.time, s.time, (e, i) => {
      if (!statuses.includes(e.status)) return false;
      // a 5xx whose own error line says something else is explained by that line, not by this message
      const own = a.joined.get(i);
      return !own || own.length === 0 || own.some((x) => sigIds.has(x.sig));
    });
    if (cands.length === 0) {
      unjoined.push(s);
      continue;
    }
    let chosen = cands;
    if (cands.length > 1 && s.keys.file) {
      const file = s.keys.file;
      const byPath = cands.filter((i) => {
        const p = ctx.errors.at(i)?.path;
        return p !== undefined && p.length > 1 && file.endsWith(p);
      });
      if (byPath.length === 1) chosen = byPath;
    }
    const conf = chosen.length === 1 ? 0.7 : 0.5;
    for (const i of chosen) claims.push(claim(i, conf, 'same time window', s, via(s)));
  }
  return { claims: mergeClaims(claims), hidden, unjoined };
}

// ------------------------------------------------------------------------------------------ pool saturation

export interface SaturationEpisode {
  from: number;
  to: number;
  pool?: string;
  /** F-MAXCHILD / F-BUSY / EAGAIN connects / fork failures that opened or extended it */
  signals: Signal[];
  hasMaxChildren: boolean;
  hasBacklogFull: boolean;
  /** fork() failed: Cannot allocate memory inside the episode (the pool could not grow) */
  forkEnomem: Signal[];
  /** 5xx inside the episode that saturation explains, with how */
  errors: { error: number; kind: 'backlog' | 'timeout' | 'no-line'; evidence?: Signal }[];
}

const W_SAT_BEFORE_MS = 5 * SEC;
const W_SAT_MAX_MS = 15 * 60 * SEC;
const W_SAT_GAP_MS = 30 * SEC;

const satCache = new WeakMap<DiagnoseContext, SaturationEpisode[]>();

/**
 * Pool saturation episodes (§5.1, W-SAT): opened by a decisive or strong signal (EAGAIN connect,
 * F-MAXCHILD, process.max, fork failures), extended by the matching 5xx while they keep coming (gaps ≤ 30 s,
 * at most 15 min), so a lone warning does not cover 5xx hours later.
 */
export function saturationEpisodes(ctx: DiagnoseContext): SaturationEpisode[] {
  const hit = satCache.get(ctx);
  if (hit) return hit;
  const a = analysis(ctx);
  const openers = ctx.signals.filter(
    (s) =>
      s.time === s.time &&
      (s.sig === 'F-MAXCHILD' ||
        (s.sig === 'F-BUSY' && s.keys.variant === 'process-max') ||
        isBacklogFull(s) ||
        (s.sig === 'F-LIFECYCLE' && (s.keys.variant === 'fork-enomem' || s.keys.variant === 'fork-nproc'))),
  );
  // what each 5xx looks like, to extend episodes by the matching ones only
  const kindOf = (i: number): { kind: 'backlog' | 'timeout' | 'no-line'; evidence?: Signal } | undefined => {
    const e = ctx.errors.at(i);
    if (!e) return undefined;
    const lines = a.joined.get(i) ?? [];
    const backlog = lines.find(isBacklogFull);
    if (backlog) return { kind: 'backlog', evidence: backlog };
    const timeout = lines.find(isTimeoutSignal);
    if (timeout) return { kind: 'timeout', evidence: timeout };
    if (lines.length > 0) return undefined;
    // no error line: a 504 is a queue timeout; a fast 502/503 is a refused connect (backlog or down)
    if (covers(ctx, errorFamilyOf(e), endOf(e))) return undefined;
    if (e.status === 504) return { kind: 'no-line' };
    const urt = upstreamSeconds(e);
    if ((e.status === 502 || e.status === 503) && urt !== undefined && urt <= FAST_FAILURE_S) return { kind: 'no-line' };
    return undefined;
  };

  const out: SaturationEpisode[] = [];
  const used = new Set<number>();
  let k = 0;
  while (k < openers.length) {
    const first = openers[k] as Signal;
    const ep: SaturationEpisode = {
      from: first.time - W_SAT_BEFORE_MS,
      to: first.time + W_SAT_GAP_MS,
      signals: [],
      hasMaxChildren: false,
      hasBacklogFull: false,
      forkEnomem: [],
      errors: [],
    };
    if (first.keys.pool) ep.pool = first.keys.pool;
    let lastActivity = first.time;
    // absorb openers and matching 5xx while activity continues
    let grew = true;
    while (grew) {
      grew = false;
      while (k < openers.length && (openers[k] as Signal).time <= lastActivity + W_SAT_GAP_MS && (openers[k] as Signal).time <= ep.from + W_SAT_MAX_MS) {
        const s = openers[k] as Signal;
        ep.signals.push(s);
        if (s.sig === 'F-MAXCHILD' || s.sig === 'F-BUSY') ep.hasMaxChildren = true;
        if (isBacklogFull(s)) ep.hasBacklogFull = true;
        if (s.keys.variant === 'fork-enomem') ep.forkEnomem.push(s);
        if (s.time > lastActivity) lastActivity = s.time;
        k++;
        grew = true;
      }
      const limit = Math.min(lastActivity + W_SAT_GAP_MS, ep.from + W_SAT_MAX_MS);
      // a queued request fails up to its timeout later: take 5xx whose span overlaps the active period
      for (const i of ctx.errorsBetween(ep.from, limit + 5 * 60 * SEC)) {
        if (used.has(i)) continue;
        const e = ctx.errors.at(i);
        if (!e) continue;
        const [lo] = ctx.requestSpan(e);
        if (lo > limit) continue;
        const kind = kindOf(i);
        if (!kind) continue;
        used.add(i);
        ep.errors.push({ error: i, ...kind });
        const end = endOf(e);
        if (end > lastActivity && end <= ep.from + W_SAT_MAX_MS) {
          lastActivity = end;
          grew = true;
        }
      }
    }
    ep.to = Math.min(lastActivity + W_SAT_BEFORE_MS, ep.from + W_SAT_MAX_MS);
    out.push(ep);
  }
  satCache.set(ctx, out);
  return out;
}

// ------------------------------------------------------------------------------------------ slow log

export const IO_CLASSES = new Set(['http-call', 'database', 'cache', 'sleep', 'lock', 'disk-io']);

const slowPidCache = new WeakMap<DiagnoseContext, Map<number, Signal[]>>();

/** Slow-log entries (S-ENTRY) and slow announcements (F-SLOW) by worker pid, time-sorted. */
export function slowByPid(ctx: DiagnoseContext): Map<number, Signal[]> {
  let m = slowPidCache.get(ctx);
  if (!m) {
    m = new Map();
    for (const s of ctx.bySig('S-ENTRY', 'F-SLOW')) {
      if (s.keys.pid === undefined) continue;
      let l = m.get(s.keys.pid);
      if (!l) m.set(s.keys.pid, (l = []));
      l.push(s);
    }
    slowPidCache.set(ctx, m);
  }
  return m;
}

/** The class most slow entries in [from, to] share, when ≥ 50 % of at least two entries share an I/O class. */
export function dominantSlowClass(ctx: DiagnoseContext, from: number, to: number): { variant: string; entries: Signal[]; total: number } | undefined {
  const all = ctx.bySig('S-ENTRY');
  const entries: Signal[] = [];
  for (let k = lowerBound(all, from); k < all.length && (all[k] as Signal).time <= to; k++) entries.push(all[k] as Signal);
  if (entries.length < 2) return undefined;
  const top = dominant(entries.map((s) => s.keys.variant ?? 'cpu'));
  if (!top || !IO_CLASSES.has(top.value) || top.count * 2 < entries.length) return undefined;
  return { variant: top.value, entries: entries.filter((s) => s.keys.variant === top.value), total: entries.length };
}

/** The request_slowlog_timeout in force, from the F-SLOW lines ('executing too slow (5.01 sec)'). */
export function slowlogTimeout(ctx: DiagnoseContext): number | undefined {
  const vals = ctx
    .bySig('F-SLOW')
    .map((s) => s.keys.seconds)
    .filter((n): n is number => n !== undefined)
    .map((n) => Math.floor(n));
  return dominant(vals)?.value;
}

// ------------------------------------------------------------------------------------------ fix locations

/** The PHP version the logs name ('php8.2-fpm.sock', 'php-fpm8.2', '/etc/php/8.2/'), when they do. */
export function phpVersion(ctx: DiagnoseContext): string | undefined {
  const texts: string[] = [];
  for (const e of ctx.errors.slice(0, 200)) {
    const u = ctx.upstreamOf(e);
    if (u) texts.push(u);
  }
  for (const s of ctx.signals.slice(0, 2000)) {
    if (s.keys.upstreamKey) texts.push(s.keys.upstreamKey);
    if (s.keys.comm) texts.push(s.keys.comm);
  }
  for (const t of texts) {
    const m = /php-?fpm(\d)\.?(\d)|php(\d)\.(\d)-fpm/.exec(t);
    if (m) return m[1] !== undefined ? `${m[1]}.${m[2]}` : `${m[3]}.${m[4]}`;
  }
  return undefined;
}

/** Where a pool's directives live, e.g. 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)'. */
export function poolFile(ctx: DiagnoseContext, pool = 'www'): string {
  const v = phpVersion(ctx);
  return `php-fpm pool (${v ? `/etc/php/${v}/fpm/pool.d/${pool}.conf` : `/etc/php/<version>/fpm/pool.d/${pool}.conf or /etc/php-fpm.d/${pool}.conf`})`;
}

/** Where php-fpm.conf (global directives) lives. */
export function fpmConfFile(ctx: DiagnoseContext): string {
  const v = phpVersion(ctx);
  return `php-fpm.conf (${v ? `/etc/php/${v}/fpm/php-fpm.conf` : '/etc/php/<version>/fpm/php-fpm.conf or /etc/php-fpm.conf'})`;
}

/** The pool most FPM signals in a list name. */
export function mainPool(signals: readonly Signal[]): string | undefined {
  return dominant(signals.map((s) => s.keys.pool).filter((p): p is string => p !== undefined))?.value;
}

/**
 * The finding-level confidence. It only matters when the finding wins no 5xx (diagnose.ts reports such
 * findings from 0.6 on, as hidden failures); a finding whose claims all went to a deeper cause is that
 * cause's mechanism and stays out of the list, so it gets 0.5. `silent` is for findings without claims.
 */
export function findingConfidence(claims: readonly Claim[], silent: number): number {
  return claims.length > 0 ? 0.5 : silent;
}
