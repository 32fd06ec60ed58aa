// Shared logic of the web-layer rules (upstream-down, socket-permission, ephemeral-port-exhaustion,
// upstream-header-too-big, upstream-invalid-response, upstream-tls, dns-resolution, no-live-upstreams,
// webserver-worker-crash, apache-workers-exhausted, nginx-worker-connections, webserver-config-error,
// rate-limited, client-abort): one-to-one request joins, connect failures with their errno (Apache splits
// the errno and the client over two lines), and the no-live-upstreams look-back (signatures.md §5.13).
import { clientKey, joinDistance, type DiagnoseContext } from '../diagnose/context.js';
import type { ErrorRequest } from '../digest/digest.js';
import { BUCKET_MS } from '../digest/digest.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { SLACK_MS, is5xx, sampleEvidence } from './helpers.js';
import type { Claim, Finding } from './types.js';

/**
 * Finding confidence of a rule whose worth is its 5xx claims: below the engine's silent-report threshold
 * (0.6), so a finding whose every claim went to a deeper cause disappears instead of showing up as a
 * cause with no requests.
 */
export const THROUGH_CLAIMS = 0.5;
/** A loose join (same request line and time, different client: real_ip, proxies) is worth this much less. */
const LOOSE_PENALTY = 0.1;
/** How far around an error line a same-request candidate is searched when the nearest one is taken. */
const JOIN_SEARCH_MS = 5_000;

/** Part 5 confidence of each request-scoped web rule; no-live-upstreams credits them minus 0.05 (§5.13). */
export const WEB_CONFIDENCE: Readonly<Record<string, number>> = {
  'upstream-down': 0.9,
  'socket-permission': 0.95,
  'ephemeral-port-exhaustion': 0.9,
  'upstream-header-too-big': 0.95,
  'upstream-invalid-response': 0.95,
  'upstream-tls': 0.95,
  'dns-resolution': 0.95,
};
/** How much less a 5xx refused by "no live upstreams" is worth than the failure that marked the servers. */
export const NO_LIVE_PENALTY = 0.05;

/**
 * Joins request-scoped signals to 5xx one-to-one. ctx.sameRequest() returns the nearest candidate, which
 * another line may already have taken (Apache lines carry the client but not the request line, so every
 * 5xx of one client is a candidate); then the next best unclaimed one is used. Several lines of one nginx
 * connection (two servers of a group tried for one request) count once.
 */
export class RequestJoiner {
  private readonly taken = new Set<number>();
  /** connection → the 5xx its last line joined and the upstream that line named */
  private readonly byConnection = new Map<string, { error: number; upstream: string | undefined }>();
  constructor(private readonly ctx: DiagnoseContext) {}

  /** marks an error as already explained by this rule (e.g. through another join) */
  take(i: number): void {
    this.taken.add(i);
  }

  join(s: Signal, statuses?: readonly number[]): { error: number; exact: boolean } | 'duplicate' | undefined {
    const ok = (e: ErrorRequest | undefined): boolean => !!e && is5xx(e) && (!statuses || statuses.includes(e.status));
    const connKey = s.keys.connection !== undefined ? `${s.family}#${s.host ?? ''}#${s.keys.connection}#${s.keys.request ?? ''}` : undefined;
    if (connKey !== undefined) {
      const prev = this.byConnection.get(connKey);
      if (prev !== undefined) {
        const e = this.ctx.errors.at(prev.error);
        // one request tried on several servers of a group logs a line per server; the same connection
        // repeating the same failure on the same server is the next request (keepalive), not a copy
        const otherServer = prev.upstream !== s.keys.upstreamKey;
        if (e && otherServer && Math.abs(e.time - s.time) <= (e.requestTime ?? 0) * 1000 + 2 * SLACK_MS) return 'duplicate';
      }
    }
    const record = (error: number, exact: boolean): { error: number; exact: boolean } => {
      this.taken.add(error);
      if (connKey !== undefined) this.byConnection.set(connKey, { error, upstream: s.keys.upstreamKey });
      return { error, exact };
    };
    const direct = this.ctx.sameRequest(s);
    if (s.time !== s.time) return direct !== undefined && !this.taken.has(direct) && ok(this.ctx.errors.at(direct)) ? record(direct, true) : undefined;
    const client = clientKey(s.keys.client);
    const req = s.keys.request;
    const cands = new Set(this.ctx.errorsBetween(s.time - JOIN_SEARCH_MS, s.time + JOIN_SEARCH_MS));
    if (direct !== undefined) cands.add(direct);
    let best: { i: number; exact: boolean; d: number } | undefined;
    for (const i of cands) {
      if (this.taken.has(i)) continue;
      const e = this.ctx.errors.at(i);
      if (!e || !ok(e)) continue;
      const [lo, hi] = this.ctx.requestSpan(e);
      if (s.time < lo || s.time > hi) continue;
      const sameClient = client !== '' && clientKey(e.client) === client;
      const sameReq = req !== undefined && e.request === req;
      // exact: what ctx.sameRequest() requires; loose: the request line matches but the client was rewritten
      const exact = i === direct || (sameClient && (sameReq || (req === undefined && s.family === 'apache-error')));
      const loose = !exact && sameReq;
      if (!exact && !loose) continue;
      const d = joinDistance(e, s.time) + (exact ? 0 : 1e9);
      if (!best || d < best.d) best = { i, exact, d };
    }
    return best ? record(best.i, best.exact) : undefined;
  }
}

