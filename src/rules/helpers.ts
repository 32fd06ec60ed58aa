// Join patterns the rules share (signatures.md Part 6.1): same request, same pid, same upstream, same window.
import type { DiagnoseContext } from '../diagnose/context.js';
import { SLACK_MS } from '../diagnose/context.js';
import type { ErrorRequest } from '../digest/digest.js';
import { culpritOf } from '../signals/culprit.js';
import type { Signal } from '../signals/types.js';
import type { Claim, Culprit, JoinKind } from './types.js';

export { SLACK_MS };

export const is5xx = (e: ErrorRequest): boolean => e.status >= 500 && e.status <= 599;

/**
 * One claim per signal that joins its own request (client + request line + W-REQ). Returns the claims and
 * the signals that found no request (useful for window joins and for hidden failures).
 */
export function claimSameRequest(
  ctx: DiagnoseContext,
  signals: readonly Signal[],
  confidence: number,
  opts: { statuses?: readonly number[]; via?: (s: Signal) => string | undefined } = {},
): { claims: Claim[]; unjoined: Signal[] } {
  const claims: Claim[] = [];
  const unjoined: Signal[] = [];
  const seen = new Set<number>();
  const byConnection = new Map<string, Signal>();
  for (const s of signals) {
    // several lines of one nginx connection about one request (stderr + close, or a try per server of a
    // group) count once; the same line again on that connection is its next request (keepalive)
    const conn = s.keys.connection !== undefined ? `${s.source}#${s.keys.connection}#${s.keys.request ?? ''}` : undefined;
    const prev = conn !== undefined ? byConnection.get(conn) : undefined;
    if (prev && Math.abs(prev.time - s.time) <= 5000 && (prev.sig !== s.sig || prev.keys.upstreamKey !== s.keys.upstreamKey)) continue;
    // one 5xx per line: a client repeating a request in the same second gets its lines paired in turn
    const i = ctx.sameRequestCandidates(s).find((c) => {
      const e = ctx.errors.at(c);
      return !seen.has(c) && e !== undefined && (!opts.statuses || opts.statuses.includes(e.status));
    });
    if (i === undefined) {
      unjoined.push(s);
      continue;
    }
    seen.add(i);
    if (conn !== undefined) byConnection.set(conn, s);
    const claim: Claim = { error: i, confidence, why: 'same request', evidence: s };
    const via = opts.via?.(s);
    if (via) claim.via = via;
    claims.push(claim);
  }
  return { claims, unjoined };
}

/** Claims for every 5xx in [from, to] that passes `pred`, all with one confidence and join kind. */
export function claimWindow(
  ctx: DiagnoseContext,
  from: number,
  to: number,
  confidence: number,
  why: JoinKind,
  pred: (e: ErrorRequest) => boolean = is5xx,
  evidence?: Signal,
): Claim[] {
  return ctx.errorsBetween(from, to, (e) => pred(e)).map((error) => {
    const c: Claim = { error, confidence, why };
    if (evidence) c.evidence = evidence;
    return c;
  });
}

/** Signals cut into clusters where consecutive signals are at most `gapMs` apart. */
export function clusters(signals: readonly Signal[], gapMs: number): Signal[][] {
  const out: Signal[][] = [];
  let cur: Signal[] = [];
  let last = -Infinity;
  for (const s of [...signals].filter((x) => x.time === x.time).sort((a, b) => a.time - b.time)) {
    if (cur.length > 0 && s.time - last > gapMs) {
      out.push(cur);
      cur = [];
    }
    cur.push(s);
    last = s.time;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** First and last time of a list of signals (NaN-free). */
export { signalSpan as span } from '../diagnose/diagnose.js';

/** Whether a 5xx went to this upstream (normalized keys); true when either side does not know. */
export function sameUpstream(ctx: DiagnoseContext, e: ErrorRequest, upstreamKey: string | undefined): boolean {
  if (!upstreamKey) return true;
  const u = ctx.upstreamOf(e);
  return u === undefined || u === upstreamKey;
}

/** Statuses a web server gives when the backend connection breaks or fails: nginx 502, Apache fcgi 503. */
export const BACKEND_FAILURE_STATUSES: readonly number[] = [502, 503];

/** Counts culprits (plugin, theme, package…) named by the files of these signals, most frequent first. */
export function culpritsOf(signals: readonly Signal[]): Culprit[] {
  const counts = new Map<string, Culprit>();
  for (const s of signals) {
    const path = s.keys.file ?? s.keys.script;
    if (!path) continue;
    const c = culpritOf(path);
    if (!c) continue;
    const key = `${c.kind}\u0000${c.name}`;
    const cur = counts.get(key);
    if (cur) cur.count++;
    else counts.set(key, { kind: c.kind, name: c.name, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
}

/** Signals within [t - before, t + after]. */
export function near(signals: readonly Signal[], t: number, before: number, after: number): Signal[] {
  return signals.filter((s) => s.time >= t - before && s.time <= t + after);
}

/** Keeps the first few signals of each distinct text shape, for evidence lists that stay readable. */
export function sampleEvidence(signals: readonly Signal[], max = 5): Signal[] {
  const out: Signal[] = [];
  const seen = new Set<string>();
  for (const s of signals) {
    const key = `${s.sig}:${s.keys.variant ?? ''}:${s.keys.upstreamKey ?? s.keys.pool ?? ''}`;
    if (seen.has(key) && out.length >= 2) continue;
    seen.add(key);
    out.push(s);
    if (out.length >= max) break;
  }
  return out;
}
