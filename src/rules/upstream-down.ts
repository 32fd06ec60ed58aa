// upstream-down (signatures.md §5.16): the backend was not accepting connections: refused (111), socket
// file missing (2), unreachable (113/101/112), reset while connecting (104). nginx answers 502, Apache
// mod_proxy_fcgi 503 (AH00957/AH02454 with the errno + AH01079 with the client).
//
// The same 111/2 burst is explained better by an FPM restart window or an OOM kill of the FPM master:
// those rules claim the same 5xx at equal or higher confidence and come first in the registry, so this
// rule keeps the §5.16 level (0.9) and does not try to reason about restart windows itself.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { SLACK_MS, sampleEvidence } from './helpers.js';
import {
  APACHE_VHOST,
  DOWN_ERRNOS,
  NGINX_SITE,
  THROUGH_CLAIMS,
  WEB_CONFIDENCE,
  RequestJoiner,
  claimScoped,
  connectFailures,
  dominant,
  fpmServiceOf,
  noLiveClaimsFor,
  poolFileOf,
  scopedFinding,
  serverOf,
  shortText,
  directivesFor,
  type ConnectFailure,
} from './lib-web.js';
import type { Claim, Finding, Rule } from './types.js';
import { maxOf, minOf } from '../numbers.js';

const CONFIDENCE = WEB_CONFIDENCE['upstream-down'] ?? 0.9;
/** AH01079 whose AH00957/AH02454 partner was not found: a connect failed, the reason was not logged. */
const UNKNOWN_ERRNO_CONFIDENCE = 0.6;
const STATUSES: readonly number[] = [502, 503];
/** How long before a burst an FPM startup failure still explains it. */
const STARTUP_LOOKBACK_MS = 5 * 60_000;
const STARTUP_FAILURES = new Set(['bind-failed', 'init-failed', 'child-init-failed', 'duplicate']);

interface VariantInfo {
  variant: string;
  note?: string;
  lifecycle: Signal[];
}

