// Joins shared by the app-group rules (too-many-open-files, disk-full, database-unavailable, php-fatal-error,
// backend-5xx): request-scoped first, then a one-to-one time join for lines that carry no request
// (PHP error log, FPM worker output, nginx lines cut by the 2048-byte limit), signatures.md §5.2 / §6.1.
import type { DiagnoseContext } from '../diagnose/context.js';
import { SLACK_MS } from '../diagnose/context.js';
import type { ErrorRequest } from '../digest/digest.js';
import type { Signal } from '../signals/types.js';
import { is5xx } from './helpers.js';
import type { Claim } from './types.js';

const SEC = 1000;
/**
 * Without $request_time / %D the access line gives one instant. nginx stamps the end, and a PHP error comes
 * right before the response; Apache stamps the start, so the error may come later by the request's run time.
 */
const APACHE_UNKNOWN_RUN_MS = 10 * SEC;
/** Longest request an error line is looked up for (bounds the search; longer ones are rare and timeouts). */
const MAX_RUN_MS = 15 * 60 * SEC;

/** A signal that names its own request (nginx error context, Apache [client]). */
export function isRequestScoped(s: Signal): boolean {
  return Boolean(s.keys.client) && (Boolean(s.keys.request) || s.family === 'apache-error');
}

/**
 * Where an error line without request keys may lie for it to belong to this 5xx: the request's span when the
 * duration is logged, otherwise a narrow window around the one logged instant (the context's default span of
 * 300 s would pair every PHP error with every 5xx of the next five minutes).
 */
export function joinSpan(ctx: DiagnoseContext, e: ErrorRequest): [number, number] {
  if (e.requestTime !== undefined) return ctx.requestSpan(e);
  return e.timeIsStart ? [e.time - SLACK_MS, e.time + APACHE_UNKNOWN_RUN_MS + SLACK_MS] : [e.time - SLACK_MS, e.time + SLACK_MS];
}

const longestRunCache = new WeakMap<DiagnoseContext, number>();
/** The longest run time any 5xx may have (bounds the forward search of candidatesAt). */
function longestRun(ctx: DiagnoseContext): number {
  let v = longestRunCache.get(ctx);
  if (v === undefined) {
    v = APACHE_UNKNOWN_RUN_MS + SLACK_MS;
    for (let i = 0; i < ctx.errors.length; i++) {
      const rt = ctx.errors.requestTimeAt(i);
      if (rt === rt) v = Math.max(v, rt * SEC + SLACK_MS);
    }
    v = Math.min(v, MAX_RUN_MS);
    longestRunCache.set(ctx, v);
  }
  return v;
}

/** The 5xx whose join span contains t (pred filters further), in time order. */
export function candidatesAt(ctx: DiagnoseContext, t: number, pred: (e: ErrorRequest, i: number) => boolean = is5xx): number[] {
  if (t !== t) return [];
  // errorsBetween bounds by the request's end, which lies after t by at most the longest run time
  return ctx.errorsBetween(t, t + longestRun(ctx), (e, i) => {
    const [lo, hi] = joinSpan(ctx, e);
    return t >= lo && t <= hi && pred(e, i);
  });
}

export interface TimeJoinOptions {
  /** confidence when the burst of lines has no more candidate 5xx than lines (one explanation per 5xx) */
  single: number;
  /** confidence when more 5xx than lines compete (another cause may be failing at the same time) */
  several: number;
  /** 5xx already explained (by this rule's request-scoped claims): not offered again */
  taken?: ReadonlySet<number>;
  pred?: (e: ErrorRequest, i: number) => boolean;
  via?: (s: Signal) => string | undefined;
}

/** Request-less lines closer than this belong to one burst for the ambiguity count of claimByTime. */
const BURST_GAP_MS = 10 * SEC;

/**
 * Pairs request-less error lines with 5xx one-to-one, nearest in time first: one PHP error explains one
 * failed request, so a burst of N errors claims at most N 5xx and never the quiet 5xx around it. A burst
 * whose candidate 5xx are no more than its lines is unambiguous (`single`: each 5xx has one candidate
 * explanation); when more 5xx than lines compete, something else is failing too (`several`).
 */
