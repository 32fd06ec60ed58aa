// §5.5 php-timeout: PHP's own max_execution_time fired. Soft: a fatal error, FPM still answers → 500.
// Hard: the soft timeout could not be delivered within hard_timeout, the worker wrote '… seconds exceeded
// (terminated)' and _exit(124) → the proxy saw a close → 502/503.
import type { Signal } from '../signals/types.js';
import { culpritsOf, sampleEvidence } from './helpers.js';
import {
  analysis,
  claimPhpMessages,
  deathClaims,
  dominant,
  findingConfidence,
  mergeClaims,
  poolFile,
} from './lib-fpm.js';
import type { Finding, Rule } from './types.js';

export const rule: Rule = {
  id: 'php-timeout',
  title: 'PHP max_execution_time exceeded',
  layer: 'app',
  meaning: 'A script used more CPU time than max_execution_time allows, so PHP stopped it with a fatal error (500), or killed the worker (hard timeout, 502).',
  signals: ['P-MAXEXEC', 'F-EXIT', 'F-STDERR', 'N-STDERR', 'A-FCGI'],
  lookAlikes: [
    'FPM "execution timed out … terminating" (SIGTERM, 502) is fpm-request-terminated',
    'a 504 after the proxy read timeout is upstream-timeout: PHP kept running',
    'max_execution_time counts CPU time on Linux: a request waiting on I/O never hits it',
  ],
  fix: {
    summary:
      'Optimise the code path the message names; raise max_execution_time only for the pool or script that needs it (or move the work to a queue/CLI); order the limits so PHP fails first: max_execution_time < request_terminate_timeout < fastcgi_read_timeout < load-balancer idle timeout.',
    directives: [
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'php_admin_value[max_execution_time]', to: '30 (raise only in a dedicated pool for long endpoints)' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'request_terminate_timeout', to: '35s', why: 'just above max_execution_time' },
      { file: 'nginx site (/etc/nginx/sites-enabled/default)', set: 'fastcgi_read_timeout', to: '40s', why: 'the proxy waits longer than PHP and FPM' },
    ],
  },
  diagnose(ctx) {
    const a = analysis(ctx);
    const messages = ctx.bySig('P-MAXEXEC');
    const hardDeaths = a.deaths.filter((d) => d.kind === 'hard-timeout');
    if (messages.length === 0 && hardDeaths.length === 0) return [];
    const soft = messages.filter((s) => s.keys.variant !== 'hard');
    // the hard-timeout text goes straight to fd 2: request-scoped only when a container carried it (502)
    const hardInRequest = messages.filter((s) => s.keys.variant === 'hard' && (s.family === 'nginx-error' || s.family === 'apache-error'));
    const via = (s: Signal): string => `PHP Maximum execution time of ${s.keys.seconds ?? '?'} s exceeded`;
    const softJoin = claimPhpMessages(ctx, soft, [500], via);
    const hardJoin = claimPhpMessages(ctx, hardInRequest, [502, 503, 500], via);
    const claims = mergeClaims([...softJoin.claims, ...hardJoin.claims, ...deathClaims(ctx, hardDeaths)]);
    const hidden = softJoin.hidden.length + softJoin.unjoined.length;
    const limit = dominant(messages.map((s) => s.keys.seconds).filter((n): n is number => n !== undefined))?.value;
    const culprits = culpritsOf(messages);
    const hardShare = hardDeaths.filter((d) => d.victim).length + hardJoin.claims.length;
    const f: Finding = {
      cause: 'php-timeout',
      // real fatal errors behind a 200 (headers already sent) are still worth reporting (§6.6)
      confidence: findingConfidence(claims, hidden > 0 ? 0.6 : 0.5),
      claims,
      evidence: sampleEvidence([...messages, ...hardDeaths.map((d) => d.exit).filter((s) => s !== undefined)], 6),
      variant: hardShare > softJoin.claims.length ? 'hard' : 'soft',
    };
    const facts: string[] = [];
    if (limit !== undefined) facts.push(`max_execution_time is ${limit} s`);
    const top = culprits[0];
    if (top) facts.push(`most often in ${top.kind} ${top.name}`);
    else {
      const file = dominant(messages.map((s) => s.keys.file).filter((x): x is string => x !== undefined))?.value;
      if (file) facts.push(`most often in ${file}`);
    }
    if (hidden > 0 && claims.length === 0) facts.push('no 5xx joined: the errors happened after headers were sent or outside the access log');
    if (facts.length > 0) f.note = `${facts.join('; ')}.`;
    if (culprits.length > 0) f.culprits = culprits;
    if (limit !== undefined) {
      const file = poolFile(ctx);
      f.directives = [
        { file, set: 'php_admin_value[max_execution_time]', to: `${limit} (now); raise only in a separate pool for the endpoint that needs it`, why: 'the limit is CPU time: fix the hot loop first' },
        { file, set: 'request_terminate_timeout', to: `${limit + 5}s`, why: 'just above max_execution_time so PHP fails first with its own message' },
        { file: 'nginx site (/etc/nginx/sites-enabled/default)', set: 'fastcgi_read_timeout', to: `${limit + 10}s` },
      ];
    }
    return [f];
  },
};
