// §5.9 slow-dependency: the FPM slow log shows PHP blocked on a database query, an HTTP call, a cache, a
// lock or sleep() while the request failed by a timeout (504), by request_terminate_timeout (502) or inside a
// pool-exhaustion episode. The timeout/termination/saturation is the mechanism; the dependency is the cause.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { culpritsOf, sampleEvidence } from './helpers.js';
import {
  analysis,
  claim,
  claimPhpMessages,
  dominant,
  dominantSlowClass,
  findingConfidence,
  IO_CLASSES,
  isTimeoutSignal,
  mergeClaims,
  poolPenalty,
  saturationEpisodes,
  slowByPid,
  slowlogTimeout,
  startOf,
  symptomOf,
  type FpmAnalysis,
} from './lib-fpm.js';
import type { Claim, Finding, Rule } from './types.js';

const SEC = 1000;
/** Slow entry's request start = the 5xx's request start (±2 s), same pool. */
const SAME_START = 0.8;
/** Inside the request's span, the slowlog timeout unknown: one candidate / several. */
const IN_SPAN_SINGLE = 0.7;
const IN_SPAN_SEVERAL = 0.6;
/** ≥ 50 % of an episode's slow entries wait on one class. */
const EPISODE_SHARE = 0.7;
/** A dependency timeout text on the failed request itself ('cURL error 28: Operation timed out'). */
const TIMEOUT_TEXT = 0.85;
/** session_start()/flock(): requests of one user serialise; real, but not a remote dependency. */
const LOCK_PENALTY = 0.1;
const FAILED_BY_WAITING = new Set([502, 503, 504]);

const CLASS_WORDS: Record<string, string> = {
  'http-call': 'an outbound HTTP call',
  database: 'the database',
  cache: 'the cache (Redis/Memcached)',
  sleep: 'sleep()',
  lock: 'a session or file lock',
  'disk-io': 'disk I/O',
};

function directivesFor(variant: string, culpritFile: string | undefined): FixDirective[] {
  const where = culpritFile ?? 'the code the slow log names';
  switch (variant) {
    case 'http-call':
      return [
        { file: where, set: 'CURLOPT_CONNECTTIMEOUT / CURLOPT_TIMEOUT', to: '3 / 10 (seconds)', why: 'an outbound call must give up before the proxy does' },
        { file: 'php.ini (/etc/php/8.2/fpm/php.ini)', set: 'default_socket_timeout', to: '10', why: 'file_get_contents()/stream calls default to 60 s' },
      ];
    case 'database':
      return [
        { file: 'MySQL config (/etc/mysql/mysql.conf.d/mysqld.cnf)', set: 'slow_query_log = 1, long_query_time', to: '1', why: 'names the query to index or rewrite' },
        { file: 'php.ini (/etc/php/8.2/fpm/php.ini)', set: 'mysqlnd.net_read_timeout', to: '10', why: 'a stuck query fails instead of holding the worker' },
        { file: where, set: 'PDO::ATTR_TIMEOUT', to: '5' },
      ];
    case 'cache':
      return [{ file: where, set: 'Redis/Memcached client timeout and read_timeout', to: '1 (second)', why: 'a cache must never be slower than the database it protects' }];
    case 'sleep':
      return [{ file: where, set: 'sleep()/usleep() in the request path', to: 'remove; move retries and waits to a background job' }];
    case 'lock':
      return [{ file: where, set: 'session_write_close()', to: 'call right after the session is read', why: 'a session lock serialises every request of one user' }];
    default:
      return [{ file: where, set: 'file writes in the request path', to: 'move to faster storage or a background job' }];
  }
}

/**
 * A request that failed because it waited: the proxy timed out (504, or a timeout line), or FPM terminated
 * it. A 502 from a crash, an OOM kill or a refused connect is not explained by what the worker was doing.
 */
