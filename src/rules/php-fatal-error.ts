// php-fatal-error (signatures.md §5.24): any other PHP fatal error (uncaught exception, undefined function or
// class, parse error, type error) ended the request with 500. Memory limit, max_execution_time and
// allocator failures have their own rows (P-MEMLIMIT, P-MAXEXEC, P-OOM) and rules; a fatal error whose text is
// a database or cache failure belongs to database-unavailable, an HTTP-call failure to its dependency.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { ErrorRequest } from '../digest/digest.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { culpritsOf, sampleEvidence } from './helpers.js';
import { claimOverflow, dominant, duration, findingConfidence, joinSignals, phpMessageText, shortMessage } from './lib-app.js';
import type { Claim, Finding, Rule } from './types.js';

/** Request-scoped fatal joined to its 500 (§5.2 / §5.24: 0.95). */
const SAME_REQUEST_500 = 0.95;
/** Joined to another 5xx: a fatal gives 500, so something else shaped the status (a proxy in front). */
const SAME_REQUEST_OTHER = 0.7;
/** Error-log fatals paired by time (§5.2: 0.7 single candidate, 0.5 otherwise). */
const TIME_SINGLE = 0.7;
const TIME_SEVERAL = 0.5;
/**
 * An uncaught exception whose text is an HTTP-call failure or a lock wait/deadlock: the app did not handle a
 * dependency problem. Claimed low so that a rule naming the dependency (slow-dependency) wins when it fires.
 */
const DEPENDENCY_SHAPED = 0.45;
/** 500s during a run of fatal errors too long for the digest to keep every line. */
const OVERFLOW = 0.45;
/** Without an access log: fatal errors are still worth reporting, with the missing source named. */
const NO_ACCESS_LOG = 0.6;
/** Deploys and reloads this long before the first fatal error are named as its likely trigger. */
const ONSET_LOOKBACK_MS = 10 * 60_000;
/** …and only when the access log shows the site serving for at least this long before that event. */
const ONSET_MIN_HISTORY_MS = 5 * 60_000;

/** Messages that belong to other rules even if a P-FATAL row caught them (defence in depth). */
const OTHER_RULES = /Allowed memory size of|Maximum execution time of|[Ff]atal error: {1,2}Out of memory|Too many open files|No space left on device/;
/** Dependency families whose failures are database-unavailable's. */
const AVAILABILITY_DEPS = new Set(['db', 'redis', 'memcached']);
const CONTENTION = /Lock wait timeout exceeded|Deadlock found/;

/** Extensions whose missing functions/classes say "install the package", by prefix. */
const EXTENSIONS: readonly [RegExp, string][] = [
  [/^mysqli?_|^mysqli$|^PDO$/i, 'mysql (php-mysql)'],
  [/^pg_/, 'pgsql (php-pgsql)'],
  [/^curl_/, 'curl (php-curl)'],
  [/^(?:image|gd_)/, 'gd (php-gd)'],
  [/^mb_/, 'mbstring (php-mbstring)'],
  [/^(?:simplexml_|xml_|dom_)|^DOMDocument$|^SimpleXMLElement$/, 'xml (php-xml)'],
  [/^zip_|^ZipArchive$/, 'zip (php-zip)'],
  [/^intl|^Normalizer$|^NumberFormatter$|^Collator$/, 'intl (php-intl)'],
  [/^bc/, 'bcmath (php-bcmath)'],
  [/^sodium_/, 'sodium (php-sodium)'],
  [/^(?:apcu_|apc_)/, 'apcu (php-apcu)'],
  [/^Redis$/, 'redis (php-redis)'],
  [/^Memcached$/, 'memcached (php-memcached)'],
  [/^Imagick$/, 'imagick (php-imagick)'],
];

