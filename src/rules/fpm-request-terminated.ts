// §5.6 fpm-request-terminated: FPM's request_terminate_timeout killed the worker with SIGTERM
// ('execution timed out (N sec), terminating' then 'exited on signal 15'), the proxy saw a reset → 502/503.
// When the slow log shows the same worker blocked on I/O, slow-dependency is the root cause: this rule then
// claims below it (§5.6 "Refine", Appendix B3).
import type { DiagnoseContext } from '../diagnose/context.js';
import type { Signal } from '../signals/types.js';
import { culpritsOf, sampleEvidence } from './helpers.js';
import {
  analysis,
  claim,
  deathClaims,
  dominant,
  findingConfidence,
  IO_CLASSES,
  mergeClaims,
  poolFile,
  secs,
  slowByPid,
  startOf,
  symptomOf,
  type Death,
} from './lib-fpm.js';
import type { Claim, Finding, Rule } from './types.js';

const SEC = 1000;
/** Claim when the slow log names an I/O call for the same worker: below slow-dependency's 0.8. */
const REFINED = 0.7;
/** A 504 whose request FPM terminated later: the proxy gave up first, FPM's limit is the next one. */
const AFTER_PROXY_TIMEOUT = 0.7;

/** The slow-log entry of the same worker taken while the terminated request ran, when it shows I/O. */
export function ioSlowEntryOf(ctx: DiagnoseContext, term: Signal): Signal | undefined {
  const ran = (term.keys.seconds ?? 0) * SEC;
  if (term.keys.pid === undefined) return undefined;
  return slowByPid(ctx)
    .get(term.keys.pid)
    ?.find((s) => s.sig === 'S-ENTRY' && s.time >= term.time - ran - 2 * SEC && s.time <= term.time + SEC && IO_CLASSES.has(s.keys.variant ?? 'cpu'));
}

export const rule: Rule = {
  id: 'fpm-request-terminated',
  title: 'PHP-FPM request_terminate_timeout killed the worker',
  layer: 'fpm',
  meaning: 'A request ran longer than request_terminate_timeout, so the FPM master killed its worker with SIGTERM and the web server answered 502/503.',
  signals: ['F-TERMINATE', 'F-EXIT', 'S-ENTRY', 'N-RECV', 'N-PREMATURE', 'A-FCGI', 'N-TIMEOUT'],
  lookAlikes: [
    'SIGTERM during "Terminating ..." is an FPM stop (fpm-restart)',
    'PHP "Maximum execution time … exceeded" (500) is php-timeout',
    'a slow-log stack blocked on curl/DB for the same worker makes slow-dependency the root cause',
  ],
  fix: {
    summary:
      'Make the slow code fast (enable the slow log to see where it waits); give endpoints that legitimately run long their own pool with a higher request_terminate_timeout and a matching fastcgi_read_timeout; otherwise keep request_terminate_timeout just above max_execution_time.',
    directives: [
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'request_slowlog_timeout', to: '5s', why: 'with slowlog = /var/log/php-fpm/$pool.slow.log it shows where the request waits' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'request_terminate_timeout', to: '35s (just above max_execution_time = 30)', why: 'PHP’s own limit then fails first with a readable error' },
      { file: 'nginx site (/etc/nginx/sites-enabled/default), location of the long endpoint', set: 'fastcgi_read_timeout', to: 'the endpoint’s pool request_terminate_timeout + 5s' },
    ],
  },
  diagnose(ctx) {
    const a = analysis(ctx);
    const deaths = a.deaths.filter((d) => d.kind === 'terminate');
    const terms = ctx.bySig('F-TERMINATE');
    if (terms.length === 0 && deaths.length === 0) return [];

    const refined = new Set<Death>();
    for (const d of deaths) if (d.terminate && ioSlowEntryOf(ctx, d.terminate)) refined.add(d);
    const claims: Claim[] = deathClaims(ctx, deaths).map((c) => {
      const d = a.deathOf.get(c.error);
      return d && refined.has(d) ? { ...c, confidence: Math.min(c.confidence, REFINED) } : c;
    });

    // the proxy's read timeout fired first (504) and FPM terminated the same request later (§5.10 asks
    // for "a later PHP/FPM timeout line for the same request")
    for (const term of terms) {
      const ran = term.keys.seconds;
      if (ran === undefined) continue;
      const start = term.time - ran * SEC;
      const method = (term.keys.detail ?? '').split(' ')[0];
      const cands = ctx.errorsBetween(start, term.time, (e) => {
        if (e.status !== 504) return false;
        const s = startOf(e);
        return s !== undefined && Math.abs(s - start) <= 2 * SEC + 1 && (!method || e.method === method);
      });
      if (cands.length !== 1) continue;
      const i = cands[0] as number;
      const conf = ioSlowEntryOf(ctx, term) ? REFINED - 0.05 : AFTER_PROXY_TIMEOUT;
      const timeout = (a.joined.get(i) ?? []).find((s) => s.sig === 'N-TIMEOUT' || s.sig === 'A-FCGI');
      claims.push(claim(i, conf, 'same time window', term, `${symptomOf(timeout)} ← FPM terminated the request after ${secs(ran)}`));
    }

    const merged = mergeClaims(claims);
    const ranFor = terms.map((t) => t.keys.seconds).filter((n): n is number => n !== undefined);
    const limit = dominant(ranFor.map((n) => Math.floor(n)))?.value;
    const scripts = culpritsOf(terms);
    const script = dominant(terms.map((t) => t.keys.detail ?? t.keys.script ?? '').filter(Boolean))?.value;
    const f: Finding = {
      cause: 'fpm-request-terminated',
      confidence: findingConfidence(merged, 0.9),
      claims: merged,
      evidence: sampleEvidence([...terms, ...deaths.map((d) => d.exit).filter((s): s is Signal => s !== undefined)], 6),
      variant: refined.size > 0 && refined.size === deaths.length ? 'blocked-on-io' : 'terminated',
      note: `${terms.length} request${terms.length === 1 ? '' : 's'} killed after ${limit !== undefined ? `about ${limit} s` : 'the limit'}${script ? `, most often "${script}"` : ''}${refined.size > 0 ? '; the slow log shows them waiting on I/O (see slow-dependency)' : ''}.`,
    };
    if (scripts.length > 0) f.culprits = scripts;
    if (limit !== undefined) {
      const pool = dominant(terms.map((t) => t.keys.pool).filter((p): p is string => p !== undefined))?.value;
      f.directives = [
        { file: poolFile(ctx, pool), set: 'request_slowlog_timeout', to: `${Math.max(1, Math.floor(limit / 3))}s`, why: 'a stack trace of the request before it is killed' },
        { file: poolFile(ctx, pool), set: 'request_terminate_timeout', to: `${limit}s now; keep it just above max_execution_time, or give the long endpoint its own pool with a higher value` },
        { file: 'nginx site (/etc/nginx/sites-enabled/default), location of the long endpoint', set: 'fastcgi_read_timeout', to: `${limit + 5}s for that location only`, why: 'the proxy should wait slightly longer than FPM' },
      ];
    }
    return [f];
  },
};
