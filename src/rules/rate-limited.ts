// rate-limited (signatures.md §5.29): nginx limit_req / limit_conn rejected the request (503 by default,
// limit_req_status/limit_conn_status otherwise; 429 is not a 5xx and is not counted). Dry-run lines reject
// nothing and "delaying request" only slows it down: neither claims. Request-scoped, 0.95.
import type { ErrorRequest } from '../digest/digest.js';
import { NGINX_SITE, claimScoped, scopedFinding, topValues } from './lib-web.js';
import type { Rule } from './types.js';

const CONFIDENCE = 0.95;
/**
 * limit_*_status accepts any 4xx/5xx (503 by default); 502/504 are what a failing backend gives, never a
 * sensible limit status, so a limiting line is not joined to them.
 */
const STATUSES: readonly number[] = Array.from({ length: 100 }, (_, i) => 500 + i).filter((s) => s !== 502 && s !== 504);
const REJECTING = new Set(['req', 'conn']);

export const rule: Rule = {
  id: 'rate-limited',
  title: 'Rejected by rate limiting',
  layer: 'web',
  meaning: 'nginx\'s limit_req or limit_conn rejected requests that exceeded the configured rate or connection count; by default it answers 503, which looks like an outage.',
  signals: ['N-LIMIT'],
  lookAlikes: ['dry-run and "delaying request" lines reject nothing', 'backend-5xx: a 503 from the application (maintenance mode)', 'fpm-pool-exhausted: 503 from Apache when FPM is busy'],
  fix: {
    summary: 'If the limited clients are legitimate, raise the rate or allow a burst and exempt internal/health-check traffic; answer 429 so limits are not mistaken for outages. If they are bots, keep the limit.',
    directives: [
      { file: NGINX_SITE, set: 'limit_req_status', to: '429', why: 'a limit is not an outage' },
      { file: NGINX_SITE, set: 'limit_req zone=… burst', to: '20 nodelay', why: 'absorb short bursts of legitimate clients' },
      { file: NGINX_SITE, set: 'geo / map (limit key)', to: '"" for health checks and internal IPs', why: 'an empty key is not limited' },
    ],
  },
  diagnose(ctx) {
    const signals = ctx.bySig('N-LIMIT').filter((s) => REJECTING.has(s.keys.variant ?? ''));
    if (signals.length === 0) return [];
    const { claims } = claimScoped(ctx, signals, CONFIDENCE, { statuses: STATUSES });
    const zones = topValues(signals.map((s) => s.keys.detail));
    const joined = claims.map((c) => ctx.errors.at(c.error)).filter((e): e is ErrorRequest => e !== undefined);
    const clients = topValues(joined.length > 0 ? joined.map((e) => e.client) : signals.map((s) => s.keys.client));
    const agents = topValues(joined.map((e) => e.userAgent), 2);
    const isConn = signals.filter((s) => s.keys.variant === 'conn').length > signals.length / 2;
    const f = scopedFinding(ctx, 'rate-limited', signals, claims, {
      variant: isConn ? 'limit-conn' : 'limit-req',
      culprits: zones.map((z) => ({ kind: 'limit-zone', name: z.value, count: z.count })),
    });
    if (!f) return [];
    if (isConn) {
      f.directives = [
        { file: NGINX_SITE, set: 'limit_conn_status', to: '429' },
        { file: NGINX_SITE, set: `limit_conn ${zones[0]?.value ?? '<zone>'}`, to: 'a higher number if the clients are legitimate' },
      ];
    } else if (zones[0]) {
      f.directives = rule.fix.directives.map((d) => (d.set.startsWith('limit_req zone') ? { ...d, set: `limit_req zone=${zones[0]?.value ?? ''} burst` } : d));
    }
    f.note =
      `Zone${zones.length > 1 ? 's' : ''} ${zones.map((z) => `"${z.value}" (${z.count}×)`).join(', ')}` +
      (clients.length > 0 ? `; top clients ${clients.map((c) => `${c.value} (${c.count})`).join(', ')}` : '') +
      (agents.length > 0 ? `; user agents ${agents.map((a) => `"${a.value}" (${a.count})`).join(', ')}` : '') +
      '.';
    return [f];
  },
};
