// disk-full (signatures.md §5.22): writes failed with ENOSPC (28). nginx answers 500 when it cannot spool a
// request body, truncates responses it cannot buffer, stops writing its logs; PHP loses sessions and cache
// files. Variant temp-permission: nginx temp paths not writable (13), same symptom, different fix.
import type { ErrorRequest } from '../digest/digest.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import { dominant, findingConfidence, isFatalPhp, isRequestScoped, joinSignals, uniqueSignals, withErrno } from './lib-app.js';
import type { Claim, Finding, Rule } from './types.js';

const ENOSPC = 28;
/** nginx's own write failed for this request: the request failed because of it (§5.22). */
const SERVER_SAME_REQUEST = 0.9;
/** A PHP write warning on the failed request: the request may still have succeeded (§5.22: 0.6). */
const PHP_SAME_REQUEST = 0.6;
const PHP_TIME_SINGLE = 0.5;
const PHP_TIME_SEVERAL = 0.4;
/** A fatal PHP error whose text is the full disk ended its request: as strong as nginx's own line. */
const PHP_FATAL_TIME_SINGLE = 0.7;
const PHP_FATAL_TIME_SEVERAL = 0.5;
/** Disk full with no 5xx of its own is still worth reporting (lost sessions, truncated bodies, lost logs). */
const SILENT = 0.7;

const CLEANUP: FixDirective[] = [
  { file: 'journald (/etc/systemd/journald.conf)', set: 'SystemMaxUse', to: '500M', why: 'or once: journalctl --vacuum-size=500M' },
  { file: 'logrotate (/etc/logrotate.d/nginx and friends)', set: 'maxsize / rotate / compress', to: '100M / 7 / compress' },
];
const TEMP_FILE: FixDirective[] = [
  {
    file: 'nginx http block (/etc/nginx/nginx.conf)',
    set: 'client_body_temp_path',
    to: '/srv/nginx-tmp/body (a filesystem with room for the largest uploads)',
  },
  {
    file: 'nginx http or location block',
    set: 'fastcgi_max_temp_file_size',
    to: '0',
    why: 'stream large FastCGI responses instead of spooling them to disk (proxy_max_temp_file_size for proxy_pass)',
  },
];
const SESSION: FixDirective[] = [
  { file: 'php.ini (e.g. /etc/php/8.2/fpm/php.ini)', set: 'session.save_path', to: 'a directory on a filesystem with free space and inodes' },
  {
    file: 'php.ini',
    set: 'session.gc_probability / session.gc_maxlifetime',
    to: '1 / 1440',
    why: "Debian sets gc_probability = 0 and relies on the phpsessionclean cron job: check that it runs",
  },
];
const SESSION_PERMISSION: FixDirective[] = [
  {
    file: 'php.ini or the pool file (php_value[session.save_path])',
    set: 'session.save_path',
    to: 'a directory writable by the pool user (`user =` in the pool file), e.g. chown www-data /var/lib/php/sessions',
  },
];
const TEMP_PERMISSION: FixDirective[] = [
  {
    file: 'nginx http block (/etc/nginx/nginx.conf)',
    set: 'client_body_temp_path / fastcgi_temp_path / proxy_temp_path',
    to: 'a directory owned by the nginx worker user (the `user` directive: www-data or nginx), e.g. chown -R www-data /var/lib/nginx',
  },
];

/** Which write failed: decides the fix. */
function variantOf(s: Signal): string {
  if (s.sig === 'N-ENOSPC') return s.keys.variant === 'temp-permission' ? 'temp-permission' : s.keys.variant === 'log-write' ? 'log-write' : 'temp-file';
  if (s.sig === 'P-SESSION') return s.keys.errno === 13 ? 'session-permission' : 'session';
  if (s.sig === 'P-FILES') return 'php-write';
  return 'temp-file';
}

function directivesFor(variant: string): FixDirective[] {
  switch (variant) {
    case 'temp-permission':
      return TEMP_PERMISSION;
    case 'session':
      return [...SESSION, ...CLEANUP];
    case 'session-permission':
      return SESSION_PERMISSION;
    case 'log-write':
      return CLEANUP;
    case 'php-write':
      return CLEANUP;
    default:
      return [...TEMP_FILE, ...CLEANUP];
  }
}

/** The directory a write failed in: nginx quotes the file; PHP names it in the function call or the save path. */
function dirOf(s: Signal): string | undefined {
  const m =
    /"(\/[^"\n]{1,1024})" failed \((?:28|13):/.exec(s.text) ??
    /save_path is correct \((\/[^)\n]{1,1024})\)/.exec(s.text) ??
    /\w{1,40}\((\/[^)\n]{1,1024})\): [Ff]ailed to open stream: No space left/.exec(s.text);
  const path = m?.[1];
  if (!path) return undefined;
  if (s.sig === 'P-SESSION') return path;
  // nginx temp files are <temp_path>/<levels>/<number>: drop the file and the numeric level directories
  const parts = path.split('/');
  parts.pop();
  while (parts.length > 2 && /^\d{1,12}$/.test(parts[parts.length - 1] ?? '')) parts.pop();
  return parts.join('/') || '/';
}

