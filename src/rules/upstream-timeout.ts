// §5.10 upstream-timeout (residual): the web server gave up waiting for the backend. A symptom: pool
// exhaustion, a slow dependency, FPM's terminate timeout and PHP timeouts claim the same 504 higher when
// their evidence is there; what none of them explains stays here, with the root named as unknown.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { ErrorRequest } from '../digest/digest.js';
import type { Signal } from '../signals/types.js';
import { culpritsOf, sampleEvidence } from './helpers.js';
import {
  analysis,
  claim,
  covers,
  dominant,
  endOf,
  errorFamilyOf,
  findingConfidence,
  isTimeoutSignal,
  mergeClaims,
  symptomOf,
  upstreamSeconds,
} from './lib-fpm.js';
import type { Claim, Finding, Rule } from './types.js';

/** Joined to its own timeout line: the symptom is certain, the root is not (below every deeper rule). */
const JOINED = 0.6;
/** A 504 at a round timeout value with no error log to ask (X-504-AT-TIMEOUT). */
const AT_TIMEOUT_NO_LOG = 0.5;
const NO_LOG = 0.45;
const ROUND_TIMEOUTS = [30, 60, 90, 120, 180, 300];

function atRoundTimeout(e: ErrorRequest): number | undefined {
  const t = upstreamSeconds(e) ?? e.requestTime;
  if (t === undefined) return undefined;
  return ROUND_TIMEOUTS.find((r) => Math.abs(t - r) <= 1);
}

