// Runs every rule on the merged digest, credits each 5xx to at most one cause (Part 6.5), ranks the causes
// and cuts each cause's 5xx into episodes. Pure: the same digest gives the same diagnosis.
import type { Digest } from '../digest/digest.js';
import type { Claim, Finding, Rule } from '../rules/types.js';
import type { Signal } from '../signals/types.js';
import { createContext, type DiagnoseContext } from './context.js';
import { maxOf, minOf } from '../numbers.js';

/** Claims below this are not enough to explain a 5xx (Part 6.5 step 5). */
export const MIN_CLAIM_CONFIDENCE = 0.35;
/** A cause's 5xx belong to one episode while the gaps between them stay at most this long (W-BURST). */
export const EPISODE_GAP_MS = 30_000;
/** Findings with no 5xx of their own are still reported from this confidence on (hidden failures). */
const MIN_SILENT_CONFIDENCE = 0.6;

export interface Episode {
  from: number;
  to: number;
  requests: number;
  /** highest number of this cause's 5xx in any one minute of the episode */
  peakPerMinute: number;
}

export interface DiagnosedCause {
  rule: Rule;
  finding: Finding;
  /** indexes into ctx.errors credited to this cause */
  errors: number[];
  claims: Claim[];
  confidence: number;
  score: number;
  firstSeen: number;
  lastSeen: number;
  episodes: Episode[];
}

export interface Diagnosis {
  ctx: DiagnoseContext;
  causes: DiagnosedCause[];
  /** indexes of 5xx that no cause explains */
  unexplained: number[];
  /** error index → cause id, for timelines */
  attribution: Attribution;
}

/** Which rule each 5xx was credited to: one small integer per 5xx instead of a Map entry. */
export class Attribution {
  private readonly ruleOf: Int32Array;
  private readonly ids: string[] = [];
  private readonly idIndex = new Map<string, number>();
  private credited = 0;

  constructor(errors: number) {
    this.ruleOf = new Int32Array(errors).fill(-1);
  }

  set(error: number, ruleId: string): void {
    let k = this.idIndex.get(ruleId);
    if (k === undefined) {
      k = this.ids.length;
      this.ids.push(ruleId);
      this.idIndex.set(ruleId, k);
    }
    if ((this.ruleOf[error] ?? -1) < 0) this.credited++;
    this.ruleOf[error] = k;
  }

  get(error: number): string | undefined {
    const k = this.ruleOf[error] ?? -1;
    return k < 0 ? undefined : this.ids[k];
  }

  has(error: number): boolean {
    return (this.ruleOf[error] ?? -1) >= 0;
  }

  /** number of credited 5xx */
  get size(): number {
    return this.credited;
  }

  *entries(): IterableIterator<[number, string]> {
    for (let i = 0; i < this.ruleOf.length; i++) {
      const id = this.get(i);
      if (id !== undefined) yield [i, id];
    }
  }
}

function episodesOf(times: number[]): Episode[] {
  const out: Episode[] = [];
  const sorted = times.filter((t) => t === t).sort((a, b) => a - b);
  let cur: { from: number; to: number; times: number[] } | null = null;
  const close = (): void => {
    if (!cur) return;
    const perMinute = new Map<number, number>();
    for (const t of cur.times) {
      const m = Math.floor(t / 60_000);
      perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    }
    out.push({ from: cur.from, to: cur.to, requests: cur.times.length, peakPerMinute: maxOf(perMinute.values(), 0) });
  };
  for (const t of sorted) {
    if (cur && t - cur.to <= EPISODE_GAP_MS) {
      cur.to = t;
      cur.times.push(t);
    } else {
      close();
      cur = { from: t, to: t, times: [t] };
    }
  }
  close();
  return out;
}

/** First and last time of a list of signals (NaN-free); Infinity/-Infinity when none has a time. */
export function signalSpan(signals: readonly Signal[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const s of signals) {
    if (s.time !== s.time) continue;
    if (s.time < lo) lo = s.time;
    if (s.time > hi) hi = s.time;
  }
  return [lo, hi];
}

function sameKey(c: DiagnosedCause): string {
  const f = c.finding;
  return [c.rule.id, f.variant ?? '', [...(f.upstreams ?? [])].sort().join(','), f.culprits?.[0]?.name ?? ''].join('\u0000');
}