/** The status a failed spool gives on its request; 200 means a truncated body (a hidden failure). */
const isServerError = (e: ErrorRequest): boolean => e.status >= 500;

export const rule: Rule = {
  id: 'disk-full',
  title: 'Disk full',
  layer: 'os',
  meaning:
    'A filesystem ran out of space or inodes (ENOSPC): nginx could not spool request bodies or responses to its temp files, and PHP could not write sessions or files.',
  signals: ['N-ENOSPC', 'P-SESSION', 'P-FILES', 'D-DB', 'A-CONNECT', 'A-FCGI', 'A-HTTP', 'A-MISC'],
  lookAlikes: [
    'too-many-open-files (EMFILE 24)',
    'session write failing with Permission denied (13): ownership, reported as variant session-permission',
    'an open() 13 on a document root file: an ordinary 403, not a temp path',
  ],
  fix: {
    summary:
      'Free space on the full filesystem (old logs, journald, old releases, cache directories; check inodes with df -i) and move nginx temp paths and PHP sessions to a volume with room.',
    directives: [...TEMP_FILE, ...SESSION, ...CLEANUP],
  },
  diagnose(ctx) {
    const signals = uniqueSignals([
      ...ctx.bySig('N-ENOSPC'),
      ...ctx.bySig('P-SESSION').filter((s) => s.keys.errno === ENOSPC || s.keys.errno === 13),
      ...ctx.bySig('P-FILES').filter((s) => s.keys.errno === ENOSPC),
      ...ctx.bySig('D-DB').filter((s) => s.keys.variant === 'disk-full'),
      ...withErrno(ctx, ['A-CONNECT', 'A-FCGI', 'A-HTTP', 'A-MISC'], [ENOSPC]),
    ]);
    if (signals.length === 0) return [];

    const server = signals.filter((s) => s.sig !== 'P-SESSION' && s.sig !== 'P-FILES');
    const php = signals.filter((s) => s.sig === 'P-SESSION' || s.sig === 'P-FILES');
    const claims: Claim[] = [];
    const s1 = joinSignals(ctx, server, { sameRequest: (_s, e) => (isServerError(e) ? SERVER_SAME_REQUEST : 0) });
    claims.push(...s1.claims);
    const taken = new Set(claims.map((c) => c.error));
    const s2 = joinSignals(ctx, php, {
      sameRequest: (s, e) => (isServerError(e) ? (isFatalPhp(s) ? SERVER_SAME_REQUEST : PHP_SAME_REQUEST) : 0),
      time: { single: PHP_FATAL_TIME_SINGLE, several: PHP_FATAL_TIME_SEVERAL, pred: (e, i) => e.status === 500 && !taken.has(i) },
    });
    for (const raw of s2.claims) {
      // warnings joined by time are weaker than fatal errors joined by time
      const c =
        raw.why === 'same time window' && raw.evidence && !isFatalPhp(raw.evidence)
          ? { ...raw, confidence: raw.confidence === PHP_FATAL_TIME_SINGLE ? PHP_TIME_SINGLE : PHP_TIME_SEVERAL }
          : raw;
      if (taken.has(c.error)) continue;
      taken.add(c.error);
      claims.push(c);
    }

    const claimedSignals = claims.map((c) => c.evidence).filter((s): s is Signal => s !== undefined);
    const variant = dominant((claimedSignals.length > 0 ? claimedSignals : signals).map(variantOf)) ?? 'temp-file';
    const dirs = [...new Set(signals.map(dirOf).filter((d): d is string => d !== undefined))].slice(0, 4);
    // request-scoped writes whose request did not fail: sessions lost and bodies truncated behind a 2xx
    const hidden = new Set(
      [...s1.hidden, ...s2.hidden].filter((s) => isRequestScoped(s)).map((s) => `${s.source}:${s.line}`),
    ).size;
    const notes: string[] = [];
    if (dirs.length > 0) notes.push(`Writes failed under ${dirs.join(', ')}: check df -h and df -i there.`);
    if (hidden > 0) notes.push(`${hidden} more request(s) hit the full disk but still answered without a 5xx (lost sessions, truncated responses).`);

    const finding: Finding = {
      cause: 'disk-full',
      confidence: findingConfidence(claims, server.length > 0 || php.length >= 2 ? SILENT : 0.5),
      claims,
      evidence: sampleEvidence(signals, 6),
      variant,
      directives: directivesFor(variant),
    };
    const upstreams = [...new Set(signals.map((s) => s.keys.upstreamKey).filter((u): u is string => Boolean(u)))];
    if (upstreams.length > 0) finding.upstreams = upstreams;
    if (notes.length > 0) finding.note = notes.join(' ');
    return [finding];
  },
};