export function claimByTime(ctx: DiagnoseContext, signals: readonly Signal[], opts: TimeJoinOptions): Claim[] {
  const taken = new Set<number>(opts.taken ?? []);
  const claims: Claim[] = [];
  const sorted = [...signals].filter((s) => s.time === s.time).sort((a, b) => a.time - b.time);
  const bursts: Signal[][] = [];
  for (const s of sorted) {
    const cur = bursts[bursts.length - 1];
    const last = cur?.[cur.length - 1];
    if (cur && last && s.time - last.time <= BURST_GAP_MS) cur.push(s);
    else bursts.push([s]);
  }
  for (const burst of bursts) {
    const cands = burst.map((s) => candidatesAt(ctx, s.time, opts.pred).filter((i) => !taken.has(i)));
    const union = new Set(cands.flat());
    if (union.size === 0) continue;
    const confidence = union.size <= burst.length ? opts.single : opts.several;
    burst.forEach((s, k) => {
      let best = -1;
      let bestDist = Infinity;
      for (const i of cands[k] ?? []) {
        const e = ctx.errors.at(i);
        if (!e || taken.has(i)) continue;
        const d = Math.abs(e.time - s.time);
        if (d < bestDist) {
          bestDist = d;
          best = i;
        }
      }
      if (best < 0) return;
      taken.add(best);
      const claim: Claim = { error: best, confidence, why: 'same time window', evidence: s };
      const via = opts.via?.(s);
      if (via) claim.via = via;
      claims.push(claim);
    });
  }
  return claims;
}

export interface JoinResult {
  claims: Claim[];
  /** request-scoped signals whose request is not a 5xx (hidden failures: 200 with a truncated body, warnings) */
  hidden: Signal[];
  /** signals without request keys (joined by time when possible) */
  unscoped: Signal[];
}

/**
 * Request-scoped signals join their own 5xx at `sameRequest` confidence (a function of the signal and
 * status); request-less ones are paired by time (§5.2: 0.7 single candidate, 0.5 otherwise).
 */
export function joinSignals(
  ctx: DiagnoseContext,
  signals: readonly Signal[],
  opts: {
    sameRequest: (s: Signal, e: ErrorRequest) => number;
    time?: Omit<TimeJoinOptions, 'taken'>;
    via?: (s: Signal) => string | undefined;
  },
): JoinResult {
  const scoped = signals.filter(isRequestScoped);
  // with catch_workers_output the FPM log repeats what nginx got on FastCGI stderr: the copy without a
  // request must not be paired by time with some neighbouring 5xx
  let unscoped = signals.filter((s) => !isRequestScoped(s) && !isCopyOf(s, scoped));
  const claims: Claim[] = [];
  const seen = new Set<number>();
  const unjoined: Signal[] = [];
  for (const s of scoped) {
    let i = ctx.sameRequest(s);
    if (i === undefined) {
      unjoined.push(s);
      continue;
    }
    // identical requests from one client in the same second (a bot, a retry loop, a NAT) all find the
    // nearest 5xx: give each further line the next such 5xx, one line per request
    if (seen.has(i)) {
      i = nextSameRequest(ctx, s, seen);
      if (i === undefined) continue;
    }
    const e = ctx.errors.at(i);
    const confidence = e ? opts.sameRequest(s, e) : 0;
    if (!e || confidence <= 0) continue;
    seen.add(i);
    const claim: Claim = { error: i, confidence, why: 'same request', evidence: s };
    const via = opts.via?.(s);
    if (via) claim.via = via;
    claims.push(claim);
  }
  // Apache logs the errno on a line without [client] and the client on its companion line (AH00957 + AH01079)
  const rest: Signal[] = [];
  for (const s of unscoped) {
    const i = apacheCompanion(ctx, s);
    const e = i === undefined ? undefined : ctx.errors.at(i);
    const confidence = e ? opts.sameRequest(s, e) - COMPANION_PENALTY : 0;
    if (i === undefined || !e || confidence <= 0 || seen.has(i)) {
      rest.push(s);
      continue;
    }
    seen.add(i);
    const claim: Claim = { error: i, confidence, why: 'same request', evidence: s };
    const via = opts.via?.(s);
    if (via) claim.via = via;
    claims.push(claim);
  }
  unscoped = rest;
  if (opts.time && unscoped.length > 0) {
    const taken = new Set(claims.map((c) => c.error));
    const timeOpts: TimeJoinOptions = { ...opts.time, taken };
    if (opts.via && !timeOpts.via) timeOpts.via = opts.via;
    claims.push(...claimByTime(ctx, unscoped, timeOpts));
  }
  return { claims, hidden: unjoined, unscoped };
}

