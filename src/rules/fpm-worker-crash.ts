// §5.7 fpm-worker-crash: a worker died on SIGSEGV/SIGBUS/SIGABRT/SIGILL/SIGFPE (or an unexplained SIGKILL,
// SIGTERM or exit 255) while serving a request, which the proxy saw as a close/reset (§5.27 rows 4 and 8).
import { culpritOf } from '../signals/culprit.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import {
  analysis,
  claim,
  deathClaims,
  dominant,
  findingConfidence,
  fpmConfFile,
  isRefusedConnect,
  mergeClaims,
  poolFile,
  symptomOf,
  type Death,
} from './lib-fpm.js';
import type { Claim, Culprit, Finding, Rule } from './types.js';

const CRASH_KINDS = new Set(['crash', 'external-sigkill', 'external-sigterm', 'exit-code']);

export const rule: Rule = {
  id: 'fpm-worker-crash',
  title: 'PHP-FPM worker crashed (segfault, abort, bus error) mid-request',
  layer: 'fpm',
  meaning: 'A PHP-FPM worker process died while it was serving a request, so the web server lost the connection and answered 502/503.',
  signals: ['F-EXIT', 'K-SEGV', 'F-LIFECYCLE', 'N-PREMATURE', 'N-RECV', 'A-FCGI', 'A-MISC'],
  lookAlikes: [
    'SIGKILL confirmed by a kernel OOM kill is oom-killer',
    'SIGTERM after "execution timed out … terminating" is fpm-request-terminated',
    'exit code 124 is a PHP hard timeout (php-timeout)',
    'exits during "Reloading in progress" are fpm-restart',
  ],
  fix: {
    summary:
      'Get a core dump and a backtrace, then disable or update the extension it points at (opcache JIT, APM/profiler extensions, Xdebug); apply the latest PHP patch release; recycle workers meanwhile.',
    directives: [
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'rlimit_core', to: 'unlimited', why: 'lets the crashing worker write a core (also set kernel.core_pattern)' },
      { file: 'php.ini (/etc/php/8.2/fpm/conf.d/10-opcache.ini)', set: 'opcache.jit', to: 'off', why: 'the JIT is a frequent segfault source' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'pm.max_requests', to: '500', why: 'mitigation: recycle workers before corrupted state builds up' },
      { file: 'php-fpm.conf (/etc/php/8.2/fpm/php-fpm.conf)', set: 'emergency_restart_threshold', to: '10 (with emergency_restart_interval = 1m)', why: 'restarts FPM during a crash storm' },
    ],
  },
  diagnose(ctx) {
    const a = analysis(ctx);
    const deaths = a.deaths.filter((d) => CRASH_KINDS.has(d.kind));
    const claims: Claim[] = deathClaims(ctx, deaths);

    // §5.7: a crash storm that triggered FPM's emergency reload owns the reload window's 5xx too
    const storms = a.restarts.filter((w) => w.variant === 'emergency-reload');
    for (const w of storms) {
      for (const v of a.victims) {
        if (v.time >= w.from && v.time <= w.to && !a.deathOf.has(v.error)) {
          claims.push(claim(v.error, v.close ? 0.9 : 0.75, 'same time window', v.close, `${symptomOf(v.close)} ← emergency reload after a crash storm`));
        }
      }
      for (const i of ctx.errorsBetween(w.from, w.to)) {
        const refused = (a.joined.get(i) ?? []).find(isRefusedConnect);
        if (refused) claims.push(claim(i, 0.9, 'same time window', refused, 'connect refused ← emergency reload after a crash storm'));
      }
    }
    if (deaths.length === 0 && storms.length === 0) return [];

    const crashes = deaths.filter((d) => d.kind === 'crash');
    const withVictim = deaths.filter((d) => d.victim);
    const variant = dominant((withVictim.length > 0 ? withVictim : deaths).map((d) => d.variant))?.value ?? 'segv';
    const confidence = findingConfidence(claims, Math.max(0, ...deaths.map((d) => d.confidence)));

    const faults = deaths.map((d) => d.fault).filter((s): s is Signal => s !== undefined);
    const culprits: Culprit[] = [];
    for (const f of faults) {
      const c = f.keys.detail ? culpritOf(f.keys.detail) : undefined;
      if (!c) continue;
      const cur = culprits.find((x) => x.kind === c.kind && x.name === c.name);
      if (cur) cur.count++;
      else culprits.push({ kind: c.kind, name: c.name, count: 1 });
    }

    const facts = noteOf(deaths, crashes);
    const evidence = sampleEvidence([...faults, ...deaths.map((d) => d.exit).filter((s): s is Signal => s !== undefined), ...storms.flatMap((w) => w.signals)], 6);
    const f: Finding = { cause: 'fpm-worker-crash', confidence, claims: mergeClaims(claims), evidence, variant };
    if (culprits.length > 0) f.culprits = culprits.sort((x, y) => y.count - x.count);
    if (facts) f.note = facts;
    const missing = [...new Set(deaths.flatMap((d) => d.missingSources ?? []))];
    if (missing.length > 0) f.missingSources = missing;
    if (variant === 'external-sigkill' || variant === 'external-sigterm') {
      f.directives = [
        { file: 'deploy scripts, container runtime, cron', set: 'kill -9 / docker stop / OOM of the container', to: 'find who signals the workers', why: 'the kernel log shows no OOM kill for these SIGKILLs' },
        { file: fpmConfFile(ctx), set: 'process_control_timeout', to: '10s', why: 'lets in-flight requests finish when the master is told to stop' },
      ];
    } else if (culprits.some((c) => c.kind === 'php-extension')) {
      const ext = culprits.find((c) => c.kind === 'php-extension')?.name ?? 'the extension';
      f.directives = [
        { file: `php.ini (conf.d entry of ${ext})`, set: `extension=${ext} / zend_extension=${ext}`, to: 'disable, or update to the latest release', why: 'the kernel fault line points into it' },
        { file: poolFile(ctx), set: 'rlimit_core', to: 'unlimited', why: 'a core dump gives the backtrace for the bug report' },
      ];
    }
    return [f];
  },
};

function noteOf(deaths: readonly Death[], crashes: readonly Death[]): string | undefined {
  if (deaths.length === 0) return undefined;
  const bySignal = dominant(deaths.map((d) => d.exit?.keys.signal ?? (d.exit?.keys.exitCode !== undefined ? `exit ${d.exit.keys.exitCode}` : d.variant)));
  const cores = deaths.filter((d) => d.exit?.keys.variant === 'core-dumped').length;
  const young = crashes.filter((d) => (d.exit?.keys.seconds ?? Infinity) < 10).length;
  const parts = [`${deaths.length} worker exit${deaths.length === 1 ? '' : 's'}, mostly ${bySignal?.value ?? 'crashes'}`];
  if (cores > 0) parts.push(`${cores} with a core dump`);
  if (young > 0) parts.push(`${young} within 10 s of start (startup or extension init)`);
  return `${parts.join('; ')}.`;
}
