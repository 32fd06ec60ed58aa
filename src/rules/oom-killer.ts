// §5.4 oom-killer: the kernel OOM killer killed an FPM worker, the FPM master, the database or the web
// server. The worker case is the §5.27 chain: kernel 'Killed process N' ↔ FPM 'child N exited on signal 9'
// (W-PID) ↔ the proxy close/reset of the request that worker was serving (W-CLOSE).
import type { DiagnoseContext } from '../diagnose/context.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import {
  analysis,
  claim,
  claimPhpMessages,
  covers,
  deathClaims,
  errorFamilyOf,
  findingConfidence,
  isDbComm,
  isRefusedConnect,
  isWebComm,
  masterPids,
  mb,
  mergeClaims,
  oomKills,
  poolFile,
  symptomOf,
  W_CLOSE_MS,
  type Death,
} from './lib-fpm.js';
import type { Claim, Finding, Rule } from './types.js';

const SEC = 1000;
/** An outage after a master or DB kill continues while its errors keep coming this close together. */
const OUTAGE_GAP_MS = 60 * SEC;
const OUTAGE_MAX_MS = 30 * 60 * SEC;
const DB_DOWN_VARIANTS = new Set(['refused', 'socket-missing', 'gone-away', 'lost-connection']);

/** The kill line's cgroup scope, from its 'oom-kill:' summary (task_memcg) or its own prefix. */
function scopeOf(ctx: DiagnoseContext, kill: Signal): string | undefined {
  const summary = ctx.bySig('K-OOM').find((s) => s.keys.variant === 'summary' && s.keys.pid === kill.keys.pid && Math.abs(s.time - kill.time) <= 2 * SEC);
  if (summary?.keys.detail) return summary.keys.detail;
  return kill.keys.detail === 'memcg' ? 'memory cgroup limit' : undefined;
}

function workerFinding(ctx: DiagnoseContext, deaths: Death[]): Finding | undefined {
  if (deaths.length === 0) return undefined;
  const claims = mergeClaims(deathClaims(ctx, deaths));
  const kernel = deaths.map((d) => d.kernel).filter((s): s is Signal => s !== undefined);
  const exits = deaths.map((d) => d.exit).filter((s): s is Signal => s !== undefined);
  const confirmed = deaths.filter((d) => d.kind === 'oom');
  const confidence = findingConfidence(claims, Math.max(...deaths.map((d) => d.confidence)));
  const rss = Math.max(0, ...kernel.map((k) => k.keys.bytes ?? 0));
  const scopes = [...new Set(kernel.map((k) => scopeOf(ctx, k)).filter((s): s is string => s !== undefined))];
  const facts: string[] = [`${deaths.length} worker${deaths.length === 1 ? '' : 's'} killed`];
  if (rss > 0) facts.push(`the largest used ${mb(rss)} (anon-rss)`);
  if (scopes.length > 0) facts.push(`scope ${scopes.join(', ')}`);
  if (confirmed.length === 0) facts.push('SIGKILL without a kernel log: supply dmesg, kern.log or journalctl -k to confirm');
  const f: Finding = {
    cause: 'oom-killer',
    confidence,
    claims,
    evidence: sampleEvidence([...kernel, ...exits], 6),
    variant: 'worker',
    note: `${facts.join('; ')}.`,
  };
  const missing = [...new Set(deaths.flatMap((d) => d.missingSources ?? []))];
  if (missing.length > 0 && confirmed.length === 0) f.missingSources = missing;
  if (rss > 0) {
    const file = poolFile(ctx, deaths.find((d) => d.pool)?.pool);
    f.directives = [
      { file, set: 'pm.max_children', to: `floor((RAM − database − OS) / ${mb(rss)})`, why: `killed workers were up to ${mb(rss)}; max_children × that must fit in RAM` },
      { file, set: 'php_admin_value[memory_limit]', to: rss > 512 * 1024 ** 2 ? '512M' : '256M', why: 'caps one worker well below what the kernel had to kill' },
      { file, set: 'pm.max_requests', to: '500', why: 'recycles workers that leak memory' },
    ];
  }
  return f;
}

/** §5.4 item 3: the master was killed; refused connects until FPM is back belong to this kill. */
function masterFindings(ctx: DiagnoseContext): Finding[] {
  const masters = masterPids(ctx);
  const a = analysis(ctx);
  const out: Finding[] = [];
  for (const kill of oomKills(ctx)) {
    if (kill.keys.variant !== 'kill' || kill.keys.pid === undefined || !masters.has(kill.keys.pid)) continue;
    const back = ctx.bySig('F-LIFECYCLE').find((s) => s.time > kill.time + SEC && (s.keys.phase === 'start' || s.keys.phase === 'ready'));
    const claims: Claim[] = [];
    let end = back ? back.time + 3 * SEC : kill.time + OUTAGE_GAP_MS;
    const via = `connect refused ← FPM master ${kill.keys.pid} OOM-killed`;
    for (const i of ctx.errorsBetween(kill.time - 2 * SEC, kill.time + OUTAGE_MAX_MS)) {
      const e = ctx.errors.at(i);
      if (!e || e.status < 500) continue;
      if (e.time > end) break;
      const lines = a.joined.get(i) ?? [];
      const refused = lines.find(isRefusedConnect);
      const victim = a.victims.find((v) => v.error === i && Math.abs(v.time - kill.time) <= W_CLOSE_MS);
      if (refused) claims.push(claim(i, 0.9, 'same time window', refused, via));
      else if (victim) claims.push(claim(i, 0.9, 'same time window', victim.close ?? kill, `${symptomOf(victim.close)} ← FPM master ${kill.keys.pid} OOM-killed`));
      else if (lines.length === 0 && (e.status === 502 || e.status === 503) && !covers(ctx, errorFamilyOf(e), e.time)) claims.push(claim(i, 0.7, 'same time window', kill, via));
      else continue;
      if (!back) end = Math.max(end, e.time + OUTAGE_GAP_MS);
    }
    const f: Finding = {
      cause: 'oom-killer',
      confidence: findingConfidence(claims, 0.9),
      claims: mergeClaims(claims),
      evidence: back ? [kill, back] : [kill],
      variant: 'master',
      note: `The kernel killed the FPM master (pid ${kill.keys.pid})${back ? '; FPM came back' : '; no restart line follows in the FPM log'}.`,
    };
    out.push(f);
  }
  return out;
}

