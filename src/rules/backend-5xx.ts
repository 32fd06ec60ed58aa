// backend-5xx (signatures.md §5.25, X-UPSTREAM-5XX): the backend itself answered 5xx ($upstream_status equals
// $status) and no error line explains it: maintenance mode (Laravel `php artisan down`, WordPress
// .maintenance), a framework error page with logging off, an HTTP backend relaying its own gateway error.
// Residual: it names who produced the error, not why, and loses ties to every rule that knows more.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { duration, isRequestScoped } from './lib-app.js';
import type { Claim, Finding, Rule } from './types.js';
import { maxOf, upperMedian } from '../numbers.js';

/** $upstream_status = $status, no error line (§5.25: 0.4). */
const UPSTREAM_SHAPE = 0.4;
/**
 * No $upstream_status logged: the web server's error log covers the moment and says nothing, which it
 * would for its own proxy failures. Access-log shape only (§5.0: 0.3), kept at the attribution floor so the
 * 5xx is not left unexplained when nothing else claims it.
 */
const ACCESS_SHAPE = 0.35;

/** Containers that only carry PHP messages: their P-/D- children are judged on their own. */
function explains(s: Signal): boolean {
  if ((s.sig === 'N-STDERR' || s.sig === 'A-FCGI' || s.sig === 'F-STDERR') && s.keys.variant === 'php') return false;
  // client aborts and timeouts are about the client side, not the backend's answer
  return s.sig !== 'N-CLIENT';
}

/** The status the last upstream try answered, or undefined when the log format has no $upstream_status. */
function lastUpstreamStatus(us: readonly (number | null)[] | undefined): number | null | undefined {
  if (!us || us.length === 0) return undefined;
  return us[us.length - 1] ?? null;
}

function variantOf(status: number): string {
  if (status === 503) return 'maintenance';
  if (status === 500) return 'app-error';
  if (status === 502 || status === 504) return 'gateway';
  return 'other';
}

const LOGGING: FixDirective[] = [
  { file: 'php.ini or the pool file (php_admin_value[…])', set: 'log_errors / error_log', to: 'On / /var/log/php/error.log', why: 'keep display_errors = Off' },
  { file: 'Laravel .env', set: 'LOG_CHANNEL / LOG_LEVEL', to: 'daily / error', why: 'errors go to storage/logs/laravel-*.log' },
  { file: 'WordPress wp-config.php', set: "WP_DEBUG / WP_DEBUG_LOG / WP_DEBUG_DISPLAY", to: 'true / true / false', why: 'errors go to wp-content/debug.log' },
];
const MAINTENANCE: FixDirective[] = [
  { file: 'the application', set: 'maintenance mode', to: 'off when the work is done: php artisan up (Laravel), remove .maintenance (WordPress)' },
  { file: 'nginx server block', set: 'error_page 503', to: '/maintenance.html (a static page; send Retry-After)', why: 'planned maintenance then shows a page instead of an app error' },
];
const GATEWAY: FixDirective[] = [
  { file: "the backend's own logs", set: 'where its 502/504 came from', to: 'the service behind the backend (it is a proxy or gateway itself)' },
];

function directivesFor(variant: string): FixDirective[] {
  if (variant === 'maintenance') return [...MAINTENANCE, ...LOGGING];
  if (variant === 'gateway') return [...GATEWAY, ...LOGGING];
  return LOGGING;
}


/** True when a web-server error log covers this moment (so its silence means something). */
function errorLogCovers(ctx: DiagnoseContext, t: number): boolean {
  for (const fam of ['nginx-error', 'apache-error']) {
    const c = ctx.coverage(fam);
    if (c && t >= c.from - 60_000 && t <= c.to + 60_000) return true;
  }
  return false;
}

