// database-unavailable (signatures.md §5.23): the app could not use its database or cache server: refused,
// socket missing, gone away, lost connection, too many connections, auth, name lookup, timeout; the same for
// Redis and Memcached. The D- texts are found inside PHP messages (FastCGI stderr, AH01071, FPM worker
// output, the PHP error log) and joined to their request, else paired with 5xx by time.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { ErrorRequest } from '../digest/digest.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import { claimOverflow, dominant, findingConfidence, isFatalPhp, joinSignals, phpMessageText, shortMessage } from './lib-app.js';
import type { Claim, Finding, Rule } from './types.js';

/** A fatal D- text on the failed request (§5.23: request-scoped 0.9). */
const FATAL_SAME_REQUEST = 0.9;
/** A DB warning on the failed request: apps usually turn a failed connect into an error page right after. */
const DB_WARNING_SAME_REQUEST = 0.8;
/** A cache warning: many apps carry on without the cache, so the 5xx may have another reason. */
const CACHE_WARNING_SAME_REQUEST = 0.6;
/** Error-log lines paired by time (§5.23 clusters by time 0.7; §5.2: 0.5 when several 5xx compete). */
const TIME_SINGLE = 0.7;
const TIME_SEVERAL = 0.5;
/** The server process was OOM-killed shortly before: oom-killer is the root (§5.4 item 4 credits it 0.85). */
const AFTER_OOM_KILL = 0.8;
const OOM_LOOKBACK_MS = 15 * 60_000;
/** Without an access log there is nothing to join; fatal dependency errors are still reported. */
const NO_ACCESS_LOG = 0.6;

type Kind = 'db' | 'redis' | 'memcached';

const KIND_BY_SIG: Record<string, Kind> = { 'D-DB': 'db', 'D-REDIS': 'redis', 'D-MEMCACHED': 'memcached' };
const SERVER_COMMS: Record<Kind, RegExp> = {
  db: /^(?:mysqld|mariadbd|postgres|postmaster)$/,
  redis: /^redis-server$/,
  memcached: /^memcached$/,
};
const KIND_NAME: Record<Kind, string> = { db: 'database', redis: 'Redis', memcached: 'Memcached' };

const MYSQL_CNF = 'MySQL/MariaDB server ([mysqld] in /etc/mysql/mysql.conf.d/mysqld.cnf or /etc/my.cnf)';

/** Fix directives per variant (§5.23 "Fix by variant"). */
function directivesFor(kind: Kind, variant: string, maxChildrenSum: number | undefined): FixDirective[] {
  if (kind === 'redis') {
    if (variant === 'redis-oom') {
      return [
        { file: 'Redis (/etc/redis/redis.conf)', set: 'maxmemory', to: 'enough for the working set (INFO memory shows used_memory)' },
        { file: 'Redis (/etc/redis/redis.conf)', set: 'maxmemory-policy', to: 'allkeys-lru', why: 'a cache should evict, not refuse writes' },
      ];
    }
    return [
      { file: 'Redis (/etc/redis/redis.conf)', set: 'bind / port', to: 'an address the PHP host can reach (127.0.0.1 for a local Redis) / 6379', why: 'and check the service runs: systemctl status redis-server' },
      { file: 'Redis (/etc/redis/redis.conf)', set: 'maxclients / timeout', to: '10000 / 0' },
      { file: 'the app cache configuration (WordPress object-cache.php, Laravel config/database.php redis)', set: 'connect and read timeouts', to: '1 s, and fall back to no cache when Redis is down' },
    ];
  }
  if (kind === 'memcached') {
    return [
      { file: 'memcached (/etc/memcached.conf)', set: '-l / -p', to: 'an address the PHP host can reach / 11211', why: 'and check the service runs: systemctl status memcached' },
      { file: 'memcached (/etc/memcached.conf)', set: '-c / -m', to: '4096 / memory for the working set in MB' },
    ];
  }
  switch (variant) {
    case 'too-many-connections':
      return [
        {
          file: MYSQL_CNF,
          set: 'max_connections',
          to: maxChildrenSum !== undefined ? String(Math.max(151, maxChildrenSum * 2 + 20)) : 'above the sum of pm.max_children of all pools plus cron/queue workers (default 151)',
          why: maxChildrenSum !== undefined ? `the FPM pools seen allow ${maxChildrenSum} workers, each may hold a connection` : undefined,
        },
        { file: 'PostgreSQL (postgresql.conf)', set: 'max_connections', to: 'the same rule, or put PgBouncer in front' },
        { file: 'php.ini', set: 'mysqli.allow_persistent / PDO::ATTR_PERSISTENT', to: 'Off / false', why: 'persistent connections multiply by workers' },
      ];
    case 'gone-away':
      return [
        { file: MYSQL_CNF, set: 'wait_timeout / interactive_timeout', to: '28800', why: 'longer than a worker keeps an idle connection; or reconnect on error in the app' },
        { file: MYSQL_CNF, set: 'max_allowed_packet', to: '64M' },
      ];
    case 'lost-connection':
      return [
        { file: MYSQL_CNF, set: 'net_read_timeout / net_write_timeout', to: '120 / 120' },
        { file: MYSQL_CNF, set: 'slow_query_log / long_query_time', to: 'ON / 1', why: 'find the long queries that lose their connection' },
      ];
    case 'dns':
      return [
        { file: 'the app configuration (.env DB_HOST, wp-config.php DB_HOST)', set: 'DB_HOST', to: 'a name that resolves on the PHP host (check: getent hosts <name>) or the server IP' },
      ];
    case 'auth':
      return [
        { file: 'the app configuration (.env DB_USERNAME/DB_PASSWORD, wp-config.php DB_USER/DB_PASSWORD)', set: 'user / password', to: 'the credentials the server accepts' },
        { file: 'the database server', set: "GRANT … ON db.* TO 'user'@'host'", to: 'the host the app connects from' },
      ];
    case 'timeout':
      return [
        { file: 'the app database configuration', set: 'PDO::ATTR_TIMEOUT / MYSQLI_OPT_CONNECT_TIMEOUT', to: '5', why: 'fail fast; then find why the server is slow to accept (load, network, firewall)' },
        { file: 'php.ini', set: 'mysqlnd.net_read_timeout', to: '30' },
      ];
    default:
      // refused / socket-missing / server killed
      return [
        { file: MYSQL_CNF, set: 'bind-address / port', to: '127.0.0.1 (or the address the app uses) / 3306', why: 'and check the server runs: systemctl status mysql (or mariadb, postgresql)' },
        { file: 'php.ini', set: 'pdo_mysql.default_socket / mysqli.default_socket', to: 'the socket mysqld creates (SHOW VARIABLES LIKE "socket"), e.g. /run/mysqld/mysqld.sock' },
      ];
  }
}

