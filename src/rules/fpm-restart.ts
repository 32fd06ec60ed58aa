// §5.28 fpm-restart: an FPM reload/restart/stop window (W-RESTART). With the default
// process_control_timeout = 0 the master cuts busy workers within about a second (SIGQUIT → SIGTERM →
// SIGKILL, logged at DEBUG, so no exit lines), so in-flight requests end as 502/503; during a stop/start the
// socket disappears and connects are refused.
import { sampleEvidence } from './helpers.js';
import {
  analysis,
  claim,
  covers,
  dominant,
  endOf,
  errorFamilyOf,
  findingConfidence,
  fpmConfFile,
  isRefusedConnect,
  isTimeoutSignal,
  mergeClaims,
  symptomOf,
} from './lib-fpm.js';
import type { Claim, Finding, Rule } from './types.js';

const IN_WINDOW = 0.9;
/** After a crash storm the reload is the mechanism; fpm-worker-crash claims the same 5xx at 0.9. */
const EMERGENCY = 0.6;
/** 502/503 in the window with no error log to say how they failed. */
const NO_LINE = 0.7;
/** A queued request that timed out across a reload: possible, not proven. */
const TIMEOUT_ACROSS = 0.6;

export const rule: Rule = {
  id: 'fpm-restart',
  title: 'PHP-FPM reload or restart cut requests',
  layer: 'fpm',
  meaning: 'PHP-FPM was reloaded, restarted or stopped; requests in flight were cut off and new ones could not connect until it was back.',
  signals: ['F-LIFECYCLE', 'F-EXIT', 'N-PREMATURE', 'N-RECV', 'N-CONNECT', 'A-CONNECT', 'A-FCGI'],
  lookAlikes: [
    'refused connects that last after a stop with no new start are upstream-down (stopped)',
    'an emergency reload after a crash storm is credited to fpm-worker-crash',
    'a worker killed by the kernel in the same second is oom-killer',
  ],
  fix: {
    summary:
      'Let reloads drain: set process_control_timeout so busy workers may finish, prefer reload (SIGUSR2) over restart, and schedule deploys with connection draining.',
    directives: [
      { file: 'php-fpm.conf (/etc/php/8.2/fpm/php-fpm.conf)', set: 'process_control_timeout', to: '10s', why: 'the default 0 cuts busy workers within about a second of every reload' },
      { file: 'deploy / logrotate scripts', set: 'systemctl restart php8.2-fpm', to: 'systemctl reload php8.2-fpm', why: 'a reload keeps the listening socket (no refused connects)' },
    ],
  },
  diagnose(ctx) {
    const a = analysis(ctx);
    if (a.restarts.length === 0) return [];
    const claims: Claim[] = [];
    const used = new Set<number>();
    for (const w of a.restarts) {
      const base = w.variant === 'emergency-reload' ? EMERGENCY : IN_WINDOW;
      const label = `FPM ${w.variant} at ${new Date(w.from + 1000).toISOString().slice(11, 19)}`;
      for (const v of a.victims) {
        if (v.time < w.from || v.time > w.to) continue;
        claims.push(claim(v.error, v.close ? base : Math.min(base, NO_LINE), v.close ? 'same time window' : 'same time window', v.close ?? w.signals[0], `${symptomOf(v.close)} ← ${label}`));
        used.add(v.error);
      }
      for (const i of ctx.errorsBetween(w.from, w.to)) {
        if (used.has(i)) continue;
        const e = ctx.errors.at(i);
        if (!e) continue;
        const lines = a.joined.get(i) ?? [];
        const refused = lines.find(isRefusedConnect);
        // refused connects after a stop that no start follows are upstream-down's (§5.16 'stopped')
        if (refused && w.restarted) {
          claims.push(claim(i, base, 'same time window', refused, `${symptomOf(refused)} ← ${label}`));
          continue;
        }
        if (lines.length === 0 && w.restarted && (e.status === 502 || e.status === 503) && !covers(ctx, errorFamilyOf(e), endOf(e))) {
          claims.push(claim(i, Math.min(base, NO_LINE), 'same time window', w.signals[0], `${e.status} ← ${label}`));
        }
      }
      // a queued request that timed out while the pool was being replaced
      if (w.variant === 'reload' || w.variant === 'restart') {
        for (const i of ctx.errorsBetween(w.from, w.to + 5 * 60_000)) {
          const e = ctx.errors.at(i);
          if (!e || e.status !== 504 || used.has(i)) continue;
          const [lo, hi] = ctx.requestSpan(e);
          if (lo > w.to || hi < w.from) continue;
          const t = (a.joined.get(i) ?? []).find(isTimeoutSignal);
          if (t) claims.push(claim(i, TIMEOUT_ACROSS, 'same time window', t, `${symptomOf(t)} ← ${label}`));
        }
      }
    }
    const merged = mergeClaims(claims);
    const withClaims = a.restarts.filter((w) => merged.some((c) => {
      const e = ctx.errors.at(c.error);
      return e !== undefined && endOf(e) >= w.from - 60_000 && endOf(e) <= w.to + 5 * 60_000;
    }));
    const windows = withClaims.length > 0 ? withClaims : a.restarts;
    const variant = dominant(windows.map((w) => w.variant))?.value ?? 'reload';
    const f: Finding = {
      cause: 'fpm-restart',
      // reloads that cut nothing are routine: only worth a line when they cost requests
      confidence: findingConfidence(merged, 0.5),
      claims: merged,
      evidence: sampleEvidence(windows.flatMap((w) => w.signals), 6),
      variant,
      note: `${windows.length} FPM ${variant}${windows.length === 1 ? '' : 's'} cut requests in flight${variant === 'reload' ? '; with process_control_timeout = 0 (default) busy workers are killed within a second' : ''}.`,
      directives: [
        { file: fpmConfFile(ctx), set: 'process_control_timeout', to: '10s (at least the longest normal request)', why: 'busy workers finish before the old master goes away' },
        { file: 'deploy / logrotate scripts', set: 'systemctl restart php-fpm', to: 'systemctl reload php-fpm', why: 'a reload keeps the listening socket open' },
      ],
    };
    return [f];
  },
};