/** Claims for request-scoped signals: `confidence` for exact joins, less for loose ones. */
export function claimScoped(
  ctx: DiagnoseContext,
  signals: readonly Signal[],
  confidence: number | ((s: Signal) => number),
  opts: { statuses?: readonly number[]; via?: (s: Signal) => string | undefined; joiner?: RequestJoiner } = {},
): { claims: Claim[]; joined: Signal[]; unjoined: Signal[] } {
  const joiner = opts.joiner ?? new RequestJoiner(ctx);
  const claims: Claim[] = [];
  const joined: Signal[] = [];
  const unjoined: Signal[] = [];
  for (const s of signals) {
    const j = joiner.join(s, opts.statuses);
    if (j === 'duplicate') {
      joined.push(s);
      continue;
    }
    if (!j) {
      unjoined.push(s);
      continue;
    }
    joined.push(s);
    const base = typeof confidence === 'number' ? confidence : confidence(s);
    const claim: Claim = { error: j.error, confidence: j.exact ? base : base - LOOSE_PENALTY, why: 'same request', evidence: s };
    const via = opts.via?.(s);
    if (via) claim.via = via;
    claims.push(claim);
  }
  return { claims, joined, unjoined };
}

/** True when an access log covers the moment (± a minute): only then can "no 5xx joined" mean anything. */
export function accessCovers(ctx: DiagnoseContext, t: number): boolean {
  for (const fam of ['nginx-access', 'apache-access']) {
    const c = ctx.coverage(fam);
    if (c && t >= c.from - 60_000 && t <= c.to + 60_000) return true;
  }
  return false;
}

/**
 * Whether the access logs have no line at all in (t, t + ms] while they do continue afterwards: the server
 * was not answering (X-GAP). A log that simply ends there proves nothing (it may have been cut there).
 */
export function accessGapAfter(ctx: DiagnoseContext, t: number, ms: number): boolean {
  const covered = ['nginx-access', 'apache-access'].some((fam) => {
    const c = ctx.coverage(fam);
    return !!c && c.from <= t && c.to > t + ms;
  });
  if (!covered) return false;
  const from = Math.floor(t / BUCKET_MS) + 1;
  const to = Math.floor((t + ms) / BUCKET_MS);
  for (let sec = from; sec <= to; sec++) if (ctx.digest.buckets.requestsIn(sec) > 0) return false;
  return true;
}

/** Longest run of seconds without any access line inside [from, to] (0 when none or not covered). */
export function longestAccessGapMs(ctx: DiagnoseContext, from: number, to: number): number {
  if (!accessCovers(ctx, from)) return 0;
  let best = 0;
  let run = 0;
  for (let sec = Math.floor(from / BUCKET_MS); sec <= Math.floor(to / BUCKET_MS); sec++) {
    if (ctx.digest.buckets.requestsIn(sec) > 0) run = 0;
    else if (++run > best) best = run;
  }
  return best * BUCKET_MS;
}

/**
 * The usual finding of a request-scoped rule: claims carry the weight. Without any join the signals still
 * count when no access log covers them (then the access log is the missing source); with an access log and
 * no 5xx joined they were retried or not client-visible, and the rule stays quiet (§6.6 is for the report).
 */
