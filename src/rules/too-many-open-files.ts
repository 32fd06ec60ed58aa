// too-many-open-files (signatures.md §5.21): a process hit its descriptor limit (EMFILE 24) or the kernel's
// file table is full (ENFILE 23). nginx answers 500 for the request whose socket()/open() failed and drops
// clients it cannot accept(); Apache's proxy answers 503; PHP sees 'Failed to open stream: Too many open files'.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { ErrorRequest } from '../digest/digest.js';
import type { Signal } from '../signals/types.js';
import type { FixDirective } from '../report/schema.js';
import { clusters, sampleEvidence, span, SLACK_MS } from './helpers.js';
import { dominant, duration, findingConfidence, isFatalPhp, joinSignals, uniqueSignals, withErrno } from './lib-app.js';
import type { Claim, Finding, Rule } from './types.js';

const EMFILE = 24;
const ENFILE = 23;
/** Request-scoped EMFILE/ENFILE lines (§5.21). */
const SAME_REQUEST = 0.9;
/** Descriptor failures with no request: clients dropped at accept(), an episode (§5.21). */
const ACCEPT_EPISODE = 0.8;
/** A 5xx inside an fd-exhaustion episode that never reached a backend and has no line of its own. */
const EPISODE_WINDOW = 0.5;
/** PHP warnings from the error log joined by time: the warning may not have failed the request. */
const PHP_WARNING_SAME_REQUEST = 0.7;
const PHP_TIME_SINGLE = 0.6;
const PHP_TIME_SEVERAL = 0.45;
/** fd failures are bursty; one episode while they stay this close (W-BURST). */
const EPISODE_GAP_MS = 60_000;

const NGINX_DIRECTIVES: FixDirective[] = [
  {
    file: 'nginx main context (/etc/nginx/nginx.conf)',
    set: 'worker_rlimit_nofile',
    to: '65535',
    why: 'per-worker descriptor limit; each proxied request holds a client and an upstream descriptor',
  },
  {
    file: 'nginx events block (/etc/nginx/nginx.conf)',
    set: 'worker_connections',
    to: '16384',
    why: 'keep it at most half of worker_rlimit_nofile',
  },
  { file: 'systemd override for nginx (systemctl edit nginx → [Service])', set: 'LimitNOFILE', to: '65535' },
];
const APACHE_DIRECTIVES: FixDirective[] = [
  { file: 'systemd override for Apache (systemctl edit apache2 / httpd → [Service])', set: 'LimitNOFILE', to: '65535' },
  { file: 'Debian: /etc/apache2/envvars', set: 'APACHE_ULIMIT_MAX_FILES', to: "'ulimit -n 65535'" },
];
const FPM_DIRECTIVES: FixDirective[] = [
  { file: 'php-fpm.conf global section (e.g. /etc/php/8.2/fpm/php-fpm.conf)', set: 'rlimit_files', to: '65535' },
  { file: 'systemd override for PHP-FPM (systemctl edit php8.2-fpm → [Service])', set: 'LimitNOFILE', to: '65535' },
];
const SYSTEM_DIRECTIVES: FixDirective[] = [
  {
    file: 'sysctl (/etc/sysctl.d/90-file-max.conf, then sysctl --system)',
    set: 'fs.file-max',
    to: '2097152',
    why: 'the kernel-wide file table was full (ENFILE): raising per-process limits alone does not help',
  },
];

/** Which limit the descriptors ran out against: decides the fix. */
function variantOf(s: Signal): string {
  if (s.keys.errno === ENFILE || (s.sig === 'K-OTHER' && s.keys.variant === 'file-max')) return 'system';
  if (s.sig === 'P-FILES') return 'php';
  if (s.family === 'apache-error') return 'apache';
  if (s.family === 'php-fpm') return 'php';
  return 'nginx';
}

function directivesFor(variant: string): FixDirective[] {
  switch (variant) {
    case 'system':
      return [...SYSTEM_DIRECTIVES, ...NGINX_DIRECTIVES.slice(0, 1), ...FPM_DIRECTIVES.slice(0, 1)];
    case 'apache':
      return [...APACHE_DIRECTIVES, ...FPM_DIRECTIVES];
    case 'php':
      return FPM_DIRECTIVES;
    default:
      return NGINX_DIRECTIVES;
  }
}

/** Longest stretch inside [from, to] (± a margin) with no access line at all, in ms; 0 without an access log. */
function accessGap(ctx: DiagnoseContext, from: number, to: number): number {
  if (!ctx.has('nginx-access') && !ctx.has('apache-access')) return 0;
  const first = Math.floor(from / 1000) - 1;
  const last = Math.ceil(to / 1000) + 1;
  let longest = 0;
  let run = 0;
  // bounded by the episode: fd episodes last seconds to minutes
  for (let sec = first; sec <= last && sec - first < 6 * 3600; sec++) {
    if (ctx.digest.buckets.has(sec)) run = 0;
    else longest = Math.max(longest, ++run);
  }
  return longest * 1000;
}

