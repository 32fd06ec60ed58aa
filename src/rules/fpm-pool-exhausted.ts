// §5.1 fpm-pool-exhausted: every pm.max_children worker was busy. New FastCGI connections waited in the
// listen backlog (→ 504 when they waited too long) and, with the backlog full, connect() on the unix socket
// failed with EAGAIN (→ 502/503). Episodes are W-SAT (lib-fpm saturationEpisodes). When the slow log shows
// the workers held by one dependency, slow-dependency is the root cause and this rule claims below it.
import type { DiagnoseContext } from '../diagnose/context.js';
import { BUCKET_MS } from '../digest/digest.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import {
  analysis,
  claim,
  dominant,
  dominantSlowClass,
  endOf,
  findingConfidence,
  isTimeoutSignal,
  mainPool,
  mergeClaims,
  poolFile,
  poolPenalty,
  saturationEpisodes,
  symptomOf,
  type SaturationEpisode,
} from './lib-fpm.js';
import type { Claim, Finding, Rule } from './types.js';

const BACKLOG = 0.9;
const QUEUED_WITH_WARNING = 0.85;
const WINDOW_ONLY = 0.7;
/** With the workers held by one dependency, pool exhaustion is the mechanism; slow-dependency claims 0.7. */
const MECHANISM_ONLY = 0.65;
/** fork() failed with ENOMEM and no max_children: host-memory-exhausted claims 0.85. */
const FORK_LIMITED = 0.6;
/** pm = static never logs max_children: only a 504 burst across URLs with slow entries piling up. */
const STATIC_INFERRED = 0.6;

/** Requests per second in [from, to] against the hour before (the §5.1 sub-diagnosis). */
function rateRatio(ctx: DiagnoseContext, from: number, to: number): number | undefined {
  let inEp = 0, before = 0, beforeSecs = 0, firstSeen = Infinity;
  const f = Math.floor(from / BUCKET_MS), t = Math.floor(to / BUCKET_MS), h = f - 3600;
  // the columns, not the table's Map view: that makes a bucket object per second of the log
  const { secs, totals } = ctx.digest.buckets.columnsView();
  for (let r = 0; r < secs.length; r++) {
    const sec = secs[r] ?? NaN;
    if (sec >= f && sec <= t) inEp += totals[r] ?? 0;
    else if (sec >= h && sec < f) {
      before += totals[r] ?? 0;
      beforeSecs++;
      if (sec < firstSeen) firstSeen = sec;
    }
  }
  // too little history to compare with: say nothing rather than guess
  if (beforeSecs < 60 || before === 0) return undefined;
  const span = Math.max(1, t - f + 1);
  return inEp / span / (before / Math.max(1, f - firstSeen));
}

function episodeClaims(ctx: DiagnoseContext, ep: SaturationEpisode): { claims: Claim[]; cap?: number; variant: string; slowClass?: string } {
  const slow = dominantSlowClass(ctx, ep.from - 60_000, ep.to);
  const ratio = rateRatio(ctx, ep.from, ep.to);
  const variant = ep.signals.some((s) => s.keys.variant === 'fork-nproc') ? 'nproc' : ratio !== undefined && ratio >= 2 ? 'traffic-spike' : 'slow-requests';
  let cap: number | undefined;
  if (slow && variant !== 'traffic-spike') cap = MECHANISM_ONLY;
  if (ep.forkEnomem.length > 0 && !ep.hasMaxChildren) cap = FORK_LIMITED;
  const evidenceOf = ep.signals.find((s) => s.sig === 'F-MAXCHILD') ?? ep.signals[0];
  const claims: Claim[] = [];
  for (const x of ep.errors) {
    const e = ctx.errors.at(x.error);
    if (!e) continue;
    const penalty = poolPenalty(ctx, ep.pool, x.evidence?.keys.upstreamKey ?? ctx.upstreamOf(e));
    if (penalty === undefined) continue;
    let conf = x.kind === 'backlog' ? BACKLOG : x.kind === 'timeout' ? (ep.hasMaxChildren || ep.hasBacklogFull ? QUEUED_WITH_WARNING : WINDOW_ONLY) : ep.hasMaxChildren ? WINDOW_ONLY : WINDOW_ONLY - 0.1;
    // EAGAIN joins its own request even without any FPM log; the pool guess only matters for the others
    if (x.kind !== 'backlog') conf -= penalty;
    if (cap !== undefined) conf = Math.min(conf, cap);
    const why = x.kind === 'backlog' || x.kind === 'timeout' ? 'same request' : 'same time window';
    claims.push(claim(x.error, conf, why, x.evidence ?? evidenceOf, `${symptomOf(x.evidence)} ← pool ${ep.pool ?? ''} saturated`.replace('  ', ' ')));
  }
  return { claims, ...(cap !== undefined ? { cap } : {}), variant, ...(slow ? { slowClass: slow.variant } : {}) };
}

