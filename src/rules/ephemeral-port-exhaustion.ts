// ephemeral-port-exhaustion (signatures.md §5.18): connect() to a TCP backend failed with errno 99
// (Cannot assign requested address): no local port was free, usually thousands of sockets in TIME_WAIT
// because every request opens a new connection to the backend. Kernel "time wait bucket table overflow"
// supports it.
import { sampleEvidence } from './helpers.js';
import {
  APACHE_VHOST,
  NGINX_SITE,
  WEB_CONFIDENCE,
  claimScoped,
  connectFailures,
  directivesFor,
  isFastcgiSignal,
  noLiveClaimsFor,
  scopedFinding,
  serverOf,
} from './lib-web.js';
import type { Rule } from './types.js';

const CONFIDENCE = WEB_CONFIDENCE['ephemeral-port-exhaustion'] ?? 0.9;
const STATUSES: readonly number[] = [502, 503];
/** Kernel TIME_WAIT overflow lines count as support within this distance of the failures. */
const KERNEL_WINDOW_MS = 60_000;

export const rule: Rule = {
  id: 'ephemeral-port-exhaustion',
  title: 'No local port left for backend connections',
  layer: 'os',
  meaning:
    'The web server opens a new TCP connection to the backend for every request and the closed ones linger in TIME_WAIT; under load no local (ephemeral) port was left, so connect() failed with "Cannot assign requested address".',
  signals: ['N-CONNECT', 'A-CONNECT', 'K-OTHER'],
  lookAlikes: ['upstream-down: errno 111 (refused), not 99', 'fpm-pool-exhausted over TCP: connect timeouts and SYN-flood warnings, not errno 99'],
  fix: {
    summary: 'Reuse backend connections (keepalive) or use a unix socket for a local PHP-FPM; widen the local port range.',
    directives: [
      { file: NGINX_SITE, set: 'upstream { … keepalive }', to: '32 (with fastcgi_keep_conn on; or proxy_http_version 1.1; proxy_set_header Connection "";)', why: 'reuse connections instead of one per request' },
      { file: NGINX_SITE, set: 'fastcgi_pass', to: 'unix:/run/php/php8.2-fpm.sock', why: 'a local FPM needs no TCP ports at all' },
      { file: 'sysctl (/etc/sysctl.d/99-ports.conf)', set: 'net.ipv4.ip_local_port_range', to: '1024 65000' },
      { file: 'sysctl (/etc/sysctl.d/99-ports.conf)', set: 'net.ipv4.tcp_tw_reuse', to: '1' },
      { file: APACHE_VHOST, set: 'ProxyPass … keepalive / enablereuse', to: 'On', why: 'mod_proxy_fcgi reuses backend connections only with enablereuse=on' },
    ],
  },
  diagnose(ctx) {
    const fails = connectFailures(ctx).filter((f) => f.errno === 99);
    const noLive = noLiveClaimsFor(ctx, 'ephemeral-port-exhaustion', CONFIDENCE);
    if (fails.length === 0 && noLive.claims.length === 0) return [];
    const { claims } = claimScoped(
      ctx,
      fails.filter((f) => f.requestScoped).map((f) => f.signal),
      CONFIDENCE,
      { statuses: STATUSES },
    );
    for (const c of noLive.claims) if (!claims.some((x) => x.error === c.error)) claims.push(c);
    const signals = [...new Set(fails.flatMap((f) => [f.signal, f.errnoSignal]))];
    const kernel = ctx
      .bySig('K-OTHER')
      .filter((k) => k.keys.variant === 'tw-overflow' && signals.some((s) => Math.abs(s.time - k.time) <= KERNEL_WINDOW_MS));
    // peak failures per second: how hard the port range was hit
    const perSec = new Map<number, number>();
    for (const s of signals) perSec.set(Math.floor(s.time / 1000), (perSec.get(Math.floor(s.time / 1000)) ?? 0) + 1);
    const peak = Math.max(0, ...perSec.values());
    const fastcgi = fails.some((f) => isFastcgiSignal(f.errnoSignal));
    const server = serverOf(signals);
    const f = scopedFinding(ctx, 'ephemeral-port-exhaustion', signals.length > 0 ? signals : noLive.bursts.flatMap((b) => b.marking), claims, {
      variant: fastcgi ? 'fastcgi-tcp' : 'http-tcp',
      evidence: sampleEvidence([...kernel.slice(0, 1), ...signals]),
      directives: directivesFor(rule.fix.directives.filter((d) => fastcgi || !d.set.startsWith('fastcgi_pass')), server),
    });
    if (!f) return [];
    f.note =
      `Up to ${peak} connect failures per second with errno 99` +
      (kernel.length > 0 ? '; the kernel also reported "time wait bucket table overflow".' : '.') +
      ' Check with "ss -tan state time-wait | wc -l".';
    return [f];
  },
};