/** The 5xx a descriptor shortage gives without reaching a backend: nginx 500, Apache proxy 503. */
function neverReachedBackend(e: ErrorRequest): boolean {
  if (e.status !== 500 && e.status !== 503) return false;
  const us = e.upstreamStatus;
  // known upstream statuses mean a backend answered: not a descriptor failure on this side
  return us === undefined || us.every((x) => x === null);
}

export const rule: Rule = {
  id: 'too-many-open-files',
  title: 'Too many open files',
  layer: 'os',
  meaning:
    'A process ran out of file descriptors (EMFILE) or the kernel file table was full (ENFILE): the web server could not open sockets or files, or accept new connections.',
  signals: ['N-EMFILE', 'F-EMFILE', 'P-FILES', 'K-OTHER', 'A-CONNECT', 'A-FCGI', 'A-HTTP'],
  lookAlikes: [
    'nginx-worker-connections (connection slots, not descriptors)',
    'fpm-pool-exhausted (EAGAIN 11, not EMFILE 24)',
    'disk-full (ENOSPC 28)',
  ],
  fix: {
    summary:
      'Raise the descriptor limit of the process that hit it (nginx worker_rlimit_nofile, systemd LimitNOFILE, FPM rlimit_files; fs.file-max for ENFILE), and look for descriptor leaks if usage keeps growing.',
    directives: [...NGINX_DIRECTIVES, ...FPM_DIRECTIVES],
  },
  diagnose(ctx) {
    const signals = uniqueSignals([
      ...ctx.bySig('N-EMFILE'),
      ...ctx.bySig('F-EMFILE'),
      ...ctx.bySig('P-FILES').filter((s) => s.keys.errno === EMFILE || s.keys.errno === ENFILE),
      ...ctx.bySig('K-OTHER').filter((s) => s.keys.variant === 'file-max'),
      ...withErrno(ctx, ['A-CONNECT', 'A-FCGI', 'A-HTTP'], [EMFILE, ENFILE]),
    ]);
    if (signals.length === 0) return [];

    const php = signals.filter((s) => s.sig === 'P-FILES');
    const server = signals.filter((s) => s.sig !== 'P-FILES' && s.sig !== 'K-OTHER');
    const claims: Claim[] = [];

    // web-server lines that name their request; kernel and accept lines stay for the episode
    const joinedServer = joinSignals(ctx, server, { sameRequest: () => SAME_REQUEST });
    claims.push(...joinedServer.claims);
    const taken = new Set(claims.map((c) => c.error));
    const joinedPhp = joinSignals(ctx, php, {
      // a warning may not have failed its request; a fatal error with this text did
      sameRequest: (s) => (isFatalPhp(s) ? SAME_REQUEST : PHP_WARNING_SAME_REQUEST),
      time: { single: PHP_TIME_SINGLE, several: PHP_TIME_SEVERAL, pred: (e, i) => e.status >= 500 && !taken.has(i) },
    });
    for (const c of joinedPhp.claims) {
      if (taken.has(c.error)) continue;
      taken.add(c.error);
      claims.push(c);
    }

    // an episode of web-server fd failures also explains its silent 500/503 that never reached a backend
    const notes: string[] = [];
    let acceptFailures = 0;
    for (const ep of clusters(server, EPISODE_GAP_MS)) {
      const [from, to] = span(ep);
      for (const i of ctx.errorsBetween(from - SLACK_MS, to + SLACK_MS, (e) => neverReachedBackend(e))) {
        if (taken.has(i)) continue;
        taken.add(i);
        const evidence = ep[0];
        const c: Claim = { error: i, confidence: EPISODE_WINDOW, why: 'same time window' };
        if (evidence) c.evidence = evidence;
        claims.push(c);
      }
      const accepts = ep.filter((s) => s.keys.variant === 'accept');
      if (accepts.length > 0) {
        acceptFailures += accepts.length;
        const [af, at] = span(accepts);
        const gap = accessGap(ctx, af, at);
        if (gap >= 5000) notes.push(`no access-log line for ${duration(gap)} while accept() failed: those clients were dropped without a logged status.`);
      }
    }

    const rlimit = signals
      .map((s) => /only (\d{1,10}) files are available/.exec(s.text)?.[1])
      .find((x): x is string => x !== undefined);
    if (rlimit) notes.unshift(`nginx workers are limited to ${rlimit} descriptors.`);
    else if (acceptFailures > 0 && notes.length === 0) notes.push(`${acceptFailures} accept() failures: clients were dropped without a logged status.`);

    const variant = signals.some((s) => variantOf(s) === 'system') ? 'system' : (dominant(signals.map(variantOf)) ?? 'nginx');
    const upstreams = [...new Set(signals.map((s) => s.keys.upstreamKey).filter((u): u is string => Boolean(u)))];
    const silent = acceptFailures > 0 || variant === 'system' ? ACCEPT_EPISODE : php.length >= 3 ? 0.6 : 0.5;
    const finding: Finding = {
      cause: 'too-many-open-files',
      confidence: findingConfidence(claims, silent),
      claims,
      evidence: sampleEvidence(signals, 6),
      variant,
      directives: directivesFor(variant),
    };
    if (upstreams.length > 0) finding.upstreams = upstreams;
    if (notes.length > 0) finding.note = notes.join(' ');
    return [finding];
  },
};