/** pm = static: a burst of queue timeouts across URLs while slow entries pile up, with no FPM warning at all. */
function staticPoolClaims(ctx: DiagnoseContext, covered: Set<number>): { claims: Claim[]; evidence: Signal[] } {
  const slow = ctx.bySig('S-ENTRY', 'F-SLOW');
  if (slow.length < 5) return { claims: [], evidence: [] };
  const joined = analysis(ctx).joined;
  const timeouts: { i: number; s: Signal }[] = [];
  for (let i = 0; i < ctx.errors.length; i++) {
    if (ctx.errors.statusAt(i) !== 504 || covered.has(i)) continue;
    const s = (joined.get(i) ?? []).find(isTimeoutSignal);
    if (s) timeouts.push({ i, s });
  }
  const claims: Claim[] = [];
  const evidence: Signal[] = [];
  for (let k = 0; k < timeouts.length; ) {
    let j = k;
    const first = timeouts[k] as { i: number; s: Signal };
    while (j + 1 < timeouts.length && (timeouts[j + 1] as { s: Signal }).s.time - first.s.time <= 60_000) j++;
    const burst = timeouts.slice(k, j + 1);
    const paths = new Set(burst.map((b) => ctx.errors.at(b.i)?.path));
    const last = burst[burst.length - 1] as { s: Signal };
    const piled = slow.filter((s) => s.time >= first.s.time - 120_000 && s.time <= last.s.time);
    if (burst.length >= 5 && paths.size >= 3 && piled.length >= 5) {
      for (const b of burst) claims.push(claim(b.i, STATIC_INFERRED, 'same time window', b.s, `${symptomOf(b.s)} ← all workers busy (static pool, no warning logged)`));
      evidence.push(...piled.slice(0, 3));
    }
    k = j + 1;
  }
  return { claims, evidence };
}