/** The directive family for this upstream: FastCGI, HTTP proxy or Apache. */
function timeoutDirectives(ctx: DiagnoseContext, sigs: readonly Signal[], seconds: number | undefined, variant: string): Finding['directives'] {
  const apache = sigs.some((s) => s.family === 'apache-error') || ctx.has('apache-access');
  const http = sigs.some((s) => /^https?:\/\//.test(s.keys.upstream ?? ''));
  const now = seconds !== undefined ? ` (now about ${Math.round(seconds)}s)` : '';
  if (apache) {
    return [
      { file: 'Apache vhost (/etc/apache2/sites-enabled/000-default.conf)', set: 'ProxyTimeout (or ProxyPass … timeout=)', to: `keep${now}; raise only for the long endpoint’s <Location>`, why: 'fix the slow endpoint first' },
      { file: 'Apache vhost (/etc/apache2/sites-enabled/000-default.conf)', set: 'ProxyPass … connectiontimeout=', to: '5', why: 'dead backends fail fast' },
    ];
  }
  const p = http ? 'proxy' : 'fastcgi';
  const out = [
    { file: 'nginx site (/etc/nginx/sites-enabled/default)', set: `${p}_read_timeout`, to: `keep${now}; raise only in the location of a known long endpoint`, why: 'fix the slow endpoint first (top paths)' },
    { file: 'nginx site (/etc/nginx/sites-enabled/default)', set: `${p}_connect_timeout`, to: '5s', why: 'dead backends fail fast' },
  ];
  if (variant === 'connect' || variant === 'send') {
    out.unshift({ file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'pm.max_children / listen.backlog', to: 'check the pool: connect/send timeouts mean the backend was not accepting', why: 'a full TCP backlog looks like this' });
  }
  return out;
}

export const rule: Rule = {
  id: 'upstream-timeout',
  title: 'The web server timed out waiting for the backend (cause not visible in the logs)',
  layer: 'web',
  meaning: 'The web server waited longer than its timeout for the backend to answer and gave up (504); the logs do not show what the backend was waiting on.',
  signals: ['N-TIMEOUT', 'A-FCGI', 'A-HTTP', 'S-ENTRY'],
  lookAlikes: [
    'a max_children warning or EAGAIN connects in the same minutes: fpm-pool-exhausted',
    'a slow-log stack blocked on curl/DB: slow-dependency',
    'FPM "execution timed out … terminating" for the same request: fpm-request-terminated',
    '"while reading upstream" keeps the status (truncated 200): a hidden failure, not a 5xx',
  ],
  residual: true,
  fix: {
    summary:
      'Find the slow endpoints (top paths) and make them fast; enable the FPM slow log so the next report can name the blocking call; keep connect timeouts short and raise read timeouts only in the location of known long endpoints; align the timeout ladder.',
    directives: [
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'request_slowlog_timeout', to: '5s', why: 'with slowlog = /var/log/php-fpm/$pool.slow.log: names the blocking call' },
      { file: 'nginx site (/etc/nginx/sites-enabled/default)', set: 'fastcgi_read_timeout', to: '60s (default); raise only in the long endpoint’s location' },
      { file: 'nginx site (/etc/nginx/sites-enabled/default)', set: 'fastcgi_connect_timeout', to: '5s', why: 'dead backends fail fast' },
    ],
  },
  diagnose(ctx) {
    if (!ctx.has('nginx-access') && !ctx.has('apache-access')) return withoutAccessLog(ctx);
    const a = analysis(ctx);
    const claims: Claim[] = [];
    const used: Signal[] = [];
    const missing = new Set<string>();
    for (let i = 0; i < ctx.errors.length; i++) {
      const status = ctx.errors.statusAt(i);
      const lines = a.joined.get(i) ?? [];
      const t = lines.find(isTimeoutSignal);
      if (t) {
        // Apache mod_proxy_http answers 502 on a read timeout (Part 7 #1); nginx 504
        if (status === 504 || status === 502 || status === 503) {
          claims.push(claim(i, JOINED, 'same request', t, `${symptomOf(t)} ← backend did not answer in time`));
          used.push(t);
        }
        continue;
      }
      if (status !== 504 || lines.length > 0) continue;
      const e = ctx.errors.at(i);
      // with the error log covering this time, a 504 without a timeout line was the backend's own answer
      if (!e || covers(ctx, errorFamilyOf(e), endOf(e))) continue;
      missing.add(errorFamilyOf(e) === 'apache-error' ? 'Apache error log' : 'nginx error log');
      claims.push(claim(i, atRoundTimeout(e) !== undefined ? AT_TIMEOUT_NO_LOG : NO_LOG, 'access-log shape'));
    }
    if (claims.length === 0) return [];

    const variant = dominant(used.map((s) => s.keys.variant ?? (s.sig === 'N-TIMEOUT' ? 'read' : 'timeout')))?.value ?? 'read';
    const durations: number[] = [];
    for (const c of claims) {
      const e = ctx.errors.at(c.error);
      const d = e ? (upstreamSeconds(e) ?? e.requestTime) : undefined;
      if (d !== undefined) durations.push(d);
    }
    const typical = dominant(durations.map((d) => Math.round(d)))?.value;
    // slow-log stacks of PHP code (cpu class) overlapping these requests name the code that was slow
    const claimed = new Uint8Array(ctx.errors.length);
    for (const c of claims) claimed[c.error] = 1;
    const cpu = ctx.bySig('S-ENTRY').filter(
      (s) =>
        (s.keys.variant ?? 'cpu') === 'cpu' &&
        ctx.errorsBetween(s.time, s.time + 10 * 60_000, (e, i) => {
          if (claimed[i] !== 1) return false;
          const [lo, hi] = ctx.requestSpan(e);
          return s.time >= lo && s.time <= hi;
        }).length > 0,
    );
    const culprits = culpritsOf(cpu);
    const facts: string[] = [];
    if (typical !== undefined) facts.push(`the server gave up after about ${typical} s`);
    facts.push(
      variant === 'connect'
        ? 'timeouts while connecting: the backend was not accepting (down, or its backlog full)'
        : variant === 'send'
          ? 'timeouts while sending the request: the backend was not reading (busy, or a large body)'
          : 'the backend accepted the request but sent nothing back in time',
    );
    if (cpu.length > 0) facts.push(`the slow log shows PHP code busy, not waiting${culprits[0] ? ` (${culprits[0].kind} ${culprits[0].name})` : ''}`);
    else if (!ctx.has('php-fpm-slow')) facts.push('the root is not visible: enable the FPM slow log');
    const f: Finding = {
      cause: 'upstream-timeout',
      // a residual that lost every 5xx to a deeper cause has nothing to add
      confidence: findingConfidence(claims, 0.5),
      claims: mergeClaims(claims),
      evidence: sampleEvidence([...used, ...cpu], 5),
      variant,
      note: `${facts.join('; ')}.`,
      directives: timeoutDirectives(ctx, used, typical, variant),
    };
    if (culprits.length > 0) f.culprits = culprits;
    if (missing.size > 0) f.missingSources = [...missing];
    return [f];
  },
};

/**
 * Only error logs were given: the timeouts are certain, how many clients got a 504 is not. Reported so the
 * operator sees them, with the access log named as what would count the damage (Part 6.2).
 */
function withoutAccessLog(ctx: DiagnoseContext): Finding[] {
  const lines = ctx.signals.filter(isTimeoutSignal);
  if (lines.length === 0) return [];
  const variant = dominant(lines.map((s) => s.keys.variant ?? 'read'))?.value ?? 'read';
  return [
    {
      cause: 'upstream-timeout',
      confidence: 0.6,
      claims: [],
      evidence: sampleEvidence(lines, 5),
      variant,
      missingSources: ['access log'],
      note: `${lines.length} request(s) timed out waiting for the backend; without the access log the number of 504s is unknown.`,
      directives: timeoutDirectives(ctx, lines, undefined, variant),
    },
  ];
}
