// §5.27 upstream-reset (residual): the backend closed or reset the connection before the response header
// and nothing deeper explains it. Rows 1–9 of the decision table (OOM kill, terminate, crash, hard timeout,
// restart window, master kill, external SIGKILL) belong to the deeper rules, which claim those 5xx higher
// (lib-fpm pairs worker deaths with closes one-to-one); this rule keeps rows 10–12.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import {
  analysis,
  claim,
  covers,
  FAST_FAILURE_S,
  findingConfidence,
  mergeClaims,
  restartAt,
  symptomOf,
  upstreamSeconds,
  type Victim,
} from './lib-fpm.js';
import type { Claim, Finding, Rule } from './types.js';

/** Row 10: an HTTP backend with upstream keepalive closed an idle connection as nginx reused it. */
const KEEPALIVE_RACE = 0.6;
/** Row 11: the FPM log covers the time and shows no exit or lifecycle line. */
const FPM_SILENT = 0.4;
/** Row 12: nothing else available. */
const NOTHING_ELSE = 0.35;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

function isHttpBackend(close: Signal | undefined): boolean {
  if (!close) return false;
  if (close.family === 'apache-error') return close.sig === 'A-HTTP';
  return /^https?:\/\//.test(close.keys.upstream ?? '');
}

function row(ctx: DiagnoseContext, v: Victim): { confidence: number; variant: string } {
  const e = ctx.errors.at(v.error);
  const urt = e ? upstreamSeconds(e) : undefined;
  // nginx replays idempotent requests on a fresh connection by itself, so a race that reaches the client is
  // mostly POST/PATCH, and it fails at once on a reused connection
  if (isHttpBackend(v.close) && urt !== undefined && urt <= FAST_FAILURE_S && e && !IDEMPOTENT.has(e.method)) {
    return { confidence: KEEPALIVE_RACE, variant: 'keepalive-race' };
  }
  if (!isHttpBackend(v.close) && covers(ctx, 'php-fpm', v.time, 2000)) return { confidence: FPM_SILENT, variant: 'no-exit-logged' };
  return { confidence: NOTHING_ELSE, variant: isHttpBackend(v.close) ? 'http-backend' : 'unexplained' };
}

export const rule: Rule = {
  id: 'upstream-reset',
  title: 'Backend closed or reset the connection (no deeper cause found)',
  layer: 'web',
  meaning: 'The backend dropped the connection before answering, and neither the FPM nor the kernel log says why (no crash, kill, timeout or restart at that moment).',
  signals: ['N-PREMATURE', 'N-RECV', 'A-FCGI', 'A-HTTP', 'A-MISC'],
  lookAlikes: [
    'kernel OOM kill + FPM SIGKILL of the same pid: oom-killer',
    'FPM SIGSEGV/SIGBUS/SIGABRT exit in the same seconds: fpm-worker-crash',
    'FPM "execution timed out … terminating" + SIGTERM: fpm-request-terminated',
    'inside an FPM reload/restart window: fpm-restart',
    'PHP hard timeout (exit 124): php-timeout',
  ],
  residual: true,
  fix: {
    summary:
      'Supply the FPM and kernel logs so the cause can be named; for HTTP backends with keepalive, make the proxy’s idle timeout shorter than the backend’s keep-alive timeout; check FPM listen.allowed_clients if the proxy’s address changed.',
    directives: [
      { file: 'nginx upstream block (/etc/nginx/conf.d/upstream.conf)', set: 'keepalive_timeout', to: 'shorter than the backend’s keep-alive timeout, e.g. 50s for a 60s backend (nginx ≥ 1.15.3)', why: 'avoids reusing a connection the backend is closing' },
      { file: 'nginx location of safe-to-replay routes', set: 'proxy_next_upstream', to: 'error timeout non_idempotent', why: 'only where replaying a POST is safe' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'listen.allowed_clients', to: 'the proxy’s address (or unset)', why: 'FPM closes connections from peers not listed' },
    ],
  },
  diagnose(ctx) {
    const a = analysis(ctx);
    const claims: Claim[] = [];
    const used: Signal[] = [];
    const variants: string[] = [];
    for (const v of a.victims) {
      // a 502/503 without any error line is not a reset we can see
      if (!v.close) continue;
      // rows 1–9: explained by a worker death or a restart window; the deeper rule claims it higher
      if (a.deathOf.has(v.error) || restartAt(a, v.time)) continue;
      const r = row(ctx, v);
      claims.push(claim(v.error, r.confidence, 'same request', v.close, `${symptomOf(v.close)} ← nothing deeper in the FPM/kernel logs`));
      used.push(v.close);
      variants.push(r.variant);
    }
    if (claims.length === 0) return [];
    const counts = new Map<string, number>();
    for (const x of variants) counts.set(x, (counts.get(x) ?? 0) + 1);
    const variant = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? 'unexplained';
    const fastcgi = used.some((s) => !isHttpBackend(s));
    const missing: string[] = [];
    if (fastcgi && !used.some((s) => covers(ctx, 'php-fpm', s.time, 2000))) missing.push('PHP-FPM log');
    if (!used.some((s) => covers(ctx, 'kernel', s.time))) missing.push('kernel log');
    const f: Finding = {
      cause: 'upstream-reset',
      // a residual that lost every 5xx to a deeper cause has nothing to add
      confidence: findingConfidence(claims, 0.5),
      claims: mergeClaims(claims),
      evidence: sampleEvidence(used, 5),
      variant,
      note:
        variant === 'keepalive-race'
          ? 'Failures are instant on reused connections and mostly non-idempotent requests: a keep-alive race with the backend.'
          : variant === 'no-exit-logged'
            ? 'The FPM log covers these moments and shows no worker exit or restart: look at the network path, listen.allowed_clients, or a non-FPM backend.'
            : `Nothing in the supplied logs explains the closes${missing.length > 0 ? `; supply the ${missing.join(' and ')} (dmesg / kern.log / journalctl -k) to find out` : ''}.`,
    };
    if (missing.length > 0) f.missingSources = missing;
    return [f];
  },
};