export const rule: Rule = {
  id: 'fpm-pool-exhausted',
  title: 'PHP-FPM pool exhausted (pm.max_children reached)',
  layer: 'fpm',
  meaning: 'Every PHP-FPM worker was busy, so new requests queued until they timed out (504) or were refused because the listen queue was full (502/503).',
  signals: ['N-CONNECT', 'A-CONNECT', 'F-MAXCHILD', 'F-BUSY', 'F-LIFECYCLE', 'N-TIMEOUT', 'A-FCGI', 'S-ENTRY', 'F-SLOW', 'K-OTHER'],
  lookAlikes: [
    'connect() errno 111/2 means the backend is down, not busy (upstream-down)',
    'a single long request with a 504 and no FPM warning is upstream-timeout or slow-dependency',
    'an old max_children warning does not cover 5xx hours later: the episode ends when the burst ends',
    'workers held by one slow dependency (slow log) make slow-dependency the root cause',
  ],
  fix: {
    summary:
      'Size the pool by memory and find what holds the workers: pm.max_children = floor(RAM for PHP / average worker RSS), enable the slow log, bound stuck requests, and reduce load (caching, bot blocking) if traffic spiked.',
    directives: [
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'pm.max_children', to: 'floor(RAM for PHP / worker RSS), e.g. 3 GB / 60 MB ≈ 50', why: 'measure RSS with ps -o rss= -C php-fpm8.2; never above what fits in RAM' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'request_slowlog_timeout', to: '5s', why: 'with slowlog = /var/log/php-fpm/$pool.slow.log: shows what holds the workers' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'listen.backlog', to: '511 (and net.core.somaxconn ≥ 511)', why: 'turns instant 502s into waits; adds no capacity' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'pm.max_spawn_rate', to: '32 (PHP ≥ 8.1, pm = dynamic)', why: 'lets a dynamic pool grow fast enough for bursts' },
    ],
  },
  diagnose(ctx) {
    const episodes = saturationEpisodes(ctx).filter((ep) => ep.hasMaxChildren || ep.hasBacklogFull || ep.signals.some((s) => s.keys.variant === 'fork-nproc'));
    const claims: Claim[] = [];
    const evidence: Signal[] = [];
    const variants: string[] = [];
    let cap: number | undefined;
    let slowClass: string | undefined;
    const covered = new Set<number>();
    for (const ep of episodes) {
      const r = episodeClaims(ctx, ep);
      claims.push(...r.claims);
      for (const c of r.claims) covered.add(c.error);
      evidence.push(...ep.signals);
      if (r.claims.length > 0) variants.push(r.variant);
      if (r.cap !== undefined) cap = r.cap;
      if (r.slowClass) slowClass = r.slowClass;
    }
    const stat = staticPoolClaims(ctx, covered);
    claims.push(...stat.claims);
    evidence.push(...stat.evidence);
    const merged = mergeClaims(claims);
    if (merged.length === 0 && episodes.length === 0) return [];

    const maxChildren = dominant(ctx.bySig('F-MAXCHILD').map((s) => /max_children=(\d+)/.exec(s.keys.detail ?? '')?.[1]).filter((x): x is string => x !== undefined))?.value;
    const perMinute = new Map<number, number>();
    for (const c of merged) {
      const e = ctx.errors.at(c.error);
      if (e) perMinute.set(Math.floor(endOf(e) / 60_000), (perMinute.get(Math.floor(endOf(e) / 60_000)) ?? 0) + 1);
    }
    const peak = Math.max(0, ...perMinute.values());
    const variant = dominant(variants)?.value ?? 'slow-requests';
    const facts: string[] = [];
    if (maxChildren) facts.push(`pm.max_children is ${maxChildren}`);
    if (peak > 0) facts.push(`peak ${peak} failed requests per minute`);
    if (variant === 'traffic-spike') facts.push('request rate at least doubled against the hour before (check for bots)');
    if (slowClass) facts.push(`the slow log shows workers waiting on ${slowClass} (see slow-dependency)`);
    if (stat.claims.length > 0 && episodes.length === 0) facts.push('no max_children warning (pm = static never logs one): inferred from the timeout burst and the slow log');

    const pool = mainPool(evidence) ?? 'www';
    const f: Finding = {
      cause: 'fpm-pool-exhausted',
      confidence: findingConfidence(merged, cap ?? 0.6),
      claims: merged,
      evidence: sampleEvidence(evidence, 6),
      variant,
      note: facts.length > 0 ? `${facts.join('; ')}.` : undefined,
      directives: [
        {
          file: poolFile(ctx, pool),
          set: 'pm.max_children',
          to: maxChildren ? `more than ${maxChildren} only if RAM allows: floor(RAM for PHP / worker RSS)` : 'floor(RAM for PHP / worker RSS)',
          why: 'measure RSS with ps -o rss= -C php-fpm; more workers than RAM trades this for oom-killer',
        },
        { file: poolFile(ctx, pool), set: 'request_slowlog_timeout', to: '5s', why: `with slowlog = /var/log/php-fpm/${pool}.slow.log: shows what holds the workers` },
        { file: poolFile(ctx, pool), set: 'listen.backlog', to: '511 (and net.core.somaxconn ≥ 511)', why: 'turns instant 502s into waits; adds no capacity' },
      ],
    };
    if (!f.note) delete f.note;
    return [f];
  },
};