function seconds(ms: number): string {
  return ms < 120_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`;
}

/** Which kind of "down" it was, from the FPM lifecycle lines around the burst and the dominant errno. */
function variantOf(ctx: DiagnoseContext, fails: readonly ConnectFailure[], from: number, to: number): VariantInfo {
  const dom = dominant(fails.map((f) => f.errno));
  const fastcgi = fails.some((f) => f.fastcgi);
  const span = seconds(to - from);
  if (fastcgi && ctx.has('php-fpm')) {
    const life = ctx.bySig('F-LIFECYCLE');
    const startup = life.filter((s) => STARTUP_FAILURES.has(s.keys.variant ?? '') && s.time >= from - STARTUP_LOOKBACK_MS && s.time <= to);
    if (startup.length > 0) {
      return { variant: 'startup-failed', lifecycle: startup, note: `PHP-FPM failed to start (${startup[0]?.keys.variant ?? 'error'}); its log line says why.` };
    }
    const starts = life.filter((s) => s.keys.phase === 'start' && s.keys.pid !== undefined && s.time >= from && s.time <= to);
    if (starts.length >= 3) {
      return { variant: 'crash-loop', lifecycle: starts, note: `PHP-FPM started ${starts.length} times while connections failed: it keeps dying right after start.` };
    }
    let lastStop: Signal | undefined;
    for (const s of life) if ((s.keys.phase === 'stop' || s.keys.phase === 'exit') && s.time <= from + SLACK_MS) lastStop = s;
    if (lastStop) {
      const stop = lastStop;
      const restarted = life.some((s) => (s.keys.phase === 'start' || s.keys.phase === 'ready') && s.time > stop.time && s.time <= to + SLACK_MS);
      if (!restarted) {
        return {
          variant: 'stopped',
          lifecycle: life.filter((s) => (s.keys.phase === 'stop' || s.keys.phase === 'exit') && s.time >= stop.time - 60_000 && s.time <= stop.time),
          note: `PHP-FPM stopped (its log: "${stop.keys.phase === 'exit' ? 'exiting, bye-bye!' : 'Terminating/Finishing ...'}") and was not started again; connections failed for ${span}.`,
        };
      }
    }
  }
  if (dom === 113 || dom === 101 || dom === 112) {
    return { variant: 'stale-address', lifecycle: [], note: `The backend address was unreachable for ${span}: typical when a container got a new IP and the web server still uses the one it resolved at startup.` };
  }
  if (dom === 2) {
    return { variant: 'socket-missing', lifecycle: [], note: `The socket file did not exist for ${span}: the service is stopped or the path does not match its listen setting.` };
  }
  return { variant: dom === undefined ? 'connect-failed' : 'refused', lifecycle: [], note: `Connections were refused for ${span}: nothing was listening on that address.` };
}

function directivesOf(variant: string, upstreamKey: string | undefined, fastcgi: boolean, server: 'nginx' | 'apache'): FixDirective[] {
  const service = fpmServiceOf(upstreamKey);
  const sock = upstreamKey?.startsWith('unix:') ? upstreamKey.slice(5) : undefined;
  const out: FixDirective[] = [];
  if (variant === 'stale-address') {
    out.push({ file: NGINX_SITE, set: 'resolver', to: '127.0.0.11 valid=10s ipv6=off (Docker; or the cluster DNS)', why: 're-resolve backend names instead of keeping the startup address' });
    out.push({ file: NGINX_SITE, set: 'proxy_pass / fastcgi_pass', to: 'a variable ($backend) so the name is resolved at request time' });
    return out;
  }
  if (fastcgi) {
    out.push({
      file: `systemd unit (systemctl edit ${service})`,
      set: '[Service] Restart',
      to: 'on-failure',
      why: `bring FPM back automatically; run "systemctl enable --now ${service}" and read its log for why it stopped`,
    });
    if (variant === 'socket-missing' || sock) {
      out.push({ file: poolFileOf(upstreamKey), set: 'listen', to: sock ?? '/run/php/php-fpm.sock', why: 'the address the web server connects to must be exactly the pool\'s listen' });
      out.push({ file: NGINX_SITE, set: 'fastcgi_pass', to: `unix:${sock ?? '/run/php/php-fpm.sock'}`, why: 'after a PHP upgrade the socket name changes (php7.4-fpm.sock → php8.2-fpm.sock)' });
      out.push({ file: APACHE_VHOST, set: 'SetHandler', to: `"proxy:unix:${sock ?? '/run/php/php-fpm.sock'}|fcgi://localhost"` });
    } else {
      out.push({ file: poolFileOf(upstreamKey), set: 'listen', to: upstreamKey ?? '127.0.0.1:9000', why: 'in Docker use "9000" (all interfaces) so the web container can reach it' });
    }
    if (variant === 'socket-missing') out.push({ file: `systemd unit (systemctl edit ${service})`, set: '[Service] RuntimeDirectory', to: 'php', why: '/run/php must exist at start' });
  } else {
    out.push({ file: NGINX_SITE, set: 'upstream { server … }', to: `${upstreamKey ?? 'host:port'} max_fails=3 fail_timeout=10s; plus a backup server`, why: 'start the backend service and keep a fallback' });
  }
  out.push({ file: APACHE_VHOST, set: 'ProxyPass … retry', to: '0', why: 'a defined worker is otherwise locked out for 60 s after one failed connect' });
  return directivesFor(out, server);
}

export const rule: Rule = {
  id: 'upstream-down',
  title: 'Backend not accepting connections',
  layer: 'fpm',
  meaning:
    'The web server could not connect to the backend at all: the connection was refused, the socket file was missing or the address was unreachable. PHP-FPM (or the app server) was stopped, crashed, never started or listens somewhere else.',
  signals: ['N-CONNECT', 'A-CONNECT', 'F-LIFECYCLE', 'N-NOLIVE'],
  lookAlikes: [
    'fpm-restart: the same refused/missing-socket burst inside a reload or restart window',
    'oom-killer (variant master): the FPM master was OOM-killed',
    'fpm-pool-exhausted: errno 11 (busy, not down)',
    'socket-permission: errno 13',
    'ephemeral-port-exhaustion: errno 99',
  ],
  fix: {
    summary:
      'Start the backend and find out why it stopped (its own log); make the web server connect to exactly the address the backend listens on; let systemd restart it on failure.',
    directives: [
      { file: 'systemd unit (systemctl edit php8.2-fpm)', set: '[Service] Restart', to: 'on-failure', why: 'run "systemctl enable --now php8.2-fpm" and read its log for why it stopped' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'listen', to: '/run/php/php8.2-fpm.sock', why: 'must match fastcgi_pass / SetHandler exactly' },
      { file: NGINX_SITE, set: 'fastcgi_pass', to: 'unix:/run/php/php8.2-fpm.sock' },
      { file: APACHE_VHOST, set: 'ProxyPass … retry', to: '0', why: 'avoid a 60 s lockout after a short outage' },
    ],
  },
  diagnose(ctx) {
    const fails = connectFailures(ctx).filter((f) => (f.errno === undefined ? f.requestScoped && f.signal.family === 'apache-error' : DOWN_ERRNOS.has(f.errno)));
    const noLive = noLiveClaimsFor(ctx, 'upstream-down', CONFIDENCE);
    // one finding per backend set: servers one request tried in turn (same nginx connection) or that one
    // no-live burst refused together are one group of an upstream block, hence one outage and one row
    const parent = new Map<string, string>();
    const find = (k: string): string => {
      let r = k;
      while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r) ?? r;
      parent.set(k, r);
      return r;
    };
    const union = (a: string, b: string): void => {
      const ra = find(a), rb = find(b);
      if (ra !== rb) parent.set(rb, ra);
    };
    const keyOf = (f: ConnectFailure): string => f.upstreamKey ?? '?';
    const byConn = new Map<string, string>();
    for (const f of fails) {
      find(keyOf(f));
      const c = f.signal.keys.connection;
      if (c === undefined) continue;
      const ck = `${f.signal.host ?? ''}#${c}#${f.signal.keys.request ?? ''}#${Math.round(f.signal.time / 10_000)}`;
      const prev = byConn.get(ck);
      if (prev !== undefined) union(prev, keyOf(f));
      else byConn.set(ck, keyOf(f));
    }
    for (const b of noLive.bursts) {
      const keys = fails.filter((f) => b.marking.includes(f.errnoSignal) || b.marking.includes(f.signal)).map(keyOf);
      for (const k of keys.slice(1)) union(keys[0] ?? k, k);
    }
    const byUpstream = new Map<string, ConnectFailure[]>();
    for (const f of fails) {
      const k = find(keyOf(f));
      let l = byUpstream.get(k);
      if (!l) byUpstream.set(k, (l = []));
      l.push(f);
    }
    const joiner = new RequestJoiner(ctx);
    const findings: Finding[] = [];
    for (const list of byUpstream.values()) {
      const scoped = list.filter((f) => f.requestScoped).map((f) => f.signal);
      const errnoOf = new Map<Signal, number | undefined>(list.map((f) => [f.signal, f.errno]));
      const { claims } = claimScoped(ctx, scoped, (s) => (errnoOf.get(s) === undefined ? UNKNOWN_ERRNO_CONFIDENCE : CONFIDENCE), {
        statuses: STATUSES,
        joiner,
        via: (s) => {
          const f = list.find((x) => x.signal === s);
          // Apache: the request line (AH01079) only says "failed"; the paired AH00957/AH02454 says why
          return f && f.errnoSignal !== f.signal ? `failed to make connection to backend ← ${shortText(f.errnoSignal)}` : undefined;
        },
      });
      // the no-live refusals its failures caused (§5.13) belong to the upstream whose failures marked them
      const mine: Claim[] = [];
      for (const b of noLive.bursts) {
        if (!b.marking.some((m) => list.some((f) => f.errnoSignal === m || f.signal === m))) continue;
        for (const c of noLive.claims) if (b.joins.some((j) => j.evidence === c.evidence && j.error === c.error)) mine.push(c);
      }
      const allClaims = [...claims, ...mine.filter((c) => !claims.some((x) => x.error === c.error))];
      const times = list.map((f) => f.signal.time).filter((t) => t === t);
      const from = minOf(times);
      const to = maxOf(times);
      const info = variantOf(ctx, list, from, to);
      const signals = [...new Set(list.flatMap((f) => [f.signal, f.errnoSignal]))];
      const server = serverOf(signals);
      const fastcgi = list.some((f) => f.fastcgi);
      const keys = [...new Set(list.map(keyOf))].filter((k) => k !== '?');
      const upstream = keys.length === 1 ? keys[0] : undefined;
      const f = scopedFinding(ctx, 'upstream-down', signals, allClaims, {
        variant: info.variant,
        directives: directivesOf(info.variant, upstream, fastcgi, server),
        evidence: sampleEvidence([...info.lifecycle.slice(0, 2), ...list.map((x) => x.errnoSignal)]),
        upstreams: keys.slice(0, 10),
      });
      if (!f) continue;
      if (info.note) f.note = info.note;
      if (fastcgi && !ctx.has('php-fpm')) f.missingSources = [...(f.missingSources ?? []), 'PHP-FPM log'];
      findings.push(f);
    }
    // no-live bursts whose marking failures fell outside every group above (e.g. only AH00959 kept)
    const claimed = new Set(findings.flatMap((f) => f.claims.map((c) => c.error)));
    const rest = noLive.claims.filter((c) => !claimed.has(c.error));
    if (rest.length > 0) {
      findings.push({
        cause: 'upstream-down',
        confidence: THROUGH_CLAIMS,
        claims: rest,
        evidence: sampleEvidence(noLive.bursts.flatMap((b) => b.marking)),
        variant: 'refused',
        note: 'The servers were marked failed after refused connections; later requests got "no live upstreams".',
      });
    }
    return findings;
  },
};
