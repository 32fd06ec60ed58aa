// apache-workers-exhausted (signatures.md §5.19): Apache reached MaxRequestWorkers. Apache has no built-in
// overload 503: new connections wait in the kernel backlog, its own access log shows slow successful
// requests (long %D) and then silence, and whatever sits in front logs the timeouts/502s. So the finding
// usually has no 5xx of its own. AH00484 is logged once per server lifetime: it proves the limit was hit
// at that moment (0.7 for that episode); AH10159 ("within MinSpareThreads") and AH03490 (scoreboard
// full) alone are warnings, below the reporting threshold.
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import { APACHE_MPM, longestAccessGapMs } from './lib-web.js';
import type { Finding, Rule } from './types.js';

const CONFIDENCE = 0.7;
const WARNING_ONLY = 0.5;
/** How long after AH00484 the access log is searched for the silence of a full backlog (X-GAP). */
const GAP_AFTER_MS = 10 * 60_000;

function mpmOf(s: Signal): 'event' | 'worker' | 'prefork' {
  if (s.text.includes('AH00161') || s.text.includes('MaxClients') || s.text.includes('mpm_prefork')) return 'prefork';
  if (s.text.includes('AH00286') || s.text.includes('mpm_worker')) return 'worker';
  return 'event';
}

function directivesOf(mpm: 'event' | 'worker' | 'prefork'): FixDirective[] {
  if (mpm === 'prefork') {
    return [
      { file: 'Apache MPM config (/etc/apache2/mods-enabled/mpm_prefork.conf)', set: 'MaxRequestWorkers', to: 'RAM for Apache / average child RSS (e.g. 3 GB / 60 MB ≈ 50)', why: 'prefork children with mod_php are big: size by memory' },
      { file: 'Apache modules (a2dismod php8.2 mpm_prefork; a2enmod mpm_event proxy_fcgi)', set: 'MPM', to: 'mpm_event + PHP-FPM', why: 'threads for connections, a separate PHP pool for the work' },
      { file: 'Apache main config (/etc/apache2/apache2.conf)', set: 'KeepAliveTimeout', to: '3' },
    ];
  }
  return [
    { file: APACHE_MPM, set: 'MaxRequestWorkers', to: '800 (default 400 = ServerLimit 16 × ThreadsPerChild 25)', why: 'only if the backend (PHP-FPM pm.max_children) can take the extra load' },
    { file: APACHE_MPM, set: 'ServerLimit', to: '32 (MaxRequestWorkers / ThreadsPerChild)' },
    { file: 'Apache main config (/etc/apache2/apache2.conf)', set: 'KeepAliveTimeout', to: '3', why: 'idle keep-alive connections hold workers' },
  ];
}

export const rule: Rule = {
  id: 'apache-workers-exhausted',
  title: 'Apache reached MaxRequestWorkers',
  layer: 'web',
  meaning:
    'Every Apache worker was busy. Apache does not answer 503 for this: new connections waited in the kernel backlog, so its own log shows slow successful requests while clients (or a load balancer in front) timed out.',
  signals: ['A-MPM'],
  lookAlikes: ['fpm-pool-exhausted: PHP-FPM (behind Apache) is full; Apache answers 503 (AH01079/AH01075)', 'slow-dependency: workers are held by slow requests; fix that first'],
  fix: {
    summary:
      'Find what holds the workers (slow PHP requests, slow clients, long keep-alive) and fix it; raise MaxRequestWorkers only as far as memory and the backend allow. Apache\'s own access log shows slow 200s, not 503s: the errors were seen by whatever sits in front.',
    directives: directivesOf('event'),
  },
  diagnose(ctx) {
    const all = ctx.bySig('A-MPM');
    if (all.length === 0) return [];
    const reached = all.filter((s) => s.keys.variant === 'max-workers');
    const first = reached[0] ?? all[0];
    if (!first) return [];
    const mpm = mpmOf(first);
    const gap = longestAccessGapMs(ctx, first.time - 60_000, first.time + GAP_AFTER_MS);
    const f: Finding = {
      cause: 'apache-workers-exhausted',
      confidence: reached.length > 0 ? CONFIDENCE : WARNING_ONLY,
      claims: [],
      evidence: sampleEvidence(all),
      variant: reached.length > 0 ? mpm : all.some((s) => s.keys.variant === 'scoreboard-full') ? 'scoreboard-full' : 'near-limit',
      directives: directivesOf(mpm),
      note:
        (reached.length > 0
          ? 'Apache logged that it reached MaxRequestWorkers (logged only once per server start, so later episodes leave no line).'
          : 'Apache warned it was close to MaxRequestWorkers.') +
        (gap >= 5_000 ? ` The access log then has no line for ${Math.round(gap / 1000)} s: connections were waiting in the backlog.` : '') +
        ' Apache\'s own log shows slow 200s, not 503s; users saw timeouts or 502/504 from the front end.',
    };
    return [f];
  },
};