/** Merges findings of one rule that name the same thing into one row (weighted confidence, all episodes). */
function combineRepeats(list: DiagnosedCause[], ctx: DiagnoseContext): DiagnosedCause[] {
  const groups = new Map<string, DiagnosedCause[]>();
  for (const c of list) {
    const k = sameKey(c);
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const out: DiagnosedCause[] = [];
  for (const g of groups.values()) {
    const first = g[0];
    if (!first) continue;
    if (g.length === 1) {
      out.push(first);
      continue;
    }
    const errors = g.flatMap((c) => c.errors).sort((a, b) => a - b);
    const claims = g.flatMap((c) => c.claims);
    const confidence =
      claims.length > 0 ? claims.reduce((n, c) => n + c.confidence, 0) / claims.length : maxOf(g.map((c) => c.finding.confidence));
    const culprits = new Map<string, { kind: string; name: string; count: number }>();
    for (const c of g) {
      for (const x of c.finding.culprits ?? []) {
        const key = `${x.kind}\u0000${x.name}`;
        const cur = culprits.get(key);
        if (cur) cur.count += x.count;
        else culprits.set(key, { ...x });
      }
    }
    const finding = {
      ...first.finding,
      confidence: maxOf(g.map((c) => c.finding.confidence)),
      claims,
      evidence: g.flatMap((c) => c.finding.evidence),
      culprits: [...culprits.values()].sort((a, b) => b.count - a.count),
    };
    const times = errors.map((i) => ctx.errors.timeAt(i));
    out.push({
      rule: first.rule,
      finding,
      errors,
      claims,
      confidence: Math.round(confidence * 100) / 100,
      score: Math.round(errors.length * confidence * 100) / 100,
      firstSeen: minOf(g.map((c) => c.firstSeen)),
      lastSeen: maxOf(g.map((c) => c.lastSeen)),
      episodes: errors.length > 0 ? episodesOf(times) : g.flatMap((c) => c.episodes),
    });
  }
  return out;
}

export function diagnose(digest: Digest, rules: readonly Rule[]): Diagnosis {
  const ctx = createContext(digest);
  const found: { rule: Rule; order: number; finding: Finding }[] = [];
  rules.forEach((rule, order) => {
    for (const finding of rule.diagnose(ctx)) found.push({ rule, order, finding });
  });

  // each 5xx goes to the strongest claim; ties go to the rule that names a deeper cause, then to registry order.
  // Per 5xx: the index of the winning finding and its claim (arrays, not a Map: one slot per 5xx)
  const n = ctx.errors.length;
  // per 5xx: the winning finding and the place of its claim in that finding's list (typed arrays: a
  // plain array of claim references this long would fall back to dictionary elements past 100,000)
  const bestIdx = new Int32Array(n).fill(-1);
  const bestAt = new Int32Array(n);
  const claimAt = (error: number): Claim | undefined => found[bestIdx[error] ?? -1]?.finding.claims[bestAt[error] ?? 0];
  found.forEach((f, idx) => {
    f.finding.claims.forEach((claim, k) => {
      if (claim.confidence < MIN_CLAIM_CONFIDENCE || !(claim.error >= 0 && claim.error < n)) return;
      const cur = claimAt(claim.error);
      const other = found[bestIdx[claim.error] ?? -1];
      const d = cur === undefined ? 1 : claim.confidence - cur.confidence;
      const better =
        other === undefined ||
        d > 1e-9 ||
        (Math.abs(d) <= 1e-9 &&
          (Boolean(other.rule.residual) !== Boolean(f.rule.residual) ? !f.rule.residual : f.order < other.order));
      if (better) {
        bestIdx[claim.error] = idx;
        bestAt[claim.error] = k;
      }
    });
  });

  const won = new Map<number, { errors: number[]; claims: Claim[] }>();
  const attribution = new Attribution(n);
  for (let error = 0; error < n; error++) {
    const idx = bestIdx[error] ?? -1;
    const claim = claimAt(error);
    const f = found[idx];
    if (!f || claim === undefined) continue;
    let w = won.get(idx);
    if (!w) won.set(idx, (w = { errors: [], claims: [] }));
    w.errors.push(error);
    w.claims.push(claim);
    attribution.set(error, f.rule.id);
  }

  let causes: DiagnosedCause[] = [];
  found.forEach((f, idx) => {
    const w = won.get(idx);
    const errs = (w?.errors ?? []).sort((a, b) => a - b);
    if (errs.length === 0 && (f.finding.confidence < MIN_SILENT_CONFIDENCE || f.finding.evidence.length === 0)) return;
    const claims = w?.claims ?? [];
    const confidence =
      claims.length > 0 ? claims.reduce((sum, c) => sum + c.confidence, 0) / claims.length : f.finding.confidence;
    const times = errs.map((i) => ctx.errors.timeAt(i));
    const [sigFrom, sigTo] = signalSpan(f.finding.evidence);
    const firstSeen = Math.min(sigFrom, minOf(times));
    const lastSeen = Math.max(sigTo, maxOf(times));
    causes.push({
      rule: f.rule,
      finding: f.finding,
      errors: errs,
      claims,
      confidence: Math.round(confidence * 100) / 100,
      score: Math.round(errs.length * confidence * 100) / 100,
      firstSeen,
      lastSeen,
      episodes: episodesOf(times),
    });
  });

  // findings of one rule that differ in what they name (two pools, two variants) stay separate rows; the
  // same cause found twice (two OOM kills minutes apart) is one row with two episodes
  causes = combineRepeats(causes, ctx);
  // ranking: impact x confidence, then recency
  causes.sort((a, b) => b.score - a.score || b.confidence - a.confidence || b.lastSeen - a.lastSeen);
  const unexplained: number[] = [];
  for (let i = 0; i < n; i++) if (!attribution.has(i)) unexplained.push(i);
  return { ctx, causes, unexplained, attribution };
}