/** Another 5xx of the same client and request line whose span holds the signal, nearest first, not in `seen`. */
function nextSameRequest(ctx: DiagnoseContext, s: Signal, seen: ReadonlySet<number>): number | undefined {
  const client = s.keys.client;
  const request = s.keys.request;
  if (!client || !request) return undefined;
  let best: number | undefined;
  let bestDist = Infinity;
  for (const i of ctx.errorsBetween(s.time, s.time + longestRun(ctx), (e, k) => !seen.has(k) && e.request === request && e.client === client)) {
    const e = ctx.errors.at(i);
    if (!e) continue;
    const [lo, hi] = ctx.requestSpan(e);
    if (s.time < lo || s.time > hi) continue;
    const d = Math.abs(e.time - s.time);
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  return best;
}

/** Same message as a request-scoped signal logged within the clock's precision (another log's copy). */
function isCopyOf(s: Signal, scoped: readonly Signal[]): boolean {
  const d = s.keys.detail;
  if (!d) return false;
  return scoped.some((o) => o.sig === s.sig && o.keys.detail === d && Math.abs(o.time - s.time) <= SLACK_MS);
}

/** A companion join is one step less direct than the line naming its own client. */
const COMPANION_PENALTY = 0.05;

/** '[pid 2211:tid 140234567890688]' of an Apache error line: one request is served by one thread. */
function apacheThread(s: Signal): string | undefined {
  return /\[pid (\d{1,10})(?::tid (\d{1,20}))?\]/.exec(s.text)?.[0];
}

/**
 * The 5xx of an Apache error line without [client]: the line of the same process/thread within the
 * clock's precision that does name the client (mod_proxy logs the errno on AH00957/AH02454 and the client
 * on the following AH01079/AH01114).
 */
export function apacheCompanion(ctx: DiagnoseContext, s: Signal): number | undefined {
  if (s.family !== 'apache-error' || s.keys.client) return undefined;
  const thread = apacheThread(s);
  if (!thread) return undefined;
  const all = ctx.signals;
  // ctx.signals is sorted by time: start at the first one inside the window
  let lo = 0, hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((all[mid]?.time ?? Infinity) < s.time - 1000) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < all.length; k++) {
    const o = all[k];
    if (!o || o.time > s.time + 1000) break;
    if (o === s || o.family !== 'apache-error' || !o.keys.client || o.source !== s.source) continue;
    if (apacheThread(o) !== thread) continue;
    const i = ctx.sameRequest(o);
    if (i !== undefined) return i;
  }
  return undefined;
}

/**
 * The digest keeps a bounded number of signals per signature and only counts the rest (first, last, count).
 * During a long outage those counted ones still explain 5xx: claim the untaken 5xx of their time range, up
 * to their count, as a time-window join (no line to show: the text was not kept).
 */
export function claimOverflow(
  ctx: DiagnoseContext,
  sigs: readonly string[],
  taken: ReadonlySet<number>,
  confidence: number,
  pred: (e: ErrorRequest) => boolean,
): Claim[] {
  const claims: Claim[] = [];
  for (const sig of sigs) {
    const o = ctx.digest.signalOverflow.get(sig);
    if (!o || o.count <= 0) continue;
    let left = o.count;
    for (const i of ctx.errorsBetween(o.first, o.last, (e, i) => pred(e) && !taken.has(i))) {
      if (left-- <= 0) break;
      claims.push({ error: i, confidence, why: 'same time window', via: `${o.count} more ${sig} lines (counted, not kept)` });
    }
  }
  return claims;
}

/** The most frequent value (ties: first seen), or undefined for an empty list. */
export function dominant<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestN = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

/** Highest claim confidence, or `fallback` when there are no claims. */
export function findingConfidence(claims: readonly Claim[], fallback: number): number {
  let best = 0;
  for (const c of claims) if (c.confidence > best) best = c.confidence;
  return claims.length > 0 ? best : fallback;
}

/** The first PHP message of a detail text without its 'PHP Fatal error:  ' prefix, location and stack. */
export function phpMessageText(detail: string | undefined): string {
  if (!detail) return '';
  let t = detail.replace(/^PHP (?:Fatal error|Recoverable fatal error|Parse error|Warning|Notice|Deprecated):\s+/, '');
  const stack = t.indexOf('Stack trace:');
  if (stack >= 0) t = t.slice(0, stack);
  return t.trim();
}

/** A fatal PHP message (fatal error, uncaught exception) rather than a warning the request may survive. */
export function isFatalPhp(s: Signal): boolean {
  return /^(?:PHP )?(?:Fatal error|Recoverable fatal error|Parse error)|Uncaught /.test(s.keys.detail ?? '');
}

/** A PHP message shortened for a report sentence: paths cut to their last two segments. */
export function shortMessage(text: string, max = 160): string {
  const t = text.replace(/(?:\/[^\s/:]{1,200}){3,}\/([^\s/:]{1,200}\/[^\s/:]{1,200})/g, '…/$1');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Signals of these ids whose errno is in `errnos`. */
export function withErrno(ctx: DiagnoseContext, ids: readonly string[], errnos: readonly number[]): Signal[] {
  return ctx.bySig(...ids).filter((s) => s.keys.errno !== undefined && errnos.includes(s.keys.errno));
}

/** Distinct signals (the same record can be reached through two lists). */
export function uniqueSignals(signals: readonly Signal[]): Signal[] {
  const seen = new Set<string>();
  const out: Signal[] = [];
  for (const s of signals) {
    const k = `${s.source}:${s.line}:${s.sig}:${s.keys.variant ?? ''}:${s.keys.detail ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out.sort((a, b) => a.time - b.time);
}

/** 'about 25 s', '3 min', '2.5 h': durations for notes (rules do not know the report's zone, so no clock times). */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 360) / 10} h`;
}
