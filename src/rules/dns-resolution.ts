// dns-resolution (signatures.md §5.15): the web server could not resolve the backend's host name at request
// time (nginx "<name> could not be resolved", 502; Apache "DNS lookup failure for:", 502 up to 2.4.58,
// 500 from 2.4.59), or at startup ("host not found in upstream", nginx does not start). "no resolver
// defined" is a configuration error (webserver-config-error); PHP-side getaddrinfo failures belong to the
// dependency (database-unavailable variant dns).
import type { DiagnoseContext } from '../diagnose/context.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import {
  APACHE_VHOST,
  NGINX_SITE,
  WEB_CONFIDENCE,
  accessGapAfter,
  claimScoped,
  directivesFor,
  dominant,
  noLiveClaimsFor,
  scopedFinding,
  serverOf,
  topValues,
} from './lib-web.js';
import type { Finding, Rule } from './types.js';

const CONFIDENCE = WEB_CONFIDENCE['dns-resolution'] ?? 0.95;
const STATUSES: readonly number[] = [500, 502, 503];
/** A startup failure matters when the access log then stays silent this long (nginx did not come up). */
const STARTUP_GAP_MS = 30_000;
const STARTUP_CONFIDENCE = 0.7;

function startupFinding(ctx: DiagnoseContext, startup: readonly Signal[]): Finding | undefined {
  // a failed "nginx -s reload" keeps the old configuration serving: only a following silence means an outage
  const down = startup.filter((s) => accessGapAfter(ctx, s.time, STARTUP_GAP_MS));
  if (down.length === 0) return undefined;
  const host = down[0]?.keys.detail;
  return {
    cause: 'dns-resolution',
    confidence: STARTUP_CONFIDENCE,
    claims: [],
    evidence: sampleEvidence(down),
    variant: 'startup',
    note: `nginx could not resolve ${host ? `"${host}"` : 'an upstream host'} at startup and did not start; no requests were answered afterwards (clients got connection refused, nothing reached the access log).`,
  };
}

export const rule: Rule = {
  id: 'dns-resolution',
  title: 'Backend host name could not be resolved',
  layer: 'web',
  meaning:
    'The web server had to look up the backend\'s host name and the lookup failed (name does not exist, DNS server failure or timeout), so it could not connect at all.',
  signals: ['N-DNS', 'A-HTTP'],
  lookAlikes: [
    'webserver-config-error: "no resolver defined to resolve" (a missing resolver directive)',
    'database-unavailable variant dns: PHP could not resolve its database host',
    'upstream-down variant stale-address: the name resolved once at startup to an address that is gone',
  ],
  fix: {
    summary: 'Make the backend name resolvable where the web server runs, and let nginx re-resolve names of dynamic backends instead of resolving once at startup.',
    directives: [
      { file: NGINX_SITE, set: 'resolver', to: '127.0.0.11 valid=10s ipv6=off (Docker; the cluster DNS on Kubernetes)' },
      { file: NGINX_SITE, set: 'resolver_timeout', to: '5s' },
      { file: NGINX_SITE, set: 'upstream { server <name>:<port> resolve; }', to: 'with a shared zone (nginx ≥ 1.27.3), or a variable in proxy_pass/fastcgi_pass' },
      { file: 'docker compose (compose.yaml)', set: 'depends_on', to: 'the backend service, so the name exists before nginx starts' },
      { file: APACHE_VHOST, set: 'ProxyPass target / /etc/hosts', to: 'a name that resolves on this host' },
    ],
  },
  diagnose(ctx) {
    const all = ctx.bySig('N-DNS', 'A-HTTP').filter((s) => s.sig === 'N-DNS' || s.keys.variant === 'dns');
    const startup = all.filter((s) => s.keys.variant === 'startup');
    // resolver transport lines ("DNS error (3: …)") support the request lines; they name no request
    const scoped = all.filter((s) => s.keys.variant !== 'startup' && s.keys.variant !== 'resolver');
    const support = all.filter((s) => s.keys.variant === 'resolver');
    const noLive = noLiveClaimsFor(ctx, 'dns-resolution', CONFIDENCE);
    const findings: Finding[] = [];
    if (scoped.length > 0 || noLive.claims.length > 0) {
      const { claims } = claimScoped(ctx, scoped, CONFIDENCE, { statuses: STATUSES });
      for (const c of noLive.claims) if (!claims.some((x) => x.error === c.error)) claims.push(c);
      const variant = dominant(scoped.map((s) => (s.sig === 'A-HTTP' ? 'not-found' : s.keys.variant))) ?? 'failed';
      const f = scopedFinding(ctx, 'dns-resolution', scoped.length > 0 ? scoped : noLive.bursts.flatMap((b) => b.marking), claims, {
        variant,
        evidence: sampleEvidence([...scoped, ...support.slice(0, 2)]),
        directives: directivesFor(rule.fix.directives, serverOf(scoped)),
      });
      if (f) {
        const names = topValues(scoped.map((s) => s.keys.detail));
        f.note =
          (names.length > 0 ? `Unresolvable: ${names.map((n) => `"${n.value}" (${n.count}×)`).join(', ')}. ` : '') +
          (variant === 'timeout' || variant === 'server-failure' ? 'The DNS server failed or timed out: check the resolver address and its health.' : 'The name does not exist for the resolver in use: a container/service not running or misspelt.');
        findings.push(f);
      }
    }
    const s = startupFinding(ctx, startup);
    if (s) findings.push(s);
    return findings;
  },
};