export const rule: Rule = {
  id: 'backend-5xx',
  title: 'Backend answered 5xx',
  layer: 'app',
  meaning:
    'The backend (PHP or the app server) produced the 5xx itself and no log line says why: maintenance mode, a framework error page with logging off, or an error relayed from further behind.',
  signals: ['X-UPSTREAM-5XX'],
  lookAlikes: [
    'php-fatal-error / database-unavailable (a PHP message explains the 500)',
    'rate-limited or an nginx `return 503` (no upstream was asked: $upstream_status is "-")',
    'fpm-pool-exhausted / upstream-down (the web server made the 5xx and logged why)',
  ],
  residual: true,
  fix: {
    summary:
      'Turn on error logging in PHP and the framework (keep display_errors off) and read the app logs; a 503 from a maintenance mode is intentional.',
    directives: LOGGING,
  },
  diagnose(ctx) {
    // 5xx that some request-scoped line names: another rule owns them (or they have a known symptom)
    const named = new Set<number>();
    for (const s of ctx.signals) {
      if (!isRequestScoped(s) || !explains(s)) continue;
      const i = ctx.sameRequest(s);
      if (i !== undefined) named.add(i);
    }

    const byVariant = new Map<string, Claim[]>();
    // columns, not objects: this looks at every 5xx
    const errors = ctx.errors;
    for (let i = 0; i < errors.length; i++) {
      const status = errors.statusAt(i);
      if (named.has(i) || status < 500 || status > 599) continue;
      const us = lastUpstreamStatus(errors.upstreamsAt(i)?.status);
      const time = errors.timeAt(i);
      let confidence: number;
      // nginx itself records $upstream_status 502/504 when its connect or read fails: only a web-server
      // error log that covers the moment and stays silent says the backend relayed them
      if (us === status && ((status !== 502 && status !== 504) || errorLogCovers(ctx, time))) confidence = UPSTREAM_SHAPE;
      else if (us === undefined && (status === 500 || status === 503) && errorLogCovers(ctx, time)) confidence = ACCESS_SHAPE;
      else continue;
      const variant = variantOf(status);
      let l = byVariant.get(variant);
      if (!l) byVariant.set(variant, (l = []));
      l.push({ error: i, confidence, why: 'access-log shape' });
    }

    const noErrorLog = !ctx.has('nginx-error') && !ctx.has('apache-error');
    const out: Finding[] = [];
    for (const [variant, claims] of byVariant) {
      // one pass over the claimed 5xx, keeping only what the note needs (a list of them would be all 5xx)
      const times: number[] = [];
      const upstreamSet = new Set<string>();
      const statusSet = new Set<number>();
      for (const c of claims) {
        const e = ctx.errors.at(c.error);
        if (!e) continue;
        const urt = e.upstreamResponseTime?.[e.upstreamResponseTime.length - 1];
        const t = typeof urt === 'number' ? urt : e.requestTime;
        if (t !== undefined) times.push(t);
        const u = ctx.upstreamOf(e);
        if (u !== undefined) upstreamSet.add(u);
        statusSet.add(e.status);
      }
      const med = upperMedian(times);
      const first = ctx.errors.timeAt(claims[0]?.error ?? -1);
      const last = ctx.errors.timeAt(claims[claims.length - 1]?.error ?? -1);
      const upstreams = [...upstreamSet];
      const statuses = [...statusSet].sort().join('/');
      const shape = claims.some((c) => c.confidence === UPSTREAM_SHAPE) ? 'answered by the backend' : 'with no web-server error line';
      let note = `${claims.length} × ${statuses} ${shape}${upstreams.length > 0 ? ` (${upstreams.slice(0, 2).join(', ')})` : ''}`;
      if (med !== undefined) note += `, median ${med.toFixed(3)} s`;
      if (claims.length > 1 && last > first) note += `, over ${duration(last - first)}`;
      note += '; no log line explains them.';
      if (variant === 'maintenance' && med !== undefined && med < 0.5) note += ' Fast 503s from the app are typical of a maintenance mode.';

      const best = maxOf(claims.map((c) => c.confidence));
      const finding: Finding = {
        cause: 'backend-5xx',
        confidence: best,
        claims,
        // no line explains these 5xx: the report shows the requests themselves
        evidence: [],
        variant,
        directives: directivesFor(variant),
        note,
      };
      if (upstreams.length > 0) finding.upstreams = upstreams;
      if (noErrorLog) finding.missingSources = ['web server error log'];
      out.push(finding);
    }
    // keep the output order stable: most requests first
    out.sort((a, b) => b.claims.length - a.claims.length);
    return out;
  },
};