/** A finer kind of fatal error from its text: what the report calls the variant. */
function kindOf(s: Signal): string {
  const t = phpMessageText(s.keys.detail);
  if (s.keys.variant === 'parse' || /syntax error/.test(t)) return 'parse-error';
  if (/Call to undefined function/.test(t)) return 'undefined-function';
  if (/Call to undefined method/.test(t)) return 'undefined-method';
  if (/Class "?[\w\\]{1,200}"? not found|Interface "?[\w\\]{1,200}"? not found|Trait "?[\w\\]{1,200}"? not found/.test(t)) return 'class-not-found';
  if (/Cannot redeclare|Cannot declare class/.test(t)) return 'redeclare';
  if (/(?:Uncaught )?(?:TypeError|ArgumentCountError)|must be of type|Unsupported operand types/.test(t)) return 'type-error';
  if (/Failed opening required|Failed to open stream.{0,80}require/i.test(t)) return 'missing-file';
  if (/Maximum function nesting level/.test(t)) return 'nesting-level';
  if (/Uncaught /.test(t)) return 'uncaught-exception';
  return s.keys.variant === 'recoverable' ? 'recoverable' : 'fatal';
}

/** The missing extension a 'Call to undefined function x()' / 'Class "X" not found' names, if any. */
function missingExtension(s: Signal): string | undefined {
  const t = phpMessageText(s.keys.detail);
  const name = /Call to undefined function ([\w\\]{1,200})\(/.exec(t)?.[1] ?? /Class "?([\w\\]{1,200})"? not found/.exec(t)?.[1];
  if (!name) return undefined;
  const base = name.slice(name.lastIndexOf('\\') + 1);
  for (const [re, ext] of EXTENSIONS) if (re.test(base)) return ext;
  return undefined;
}

/** The message with volatile parts removed, for grouping the same error across requests. */
function messageKey(s: Signal): string {
  return phpMessageText(s.keys.detail)
    .replace(/ in \/[^\s]{0,1024}(?::\d{1,9}| on line \d{1,9})$/, '')
    .replace(/\d+/g, 'N');
}

/** Web-server or FPM lifecycle events that often precede a wave of fatal errors (deploys, upgrades). */
function onsetEvent(ctx: DiagnoseContext, first: number): { what: string; before: number } | undefined {
  const events = ctx
    .bySig('F-LIFECYCLE', 'A-RESTART', 'N-PROC')
    .filter((s) => (s.keys.phase === 'reload' || s.keys.phase === 'start' || s.keys.phase === 'ready') && s.time <= first && first - s.time <= ONSET_LOOKBACK_MS);
  const last = events[events.length - 1];
  if (!last) return undefined;
  // a start at the very beginning of the logs is not an onset: the site must have run before it
  const access = ctx.coverage('nginx-access') ?? ctx.coverage('apache-access');
  if (!access || access.from > last.time - ONSET_MIN_HISTORY_MS) return undefined;
  // a reload logs its own start/ready lines right after: name the reload, timed from its first line
  const reload = [...events].reverse().find((s) => s.keys.phase === 'reload' && last.time - s.time <= 30_000);
  const at = reload ?? last;
  const program = at.sig === 'F-LIFECYCLE' ? 'PHP-FPM' : at.sig === 'A-RESTART' ? 'Apache' : 'nginx';
  return { what: `a ${program} ${reload ? 'reload' : 'restart'}`, before: first - at.time };
}

const isServerError = (e: ErrorRequest): boolean => e.status >= 500;

export const rule: Rule = {
  id: 'php-fatal-error',
  title: 'PHP fatal error',
  layer: 'app',
  meaning:
    'PHP stopped the script with a fatal error (uncaught exception, undefined function or class, parse or type error), so the request ended with 500.',
  signals: ['P-FATAL', 'F-LIFECYCLE', 'A-RESTART', 'N-PROC'],
  lookAlikes: [
    'php-memory-exhausted (Allowed memory size … exhausted)',
    'php-timeout (Maximum execution time … exceeded)',
    'host-memory-exhausted (Out of memory (allocated …))',
    'database-unavailable (an uncaught PDOException/RedisException about the connection)',
  ],
  fix: {
    summary:
      'Fix or roll back the code named by the error (the culprit plugin, theme or file); install a missing PHP extension; check compatibility after PHP or dependency upgrades.',
    directives: [
      { file: 'php.ini or the pool file (php_admin_value[…])', set: 'log_errors / display_errors', to: 'On / Off', why: 'keep the fatal errors in the log, never on the page' },
    ],
  },
  diagnose(ctx) {
    const fatals = ctx.bySig('P-FATAL').filter((s) => {
      if (OTHER_RULES.test(s.keys.detail ?? '')) return false;
      const dep = s.keys.dependency;
      // a dependency failure is database-unavailable's, unless it is a lock/deadlock (contention)
      return !(dep && AVAILABILITY_DEPS.has(dep) && !CONTENTION.test(s.keys.detail ?? ''));
    });
    if (fatals.length === 0) return [];
    const dependencyShaped = (s: Signal): boolean => Boolean(s.keys.dependency);
    const base = (s: Signal, c: number): number => (dependencyShaped(s) ? Math.min(c, DEPENDENCY_SHAPED) : c);
    // plain fatals first so that a request with both keeps the stronger join
    const ordered = [...fatals].sort((a, b) => Number(dependencyShaped(a)) - Number(dependencyShaped(b)) || a.time - b.time);
    const joined = joinSignals(ctx, ordered, {
      sameRequest: (s, e) => (isServerError(e) ? base(s, e.status === 500 ? SAME_REQUEST_500 : SAME_REQUEST_OTHER) : 0),
      time: { single: TIME_SINGLE, several: TIME_SEVERAL, pred: (e) => e.status === 500 },
    });
    const claims: Claim[] = joined.claims.map((c) => (c.evidence && c.why === 'same time window' ? { ...c, confidence: Math.max(0.35, base(c.evidence, c.confidence)) } : c));

    // counted-only P-FATAL lines (digest cap) explain 500s too, when the kept ones are mostly this rule's
    const all = ctx.bySig('P-FATAL').length;
    if (all > 0 && fatals.length * 2 >= all) {
      claims.push(...claimOverflow(ctx, ['P-FATAL'], new Set(claims.map((c) => c.error)), OVERFLOW, (e) => e.status === 500));
    }

    const claimed = claims.map((c) => c.evidence).filter((s): s is Signal => s !== undefined);
    const basis = claimed.length > 0 ? claimed : fatals;
    const variant = dominant(basis.map(kindOf)) ?? 'fatal';
    const topKey = dominant(basis.map(messageKey));
    const top = basis.filter((s) => messageKey(s) === topKey);
    const sample = top[0];
    const notes: string[] = [];
    if (sample) notes.push(`Most frequent (${top.length}×): "${shortMessage(phpMessageText(sample.keys.detail))}".`);
    const ext = basis.map(missingExtension).find((x): x is string => x !== undefined);
    if (ext) notes.push(`The function or class belongs to the ${ext} extension: install and enable it for this PHP version, or fix the call.`);
    const first = fatals[0];
    const onset = first ? onsetEvent(ctx, first.time) : undefined;
    if (onset) notes.push(`The errors started ${duration(onset.before)} after ${onset.what} (a deploy or upgrade?).`);

    const noAccess = !ctx.has('nginx-access') && !ctx.has('apache-access');
    const directives: FixDirective[] = [...rule.fix.directives];
    if (ext) directives.unshift({ file: 'the PHP packages of this host (e.g. apt install php8.2-…)', set: 'extension', to: ext, why: 'then reload PHP-FPM' });

    const finding: Finding = {
      cause: 'php-fatal-error',
      // with no 5xx joined while an access log is present, fatal errors alone stay below the report
      confidence: findingConfidence(claims, noAccess ? NO_ACCESS_LOG : 0.5),
      claims,
      evidence: sampleEvidence([...top, ...basis.filter((s) => !top.includes(s))], 6),
      variant,
      culprits: culpritsOf(basis),
      directives,
      note: notes.join(' '),
    };
    if (noAccess) finding.missingSources = ['access log'];
    const upstreams = [...new Set(basis.map((s) => s.keys.upstreamKey).filter((u): u is string => Boolean(u)))];
    if (upstreams.length > 0) finding.upstreams = upstreams;
    return [finding];
  },
};
