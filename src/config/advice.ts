// Turns a cause's fix directives into changes against the host's actual configuration: the value in force,
// the file and line it is set in, and — for the directives where the logs measure what is needed — a
// computed new value (issue: "pm.max_children = 5 in …/www.conf; peak in-flight 23 → set 29").
import type { FixDirective } from '../report/schema.js';
import type { ServerConfig } from './discover.js';
import type { Setting } from './nginx.js';
import { durationSeconds, phpBytes, phpSetting, type FpmPool } from './php-fpm.js';

/** What the logs measured that sizing advice can use; every field optional. */
export interface Measured {
  /** most PHP requests in flight at once, from access-log request times (Little's law per second) */
  peakInFlight?: number;
  /** resident memory of one FPM worker, e.g. from the kernel's OOM kill lines (anon-rss) */
  workerRssBytes?: number;
  /** the memory_limit PHP reported when it was hit ('Allowed memory size of N bytes') */
  memoryLimitHitBytes?: number;
  /** durations (s) of the 504s of this cause, to compare with the read timeout in force */
  timeoutDurations?: number[];
}

const FPM_POOL_KEYS = /^(pm(\.|$)|request_|listen|slowlog|catch_workers_output|rlimit_|security\.|access\.|php_(admin_)?(value|flag)\[)/;
const FPM_GLOBAL_KEYS = new Set(['process_control_timeout', 'emergency_restart_threshold', 'emergency_restart_interval', 'rlimit_files', 'rlimit_core', 'log_limit']);

function asUnix(listen: string): string {
  return listen.startsWith('/') ? `unix:${listen}` : listen;
}

/** The pool an upstream address belongs to: by listen address, or the only pool there is. */
export function poolFor(config: ServerConfig, upstreams: readonly string[]): FpmPool | undefined {
  if (config.fpmPools.length === 1) return config.fpmPools[0];
  for (const p of config.fpmPools) {
    const listen = p.settings.get('listen')?.value;
    if (!listen) continue;
    const key = asUnix(listen);
    // 'listen = 9000' means every address on port 9000
    const port = /^\d+$/.test(listen) ? `:${listen}` : undefined;
    if (upstreams.some((u) => u === key || (port !== undefined && u.endsWith(port)))) return p;
  }
  return undefined;
}

/** The setting in force for a directive name as the rules write it, wherever it lives. */
export function currentSetting(config: ServerConfig, name: string, pool: FpmPool | undefined): Setting | undefined {
  const php = /^php_(?:admin_)?value\[([^\]]+)\]$/.exec(name);
  const phpName = php?.[1] ?? (config.phpIni.has(name) ? name : undefined);
  if (phpName) return phpSetting(pool, config.phpIni, phpName);
  if (FPM_POOL_KEYS.test(name)) return pool?.settings.get(name);
  if (FPM_GLOBAL_KEYS.has(name)) return config.fpmGlobal.get(name) ?? pool?.settings.get(name);
  return config.nginx?.settings.get(name) ?? config.apache?.settings.get(name);
}

function fmtBytes(n: number): string {
  if (n >= 1 << 30 && n % (1 << 30) === 0) return `${n / (1 << 30)}G`;
  return `${Math.round(n / (1 << 20))}M`;
}

function where(s: Setting): string {
  return `${s.file}:${s.line}`;
}

/** A computed value and the sentence that justifies it, for the directives the logs can size. */
function compute(name: string, cur: Setting | undefined, m: Measured): { to?: string; why: string } | undefined {
  const base = name.replace(/^php_(?:admin_)?value\[([^\]]+)\]$/, '$1');
  switch (base) {
    case 'pm.max_children': {
      const now = cur ? Number(cur.value) : NaN;
      if (m.peakInFlight === undefined || !(m.peakInFlight > 0)) return undefined;
      const want = Math.ceil(m.peakInFlight * 1.25);
      const rss = m.workerRssBytes ? `; workers use ~${Math.round(m.workerRssBytes / (1 << 20))} MB each, so check that ${want} × that fits in the RAM left for PHP` : '';
      const from = Number.isFinite(now) ? `is ${now}` : 'is unset';
      return { to: String(Math.max(want, Number.isFinite(now) ? now + 1 : want)), why: `${from}; peak in-flight PHP requests ${m.peakInFlight} (from access-log request times), +25 % headroom${rss}` };
    }
    case 'memory_limit': {
      const now = cur ? phpBytes(cur.value) : m.memoryLimitHitBytes ?? NaN;
      const hit = m.memoryLimitHitBytes ?? now;
      if (!Number.isFinite(hit)) return undefined;
      const to = fmtBytes(Math.max(hit * 2, 128 << 20));
      return { to, why: `scripts hit the limit of ${fmtBytes(hit)}; raise it only for the script that needs it, and fix what allocates that much` };
    }
    case 'fastcgi_read_timeout':
    case 'proxy_read_timeout':
    case 'ProxyTimeout':
    case 'Timeout': {
      const secs = cur ? durationSeconds(cur.value) : name.startsWith('fastcgi') || name.startsWith('proxy') ? 60 : NaN;
      const d = m.timeoutDurations ?? [];
      if (!Number.isFinite(secs) || d.length === 0) return undefined;
      const atLimit = d.filter((x) => Math.abs(x - secs) <= 1.5).length;
      return { why: `is ${secs}s${cur ? '' : ' (the default)'} and ${atLimit} of ${d.length} 504s ended at it; raising it only moves the wait — fix what is slow` };
    }
    default:
      return undefined;
  }
}

/** Directives with the config's current values and, where measurable, a computed target. */
export function adviseDirectives(
  directives: readonly FixDirective[],
  config: ServerConfig,
  upstreams: readonly string[],
  measured: Measured,
): FixDirective[] {
  const pool = poolFor(config, upstreams);
  return directives.map((d) => {
    const cur = currentSetting(config, d.set, pool);
    const computed = compute(d.set, cur, measured);
    const out: FixDirective = { ...d };
    if (cur) {
      out.current = { value: cur.value, file: cur.file, line: cur.line };
      out.file = where(cur);
    } else if (pool && FPM_POOL_KEYS.test(d.set)) {
      out.file = `${pool.file} ([${pool.name}], not set: PHP-FPM default)`;
    }
    if (computed?.to !== undefined) out.to = computed.to;
    if (computed) out.why = computed.why;
    return out;
  });
}