/** §5.4 item 4: the database was killed; its refused/gone-away errors are this kill's, not the DB's own. */
function databaseFindings(ctx: DiagnoseContext): Finding[] {
  const out: Finding[] = [];
  const db = ctx.bySig('D-DB').filter((s) => DB_DOWN_VARIANTS.has(s.keys.variant ?? ''));
  for (const kill of oomKills(ctx)) {
    if (kill.keys.variant !== 'kill' || !isDbComm(kill.keys.comm)) continue;
    const inWindow: Signal[] = [];
    let last = kill.time;
    for (const s of db) {
      if (s.time < kill.time - 2 * SEC) continue;
      if (s.time > last + OUTAGE_GAP_MS || s.time > kill.time + OUTAGE_MAX_MS) break;
      inWindow.push(s);
      last = Math.max(last, s.time);
    }
    const { claims } = claimPhpMessages(ctx, inWindow, [500, 502, 503], (s) => `database ${s.keys.variant ?? 'error'} ← ${kill.keys.comm ?? 'database'} OOM-killed`);
    // 0.9 ties with database-unavailable's request-scoped claims; the registry puts the root cause first
    for (const c of claims) c.confidence = Math.min(c.confidence, 0.9);
    out.push({
      cause: 'oom-killer',
      confidence: findingConfidence(claims, 0.85),
      claims,
      evidence: sampleEvidence([kill, ...inWindow], 5),
      variant: 'database',
      note: `The kernel killed ${kill.keys.comm ?? 'the database'}${kill.keys.bytes ? ` (${mb(kill.keys.bytes)} anon-rss)` : ''}; protect it with OOMScoreAdjust=-500 and size innodb_buffer_pool_size to fit.`,
      directives: [
        { file: 'systemd unit override (systemctl edit mysql)', set: 'OOMScoreAdjust', to: '-500', why: 'the kernel picks another victim than the database' },
        { file: 'MySQL config (/etc/mysql/mysql.conf.d/mysqld.cnf)', set: 'innodb_buffer_pool_size', to: 'about 50 % of the RAM left after PHP', why: 'the buffer pool is most of mysqld’s memory' },
      ],
    });
  }
  return out;
}

/** §5.4 item 5: nginx/Apache killed; lost requests leave no access line, so only the event is reported. */
function webserverFindings(ctx: DiagnoseContext): Finding[] {
  const kills = oomKills(ctx).filter((k) => k.keys.variant === 'kill' && isWebComm(k.keys.comm));
  if (kills.length === 0) return [];
  const procs = ctx.bySig('N-PROC').filter((s) => s.keys.signal === 'SIGKILL' && kills.some((k) => Math.abs(k.time - s.time) <= 2 * SEC));
  return [
    {
      cause: 'oom-killer',
      confidence: 0.8,
      claims: [],
      evidence: sampleEvidence([...kills, ...procs], 5),
      variant: 'webserver',
      note: `The kernel killed ${kills.length} ${kills[0]?.keys.comm ?? 'web server'} process(es); requests they held are lost without an access-log line.`,
    },
  ];
}

export const rule: Rule = {
  id: 'oom-killer',
  title: 'Kernel OOM killer killed a PHP-FPM worker (or the master, database or web server)',
  layer: 'os',
  meaning: 'The machine (or its container) ran out of memory and the kernel killed a process; the request that process was serving was cut off.',
  signals: ['K-OOM', 'F-EXIT', 'F-LIFECYCLE', 'N-PREMATURE', 'N-RECV', 'A-FCGI', 'N-CONNECT', 'A-CONNECT', 'D-DB', 'N-PROC'],
  lookAlikes: [
    'SIGKILL during an FPM reload (inside the restart window) is fpm-restart',
    'SIGKILL with a kernel log that shows no OOM kill is an external kill (fpm-worker-crash)',
    'SIGTERM is request_terminate_timeout or a stop; SIGSEGV is a crash',
    'memory_limit fatal errors (500) are php-memory-exhausted',
  ],
  fix: {
    summary:
      'Make the workers fit in RAM: lower pm.max_children so max_children × worker RSS + database + OS fits, cap memory_limit, recycle leaking workers; or add RAM / raise the container limit.',
    directives: [
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'pm.max_children', to: 'floor((RAM − database − OS) / worker RSS), e.g. 3 GB / 60 MB ≈ 50', why: 'measure RSS with ps -o rss= -C php-fpm8.2' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'php_admin_value[memory_limit]', to: '256M', why: 'one request cannot balloon a worker' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'pm.max_requests', to: '500', why: 'recycles workers that leak' },
      { file: 'systemd unit override of the database', set: 'OOMScoreAdjust', to: '-500', why: 'keeps the database out of the killer’s choice' },
    ],
  },
  diagnose(ctx) {
    const a = analysis(ctx);
    const out: Finding[] = [];
    const worker = workerFinding(ctx, a.deaths.filter((d) => d.kind === 'oom' || d.kind === 'oom-suspected'));
    if (worker) out.push(worker);
    out.push(...masterFindings(ctx), ...databaseFindings(ctx), ...webserverFindings(ctx));
    return out;
  },
};
