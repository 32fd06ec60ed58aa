// nginx-worker-connections (signatures.md §5.20): an nginx worker had no free connection slot. When the
// missing slot was the upstream connection ("… while connecting to upstream") the request ends with 500
// (not 502); when it was a new client connection the client is dropped and no access line is written, so
// those failures are only visible as the alert lines themselves. "reusing connections" is a precursor.
import type { FixDirective } from '../report/schema.js';
import { sampleEvidence } from './helpers.js';
import { NGINX_MAIN, THROUGH_CLAIMS, claimScoped, dominant, scopedFinding } from './lib-web.js';
import type { Finding, Rule } from './types.js';

const CONFIDENCE = 0.9;
const STATUSES: readonly number[] = [500];
/** Dropped client connections: the alert is unambiguous, only the number of users affected is unknown. */
const DROPPED_CONFIDENCE = 0.8;

function directivesOf(current: number | undefined): FixDirective[] {
  const next = current !== undefined ? Math.max(1024, current * 4) : 4096;
  return [
    { file: NGINX_MAIN, set: 'events { worker_connections }', to: String(next), why: current !== undefined ? `now ${current}; each proxied request needs two (client + upstream)` : 'each proxied request needs two (client + upstream)' },
    { file: NGINX_MAIN, set: 'worker_rlimit_nofile', to: String(next * 2), why: 'at least 2 × worker_connections' },
    { file: NGINX_MAIN, set: 'worker_processes', to: 'auto' },
    { file: NGINX_MAIN, set: 'keepalive_timeout', to: '15s', why: 'idle keepalive clients hold slots' },
  ];
}

export const rule: Rule = {
  id: 'nginx-worker-connections',
  title: 'nginx ran out of worker connections',
  layer: 'web',
  meaning:
    'An nginx worker reached worker_connections: requests that needed a backend connection failed with 500 and new clients were dropped without an answer (and without an access-log line).',
  signals: ['N-WCONN'],
  lookAlikes: ['too-many-open-files: the file-descriptor limit (errno 24, "files are available"), not the connection setting'],
  fix: {
    summary: 'Raise worker_connections (and the file limit with it), use all CPU cores, and shorten idle keepalive so slots are freed.',
    directives: directivesOf(undefined),
  },
  diagnose(ctx) {
    const all = ctx.bySig('N-WCONN');
    const exhausted = all.filter((s) => s.keys.variant === 'exhausted');
    if (exhausted.length === 0) return [];
    const upstream = exhausted.filter((s) => s.keys.request !== undefined);
    const dropped = exhausted.filter((s) => s.keys.request === undefined);
    const { claims } = claimScoped(ctx, upstream, CONFIDENCE, { statuses: STATUSES });
    const current = Number(dominant(exhausted.map((s) => s.keys.detail)));
    const directives = directivesOf(Number.isFinite(current) ? current : undefined);
    const f: Finding | undefined =
      claims.length > 0 || dropped.length === 0
        ? scopedFinding(ctx, 'nginx-worker-connections', exhausted, claims, { directives })
        : { cause: 'nginx-worker-connections', confidence: DROPPED_CONFIDENCE, claims, evidence: sampleEvidence(exhausted), directives };
    if (!f) return [];
    f.variant = dropped.length > 0 && claims.length === 0 ? 'clients-dropped' : 'upstream-slot';
    if (dropped.length > 0 && f.confidence === THROUGH_CLAIMS) f.confidence = DROPPED_CONFIDENCE;
    const reusing = all.filter((s) => s.keys.variant === 'reusing').length;
    f.note =
      `${exhausted.length} "worker_connections are not enough" alert(s)` +
      (dropped.length > 0 ? `, ${dropped.length} of them client connections dropped without any response or access-log line` : '') +
      (upstream.length > 0 ? `, ${upstream.length} while connecting to the backend (500)` : '') +
      (reusing > 0 ? `; ${reusing} "reusing connections" warning(s) before` : '') +
      '.';
    return [f];
  },
};