function failedByWaiting(a: FpmAnalysis, i: number, status: number): boolean {
  const lines = a.joined.get(i) ?? [];
  if (lines.some(isTimeoutSignal)) return true;
  const death = a.deathOf.get(i);
  if (death) return death.kind === 'terminate';
  return status === 504 && lines.length === 0;
}

/** When the traced request started: the F-SLOW line of the same worker gives the exact lag. */
function lagOf(ctx: DiagnoseContext, s: Signal, fallback: number | undefined): number | undefined {
  const own = s.keys.pid === undefined ? undefined : slowByPid(ctx).get(s.keys.pid)?.find((f) => f.sig === 'F-SLOW' && Math.abs(f.time - s.time) <= 2 * SEC && f.keys.seconds !== undefined);
  return own?.keys.seconds ?? fallback;
}

export const rule: Rule = {
  id: 'slow-dependency',
  title: 'Requests blocked on a slow dependency (database, HTTP call, cache, lock)',
  layer: 'dep',
  meaning: 'PHP was waiting on something it calls (a database query, an HTTP API, a cache, a lock or sleep) for so long that the request timed out or was killed.',
  signals: ['S-ENTRY', 'F-SLOW', 'D-HTTP', 'N-TIMEOUT', 'A-FCGI', 'F-TERMINATE', 'F-MAXCHILD'],
  lookAlikes: [
    'slow-log top frames in PHP code (cpu class) mean the app itself is slow: upstream-timeout / php-timeout',
    'session_start()/flock() (lock) is per-user serialisation, not a remote dependency',
    'database refused / gone away errors are database-unavailable',
  ],
  fix: {
    summary:
      'Put timeouts on every outbound call, cache remote responses, index slow queries and move slow work to background jobs; the web-server timeout is not the problem.',
    directives: [
      { file: 'the calling code', set: 'CURLOPT_CONNECTTIMEOUT / CURLOPT_TIMEOUT', to: '3 / 10 (seconds)' },
      { file: 'php.ini (/etc/php/8.2/fpm/php.ini)', set: 'default_socket_timeout', to: '10', why: 'the default is 60 s' },
      { file: 'php.ini (/etc/php/8.2/fpm/php.ini)', set: 'mysqlnd.net_read_timeout', to: '10' },
      { file: 'the calling code', set: 'session_write_close()', to: 'right after reading the session', why: 'for lock waits' },
    ],
  },
  diagnose(ctx) {
    const a = analysis(ctx);
    const entries = ctx.bySig('S-ENTRY').filter((s) => IO_CLASSES.has(s.keys.variant ?? 'cpu'));
    const httpTimeouts = ctx.bySig('D-HTTP').filter((s) => s.keys.variant === 'timeout');
    if (entries.length === 0 && httpTimeouts.length === 0) return [];

    const claims: Claim[] = [];
    const usedEntries: Signal[] = [];
    const taken = new Set<number>();
    const fallbackLag = slowlogTimeout(ctx);
    // a request that was running at the trace ends at most its duration later: the longest logged 5xx
    let longest = 0;
    for (let i = 0; i < ctx.errors.length; i++) longest = Math.max(longest, ctx.errors.requestTimeAt(i) || 0);
    const horizon = (longest > 0 ? Math.min(longest, 3600) : 300) * SEC + 2 * SEC;
    for (const s of entries) {
      const lag = lagOf(ctx, s, fallbackLag);
      const penalty = s.keys.variant === 'lock' ? LOCK_PENALTY : 0;
      const cands = ctx.errorsBetween(s.time, s.time + horizon, (e, i) => {
        if (!FAILED_BY_WAITING.has(e.status) || taken.has(i) || !failedByWaiting(a, i, e.status)) return false;
        const [lo, hi] = ctx.requestSpan(e);
        return s.time >= lo && s.time <= hi && poolPenalty(ctx, s.keys.pool, ctx.upstreamOf(e)) !== undefined;
      });
      if (cands.length === 0) continue;
      let chosen: number | undefined;
      let conf = 0;
      if (lag !== undefined) {
        const want = s.time - lag * SEC;
        let best = Infinity;
        for (const i of cands) {
          const e = ctx.errors.at(i);
          const st = e ? startOf(e) : undefined;
          if (st === undefined) continue;
          const d = Math.abs(st - want);
          if (d <= 2 * SEC + 1 && d < best) {
            best = d;
            chosen = i;
          }
        }
        conf = SAME_START;
      }
      if (chosen === undefined && (lag === undefined || cands.every((i) => ctx.errors.at(i)?.requestTime === undefined))) {
        chosen = cands[0];
        conf = cands.length === 1 ? IN_SPAN_SINGLE : IN_SPAN_SEVERAL;
      }
      if (chosen === undefined) continue;
      taken.add(chosen);
      usedEntries.push(s);
      const death = a.deathOf.get(chosen);
      const symptom = death?.kind === 'terminate' ? 'request_terminate_timeout' : symptomOf((a.joined.get(chosen) ?? [])[0]);
      claims.push(
        claim(chosen, conf - penalty, death?.pid !== undefined && death.pid === s.keys.pid ? 'same pid' : 'same time window', s, `${symptom} ← blocked in ${s.keys.fn ?? '?'}() (${s.keys.variant})`),
      );
    }

    // §5.1 sub-diagnosis: the workers of a saturated pool were held by one dependency
    for (const ep of saturationEpisodes(ctx)) {
      const slow = dominantSlowClass(ctx, ep.from - 60 * SEC, ep.to);
      if (!slow) continue;
      usedEntries.push(...slow.entries);
      const penalty = slow.variant === 'lock' ? LOCK_PENALTY : 0;
      for (const x of ep.errors) {
        claims.push(claim(x.error, EPISODE_SHARE - penalty, 'same time window', x.evidence ?? slow.entries[0], `${symptomOf(x.evidence)} ← pool saturated ← ${slow.entries.length}/${slow.total} slow requests waiting on ${slow.variant}`));
      }
    }

    const texts = claimPhpMessages(ctx, httpTimeouts, [500, 502, 503, 504], (s) => `HTTP call timed out${s.keys.detail ? ` (${s.keys.detail})` : ''}`);
    for (const c of texts.claims) claims.push({ ...c, confidence: Math.min(c.confidence, TIMEOUT_TEXT) });

    const merged = mergeClaims(claims);
    const basis = usedEntries.length > 0 ? usedEntries : entries;
    const variant = basis.length > 0 ? dominant(basis.map((s) => s.keys.variant ?? 'http-call'))?.value ?? 'http-call' : 'http-call';
    const ofVariant = basis.filter((s) => s.keys.variant === variant);
    const topFn = dominant(ofVariant.map((s) => s.keys.detail ?? s.keys.fn ?? '').filter(Boolean));
    const culprits = culpritsOf(ofVariant.length > 0 ? ofVariant : texts.claims.map((c) => c.evidence).filter((s): s is Signal => s !== undefined));
    const culpritFile = dominant(ofVariant.map((s) => s.keys.file).filter((f): f is string => f !== undefined))?.value;
    const facts: string[] = [];
    if (topFn) facts.push(`blocked in ${topFn.value} (${topFn.count} of ${ofVariant.length} slow entries)`);
    else if (httpTimeouts.length > 0) facts.push(`${httpTimeouts.length} outbound HTTP timeout${httpTimeouts.length === 1 ? '' : 's'} logged by PHP`);
    const f: Finding = {
      cause: 'slow-dependency',
      // slow requests that cost no 5xx are latency, not an outage: not reported on their own
      confidence: findingConfidence(merged, 0.5),
      claims: merged,
      evidence: sampleEvidence([...basis, ...httpTimeouts], 6),
      variant,
      note: facts.length > 0 ? `Waiting on ${CLASS_WORDS[variant] ?? variant}: ${facts.join('; ')}.` : undefined,
      directives: directivesFor(variant, culpritFile),
    };
    if (!f.note) delete f.note;
    if (culprits.length > 0) f.culprits = culprits;
    return [f];
  },
};