export function scopedFinding(
  ctx: DiagnoseContext,
  cause: string,
  signals: readonly Signal[],
  claims: Claim[],
  extra: Partial<Finding> = {},
): Finding | undefined {
  if (signals.length === 0) return undefined;
  const uncovered = claims.length === 0 && !signals.some((s) => accessCovers(ctx, s.time));
  const f: Finding = {
    cause,
    confidence: uncovered ? 0.6 : THROUGH_CLAIMS,
    claims,
    evidence: sampleEvidence(signals),
    ...extra,
  };
  if (uncovered) f.missingSources = [...new Set([...(extra.missingSources ?? []), 'access log'])];
  const ups = [...new Set(signals.map((s) => s.keys.upstreamKey).filter((u): u is string => !!u))];
  if (!f.upstreams && ups.length > 0) f.upstreams = ups.slice(0, 10);
  return f;
}

/** The most frequent value, ties to the first seen. */
export function dominant<T>(values: readonly (T | undefined)[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestN = 0;
  for (const v of values) {
    if (v === undefined) continue;
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

/** '[pid 2211:tid 1402…]' of an Apache error line: the thread that logged it (signal keys do not keep it). */
function apacheThread(s: Signal): string | undefined {
  const m = /\[pid (\d{1,10})(?::tid (\d{1,24}))?\]/.exec(s.text.slice(0, 200));
  return m ? `${m[1]}:${m[2] ?? ''}` : undefined;
}

/** True when the upstream named by the signal is a FastCGI backend (PHP-FPM), not an HTTP app. */
export function isFastcgiSignal(s: Signal): boolean {
  if (s.text.includes('"fastcgi://') || s.keys.detail === 'FCGI') return true;
  const u = s.keys.upstreamKey ?? '';
  return u.startsWith('unix:') && /php|fpm/i.test(u);
}

export interface ConnectFailure {
  /** the line that names the request (nginx, Apache AH01079/AH01114, Apache 2.2), else the errno line */
  signal: Signal;
  /** the line that carries the errno (Apache AH00957/AH02454); the same line for nginx */
  errnoSignal: Signal;
  errno: number | undefined;
  upstreamKey: string | undefined;
  fastcgi: boolean;
  requestScoped: boolean;
}

const APACHE_NOT_CONNECT = new Set(['disabling', 'disabled', 'acquire-failed']);
const connectCache = new WeakMap<DiagnoseContext, ConnectFailure[]>();

/**
 * Every failed connect to a backend with its errno. Apache logs the errno on AH00957/AH02454 (no client)
 * and the client on AH01079/AH01114 (no errno) from the same thread microseconds apart: pair them.
 */
export function connectFailures(ctx: DiagnoseContext): ConnectFailure[] {
  const cached = connectCache.get(ctx);
  if (cached) return cached;
  const out: ConnectFailure[] = [];
  for (const s of ctx.bySig('N-CONNECT')) {
    out.push({ signal: s, errnoSignal: s, errno: s.keys.errno, upstreamKey: s.keys.upstreamKey, fastcgi: isFastcgiSignal(s), requestScoped: !!s.keys.client });
  }
  const apache = ctx.bySig('A-CONNECT').filter((s) => !APACHE_NOT_CONNECT.has(s.keys.variant ?? ''));
  const attempts = apache.filter((s) => !s.keys.client);
  const used = new Set<Signal>();
  for (const s of apache) {
    if (!s.keys.client) continue;
    let partner: Signal | undefined;
    if (s.keys.errno === undefined) {
      const thread = apacheThread(s);
      let bestD = Infinity;
      for (const a of attempts) {
        if (used.has(a) || a.time > s.time + 5 || a.time < s.time - 1000) continue;
        // same thread first; any thread of that moment only when the thread is unknown or unmatched
        const d = s.time - a.time + (thread !== undefined && apacheThread(a) === thread ? 0 : 10_000);
        if (d < bestD) {
          bestD = d;
          partner = a;
        }
      }
      if (partner) used.add(partner);
    }
    const e = partner ?? s;
    out.push({
      signal: s,
      errnoSignal: e,
      errno: s.keys.errno ?? partner?.keys.errno,
      upstreamKey: partner?.keys.upstreamKey ?? s.keys.upstreamKey,
      fastcgi: isFastcgiSignal(e) || s.text.includes('[proxy_fcgi:'),
      requestScoped: true,
    });
  }
  for (const a of attempts) {
    if (used.has(a)) continue;
    out.push({ signal: a, errnoSignal: a, errno: a.keys.errno, upstreamKey: a.keys.upstreamKey, fastcgi: isFastcgiSignal(a), requestScoped: false });
  }
  out.sort((a, b) => a.signal.time - b.signal.time);
  connectCache.set(ctx, out);
  return out;
}

/** errno numbers of a failed connect that mean "nobody is accepting there" (§5.16). */
export const DOWN_ERRNOS: ReadonlySet<number> = new Set([111, 2, 113, 101, 112, 104]);

/** The cause a connect errno points to (§3.3 A-CONNECT, §3.1 N-CONNECT table). */
export function causeOfConnectErrno(errno: number | undefined): string {
  switch (errno) {
    case 11:
      return 'fpm-pool-exhausted';
    case 13:
      return 'socket-permission';
    case 99:
      return 'ephemeral-port-exhaustion';
    case 110:
    case 70007:
      return 'upstream-timeout';
    case 23:
    case 24:
      return 'too-many-open-files';
    default:
      return 'upstream-down';
  }
}

/** The cause an upstream failure line points to, for the no-live look-back. */
function causeOfFailure(s: Signal): string | undefined {
  switch (s.sig) {
    case 'N-CONNECT':
    case 'A-CONNECT':
      return causeOfConnectErrno(s.keys.errno);
    case 'N-TIMEOUT':
      return 'upstream-timeout';
    case 'N-PREMATURE':
    case 'N-RECV':
      return 'upstream-reset';
    case 'N-INVALID':
      return 'upstream-invalid-response';
    case 'N-HDR-BIG':
      return 'upstream-header-too-big';
    case 'N-TLS':
      return s.keys.variant === 'client' ? undefined : 'upstream-tls';
    case 'N-DNS':
      return 'dns-resolution';
    case 'A-FCGI':
    case 'A-HTTP': {
      const v = s.keys.variant ?? '';
      if (v === 'timeout') return 'upstream-timeout';
      if (v === 'invalid') return 'upstream-invalid-response';
      if (v === 'tls') return 'upstream-tls';
      if (v === 'dns') return 'dns-resolution';
      if (v === 'header-too-big') return 'upstream-header-too-big';
      if (v === 'reset' || v === 'eof' || v === 'broken-pipe' || v === 'header-read' || v === 'write-failed') return 'upstream-reset';
      return undefined;
    }
    default:
      return undefined;
  }
}

const FAILURE_SIGS = ['N-CONNECT', 'N-TIMEOUT', 'N-PREMATURE', 'N-RECV', 'N-INVALID', 'N-HDR-BIG', 'N-TLS', 'N-DNS', 'A-CONNECT', 'A-FCGI', 'A-HTTP'];
/** W-FAIL (§5.0): nginx fail_timeout default, Apache retry default. */
const W_FAIL_NGINX = 10_000;
const W_FAIL_APACHE = 60_000;

export interface NoLiveBurst {
  server: 'nginx' | 'apache';
  /** group name (nginx), host:port (Apache worker) or balancer://name */
  upstream: string;
  signals: Signal[];
  /** failures in the look-back window that marked the servers failed */
  marking: Signal[];
  /** cause of most marking failures, if any */
  markingCause: string | undefined;
  /** one-to-one joins of the burst's lines to 5xx; `exact` false for time-only pairing (AH00940 has no client) */
  joins: { error: number; evidence: Signal; exact: boolean }[];
}

function schemeOf(s: Signal): string | undefined {
  const m = /upstream: "([a-z][a-z0-9+.-]{0,15}):\/\//.exec(s.text);
  return m?.[1];
}

/** first path segment of the request ('/api/v1/items?x' → 'api'), to tell locations apart */
function firstSegment(request: string | undefined): string | undefined {
  if (!request) return undefined;
  const m = /^\S+ \/([^/?\s]*)/.exec(request);
  return m?.[1];
}

const noLiveCache = new WeakMap<DiagnoseContext, NoLiveBurst[]>();

/**
 * no-live-upstreams bursts (§5.13) with the failures that marked their servers. nginx's no-live line names
 * the group, its failures name the servers: a failure belongs to the group when it comes from the same
 * virtual server with the same scheme, preferring the same location (first path segment). Apache's
 * AH00940 names the worker (host:port) that AH00959 disabled after an AH00957 on the same address.
 */
export function noLiveBursts(ctx: DiagnoseContext): NoLiveBurst[] {
  const cached = noLiveCache.get(ctx);
  if (cached) return cached;
  const out: NoLiveBurst[] = [];
  const failures = ctx.bySig(...FAILURE_SIGS).filter((s) => {
    const v = s.keys.variant ?? '';
    // AH00940/AH00941 are the refusals themselves, AH00959 only the marking; body-phase errors mark nothing
    return !(s.sig === 'A-CONNECT' && APACHE_NOT_CONNECT.has(v)) && v !== 'body' && v !== 'client';
  });
  // Apache AH00957 carries the errno; AH01079 of the same failure adds nothing for the look-back
  const apacheAttempt = (s: Signal): boolean => s.sig !== 'A-CONNECT' || s.keys.errno !== undefined;

  const groups = new Map<string, Signal[]>();
  const add = (k: string, s: Signal): void => {
    let l = groups.get(k);
    if (!l) groups.set(k, (l = []));
    l.push(s);
  };
  for (const s of ctx.bySig('N-NOLIVE')) if (s.keys.variant === 'no-live') add(`nginx\u0000${s.keys.upstreamKey ?? '?'}`, s);
  for (const s of ctx.bySig('A-CONNECT')) if (s.keys.variant === 'disabled') add(`apache\u0000${s.keys.upstreamKey ?? '?'}`, s);
  for (const s of ctx.bySig('A-BAL')) if (s.keys.variant === 'all-in-error') add(`apache\u0000${s.keys.upstreamKey ?? '?'}`, s);

  for (const [k, list] of groups) {
    const [server, upstream] = k.split('\u0000') as ['nginx' | 'apache', string];
    const wFail = server === 'nginx' ? W_FAIL_NGINX : W_FAIL_APACHE;
    // bursts: a new look-back starts when the refusals pause for longer than the marking lasts
    let cur: Signal[] = [];
    const bursts: Signal[][] = [];
    for (const s of list.sort((a, b) => a.time - b.time)) {
      const last = cur[cur.length - 1];
      if (last && s.time - last.time > wFail) {
        bursts.push(cur);
        cur = [];
      }
      cur.push(s);
    }
    if (cur.length > 0) bursts.push(cur);

    for (const burst of bursts) {
      const first = burst[0];
      const lastS = burst[burst.length - 1];
      if (!first || !lastS) continue;
      const from = first.time - wFail - SLACK_MS;
      const to = lastS.time + SLACK_MS;
      const inWindow = failures.filter((f) => f.time >= from && f.time <= to && apacheAttempt(f));
      let marking: Signal[];
      if (server === 'apache') {
        const balancer = upstream.startsWith('balancer://');
        // a balancer's members are not named by AH01170: any backend failure of the window may have marked them
        marking = balancer ? inWindow.filter((f) => f.family === 'apache-error') : inWindow.filter((f) => f.keys.upstreamKey === upstream);
      } else {
        const scheme = schemeOf(first);
        const vhost = first.keys.vhost;
        const seg = firstSegment(first.keys.request);
        const candidates = inWindow.filter(
          (f) =>
            f.family === 'nginx-error' &&
            f.keys.upstreamKey !== upstream &&
            (scheme === undefined || schemeOf(f) === undefined || schemeOf(f) === scheme) &&
            (vhost === undefined || f.keys.vhost === undefined || f.keys.vhost === vhost),
        );
        const sameLocation = candidates.filter((f) => seg !== undefined && firstSegment(f.keys.request) === seg);
        marking = sameLocation.length > 0 ? sameLocation : candidates;
      }
      const markingCause = dominant(marking.map(causeOfFailure));
      out.push({ server, upstream, signals: burst, marking, markingCause, joins: [] });
    }
  }

  // joins: request-scoped lines through the joiner; AH00940 (no client) to the nearest unclaimed 503
  const joiner = new RequestJoiner(ctx);
  const taken = new Set<number>();
  for (const b of out) {
    for (const s of b.signals) {
      if (s.keys.client) {
        const j = joiner.join(s);
        if (j && j !== 'duplicate') {
          taken.add(j.error);
          b.joins.push({ error: j.error, evidence: s, exact: j.exact });
        }
        continue;
      }
      let best: number | undefined;
      let bestD = Infinity;
      for (const i of ctx.errorsBetween(s.time - SLACK_MS, s.time + SLACK_MS)) {
        const e = ctx.errors.at(i);
        if (!e || e.status !== 503) continue;
        const d = Math.abs(e.time - s.time);
        if (d < bestD && !taken.has(i)) {
          bestD = d;
          best = i;
        }
      }
      if (best !== undefined) {
        taken.add(best);
        joiner.take(best);
        b.joins.push({ error: best, evidence: s, exact: false });
      }
    }
  }
  noLiveCache.set(ctx, out);
  return out;
}

/** Short text of a failure line for a `via` chain: 'connect() failed (111: Connection refused)'. */
export function shortText(s: Signal): string {
  const t = s.text;
  // nginx: after '*N ' up to the context; Apache: after the last '] '
  const ngx = /\*\d+ (.*?)(?: while |, client: |$)/.exec(t);
  if (ngx?.[1]) return ngx[1].slice(0, 120);
  const i = t.lastIndexOf('] ');
  return (i >= 0 ? t.slice(i + 2) : t).slice(0, 120);
}

/**
 * Claims a rule that caused the marking failures makes on the no-live 5xx (§5.13: credit the cause,
 * confidence minus 0.05, chain via no-live-upstreams).
 */
export function noLiveClaimsFor(ctx: DiagnoseContext, cause: string, confidence: number, filter?: (b: NoLiveBurst) => boolean): { claims: Claim[]; bursts: NoLiveBurst[] } {
  const claims: Claim[] = [];
  const bursts: NoLiveBurst[] = [];
  for (const b of noLiveBursts(ctx)) {
    if (b.markingCause !== cause || (filter && !filter(b))) continue;
    bursts.push(b);
    const marker = b.marking.find((m) => causeOfFailure(m) === cause);
    const via = `${b.server === 'nginx' ? 'no live upstreams' : 'proxy worker disabled'} ← ${marker ? shortText(marker) : cause}`;
    for (const j of b.joins) {
      claims.push({
        error: j.error,
        confidence: confidence - NO_LIVE_PENALTY - (j.exact ? 0 : LOOSE_PENALTY),
        why: j.exact ? 'same request' : 'same time window',
        evidence: j.evidence,
        via,
      });
    }
  }
  return { claims, bursts };
}

/** 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)' from a socket path that names the PHP version. */
export function poolFileOf(upstreamKey: string | undefined, pool = 'www'): string {
  const m = /php(\d\.\d)-fpm/.exec(upstreamKey ?? '');
  return m ? `php-fpm pool (/etc/php/${m[1]}/fpm/pool.d/${pool}.conf)` : `php-fpm pool (pool.d/${pool}.conf)`;
}

/** The FPM service name for a socket path ('php8.2-fpm'), or a generic one. */
export function fpmServiceOf(upstreamKey: string | undefined): string {
  const m = /php(\d\.\d)-fpm/.exec(upstreamKey ?? '');
  return m ? `php${m[1]}-fpm` : 'php-fpm';
}

export const NGINX_SITE = 'nginx site config (/etc/nginx/sites-enabled/<site>)';
export const NGINX_MAIN = 'nginx main config (/etc/nginx/nginx.conf)';
export const APACHE_VHOST = 'Apache vhost (/etc/apache2/sites-enabled/<site>.conf)';
export const APACHE_MPM = 'Apache MPM config (/etc/apache2/mods-enabled/mpm_event.conf)';

/** Which web server wrote most of the signals: fixes differ. */
export function serverOf(signals: readonly Signal[]): 'nginx' | 'apache' {
  const apache = signals.filter((s) => s.family === 'apache-error').length;
  return apache > signals.length / 2 ? 'apache' : 'nginx';
}

/** Keeps only the directives for one server, by their file label. */
export function directivesFor(all: readonly FixDirective[], server: 'nginx' | 'apache'): FixDirective[] {
  const other = server === 'nginx' ? 'Apache' : 'nginx';
  const kept = all.filter((d) => !d.file.startsWith(other));
  return kept.length > 0 ? kept : [...all];
}

/** Counts of a key over signals, most frequent first: 'zone perip (12)'. */
export function topValues(values: readonly (string | undefined)[], n = 3): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([value, count]) => ({ value, count }));
}

/** AH10124 (the warning naming the limit) is followed by AH01106 for the same request: the pair is one event. */
export function apacheHeaderTooBig(signals: readonly Signal[]): Signal[] {
  return signals.filter((s) => s.sig === 'A-HTTP' && s.keys.variant === 'header-too-big');
}

/** AH01106 lines that follow an AH10124 of the same client: they belong to this rule, not to invalid-response. */
export function followsHeaderTooBig(s: Signal, big: readonly Signal[]): boolean {
  return big.some((b) => b.keys.client === s.keys.client && s.time >= b.time && s.time - b.time <= SLACK_MS);
}