function variantOf(s: Signal, kind: Kind): string {
  const v = s.keys.variant ?? 'error';
  return kind === 'db' ? v : `${kind}-${v}`;
}

/** The server the app tried to reach, when the message names it. */
function serverOf(s: Signal): string | undefined {
  const t = `${s.keys.detail ?? ''} ${s.text}`;
  const m =
    /connection to server (?:at|on socket) "([^"\n]{1,256})"(?:, port (\d{1,5}))?/.exec(t) ??
    /getaddrinfo for ([\w.-]{1,253}) failed/.exec(t) ??
    /could not translate host name "([^"\n]{1,256})"/.exec(t) ??
    /Unknown (?:MySQL|MariaDB) server host '([^'\n]{1,256})'/.exec(t) ??
    /Can't connect to (?:local )?(?:MySQL|MariaDB) server (?:on|through socket) '([^'\n]{1,256})'/.exec(t) ??
    /\[tcp:\/\/([^\]\s]{1,256})\]/.exec(t) ??
    /on connection to ([\w.:[\]-]{1,256})/.exec(t) ??
    /Server ([\w.:-]{1,256}) \(tcp (\d{1,5})/.exec(t);
  if (!m?.[1]) return undefined;
  return m[2] ? `${m[1]}:${m[2]}` : m[1];
}

/** Sum of pm.max_children over the pools that reported it (bounds concurrent DB connections from PHP). */
function maxChildrenSum(ctx: DiagnoseContext): number | undefined {
  const byPool = new Map<string, number>();
  for (const s of ctx.bySig('F-MAXCHILD')) {
    const n = Number(/max_children=(\d{1,10})/.exec(s.keys.detail ?? '')?.[1]);
    if (Number.isFinite(n) && n > 0) byPool.set(s.keys.pool ?? '', n);
  }
  if (byPool.size === 0) return undefined;
  let sum = 0;
  for (const n of byPool.values()) sum += n;
  return sum;
}

function diagnoseKind(ctx: DiagnoseContext, kind: Kind, signals: Signal[]): Finding | undefined {
  if (signals.length === 0) return undefined;
  const kills = ctx.bySig('K-OOM').filter((k) => k.keys.variant === 'kill' && SERVER_COMMS[kind].test(k.keys.comm ?? ''));
  const killBefore = (s: Signal): Signal | undefined => kills.find((k) => k.time <= s.time + 2000 && s.time - k.time <= OOM_LOOKBACK_MS);
  const via = (s: Signal): string | undefined => {
    const k = killBefore(s);
    return k ? `${k.keys.comm ?? 'server'} ${k.keys.pid ?? ''} killed by the OOM killer`.replace('  ', ' ') : undefined;
  };
  // strongest texts first: the same-request join keeps the first signal of each request
  const ordered = [...signals].sort((a, b) => Number(isFatalPhp(b)) - Number(isFatalPhp(a)) || a.time - b.time);
  const warningConf = kind === 'db' ? DB_WARNING_SAME_REQUEST : CACHE_WARNING_SAME_REQUEST;
  const cap = (s: Signal, c: number): number => (killBefore(s) ? Math.min(c, AFTER_OOM_KILL) : c);
  const joined = joinSignals(ctx, ordered, {
    sameRequest: (s, e: ErrorRequest) => (e.status >= 500 ? cap(s, isFatalPhp(s) ? FATAL_SAME_REQUEST : warningConf) : 0),
    time: {
      single: TIME_SINGLE,
      several: TIME_SEVERAL,
      // PHP answers an uncaught dependency failure with 500; other statuses come from elsewhere
      pred: (e) => e.status === 500,
    },
    via,
  });
  // warnings joined only by time are weaker than fatal errors joined by time; a preceding kill caps both
  const claims: Claim[] = joined.claims.map((c) => {
    const s = c.evidence;
    if (!s || c.why !== 'same time window') return c;
    let conf = c.confidence;
    if (!isFatalPhp(s)) conf -= kind === 'db' ? 0.1 : 0.2;
    return { ...c, confidence: Math.max(0.35, cap(s, conf)) };
  });

  // a long outage overflows the digest's per-signature cap: the counted-only lines still explain 500s
  const sigOfKind = Object.keys(KIND_BY_SIG).filter((k) => KIND_BY_SIG[k] === kind);
  claims.push(...claimOverflow(ctx, sigOfKind, new Set(claims.map((c) => c.error)), TIME_SEVERAL, (e) => e.status === 500));

  const claimed = claims.map((c) => c.evidence).filter((s): s is Signal => s !== undefined);
  const basis = claimed.length > 0 ? claimed : signals;
  const variant = dominant(basis.map((s) => variantOf(s, kind))) ?? 'error';
  const server = dominant(basis.map(serverOf).filter((x): x is string => x !== undefined));
  const sample = basis.find((s) => variantOf(s, kind) === variant) ?? basis[0];
  const message = sample ? shortMessage(phpMessageText(sample.keys.detail)) : '';

  const noAccess = !ctx.has('nginx-access') && !ctx.has('apache-access');
  const fatalCount = signals.filter((s) => isFatalPhp(s)).length;
  const silent = noAccess && fatalCount > 0 ? NO_ACCESS_LOG : 0.5;
  const notes: string[] = [];
  const variants = new Set(basis.map((s) => variantOf(s, kind)));
  notes.push(
    `${KIND_NAME[kind]}${server ? ` ${server}` : ''}: ${variant}${variants.size > 1 ? ` (also ${[...variants].filter((v) => v !== variant).join(', ')})` : ''}` +
      `${message ? ` — "${message}"` : ''}.`,
  );
  const killed = signals.map(killBefore).find((k): k is Signal => k !== undefined);
  if (killed) notes.push(`The kernel OOM killer killed ${killed.keys.comm ?? 'the server'} shortly before: see oom-killer.`);

  const finding: Finding = {
    cause: 'database-unavailable',
    confidence: findingConfidence(claims, silent),
    claims,
    evidence: sampleEvidence(basis, 6),
    variant,
    directives: directivesFor(kind, variant, maxChildrenSum(ctx)),
    note: notes.join(' '),
  };
  if (noAccess) finding.missingSources = ['access log'];
  const upstreams = [...new Set(basis.map((s) => s.keys.upstreamKey).filter((u): u is string => Boolean(u)))];
  if (upstreams.length > 0) finding.upstreams = upstreams;
  return finding;
}

export const rule: Rule = {
  id: 'database-unavailable',
  title: 'Database or cache unavailable',
  layer: 'dep',
  meaning:
    'PHP could not use its database or cache server (connection refused, socket missing, gone away, too many connections, access denied, name not resolvable, timeout), so the app answered with an error page.',
  signals: ['D-DB', 'D-REDIS', 'D-MEMCACHED', 'K-OOM', 'F-MAXCHILD'],
  lookAlikes: [
    'oom-killer (variant database: the server process was killed; the refused connections are its consequence)',
    'slow-dependency (lock waits, deadlocks and slow queries: contention, not availability)',
    'php-fatal-error (an uncaught exception that is not a dependency failure)',
  ],
  fix: {
    summary:
      'Bring the database/cache server back and make it reachable with the configured address, socket and credentials; size max_connections above the sum of PHP workers.',
    directives: directivesFor('db', 'refused', undefined),
  },
  diagnose(ctx) {
    const byKind = new Map<Kind, Signal[]>();
    for (const s of ctx.bySig('D-DB', 'D-REDIS', 'D-MEMCACHED')) {
      const kind = KIND_BY_SIG[s.sig];
      // lock waits and deadlocks are contention (slow-dependency / php-fatal-error), not availability;
      // 'Errcode: 28' is the database's disk (disk-full)
      if (!kind || (kind === 'db' && (s.keys.variant === 'lock' || s.keys.variant === 'disk-full'))) continue;
      let l = byKind.get(kind);
      if (!l) byKind.set(kind, (l = []));
      l.push(s);
    }
    const out: Finding[] = [];
    for (const [kind, signals] of byKind) {
      const f = diagnoseKind(ctx, kind, signals);
      if (f) out.push(f);
    }
    return out;
  },
};
