// webserver-config-error (signatures.md §5.26): the web server's own configuration made it answer 500 (or
// 502): rewrite/internal-redirect loops (try_files … /index.php without /index.php), no resolver for a
// variable backend, no port in upstream, zero-length proxy URI; Apache AH00124 (redirect limit), AH01144
// (no protocol handler: proxy_fcgi not loaded), AH01171 (empty balancer). Request-scoped, 0.95. Startup
// errors ("unknown directive … in /etc/nginx/…") only matter when the server then stopped answering.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import {
  APACHE_VHOST,
  NGINX_SITE,
  accessGapAfter,
  claimScoped,
  directivesFor,
  dominant,
  scopedFinding,
  serverOf,
  topValues,
} from './lib-web.js';
import type { Finding, Rule } from './types.js';

const CONFIDENCE = 0.95;
const STATUSES: readonly number[] = [500, 502, 503];
const STARTUP_GAP_MS = 30_000;
const STARTUP_CONFIDENCE = 0.7;

const NGINX_VARIANTS = new Set(['redirect-cycle', 'no-resolver', 'zero-length-uri', 'no-port']);
const APACHE_VARIANTS = new Set(['redirect-loop', 'no-handler']);

function isRequestConfigError(s: Signal): boolean {
  const v = s.keys.variant ?? '';
  if (s.sig === 'N-CONFIG') return NGINX_VARIANTS.has(v);
  if (s.sig === 'A-MISC') return APACHE_VARIANTS.has(v);
  return s.sig === 'A-BAL' && v === 'empty';
}

function directivesOf(variant: string | undefined, detail: string | undefined, server: 'nginx' | 'apache'): FixDirective[] {
  const out: FixDirective[] = [];
  switch (variant) {
    case 'redirect-cycle':
    case 'redirect-loop':
      out.push({
        file: NGINX_SITE,
        set: 'try_files',
        to: `$uri $uri/ /index.php?$args; and make sure ${detail && detail.startsWith('/') ? detail : '/index.php'} exists in the document root`,
        why: 'the fallback target itself is missing or rewrites back to itself',
      });
      out.push({ file: APACHE_VHOST, set: 'RewriteRule / FallbackResource', to: 'a target that exists and is excluded from the rewrite (RewriteCond %{REQUEST_FILENAME} !-f)', why: 'raise LimitInternalRecursion only after fixing the loop' });
      break;
    case 'no-resolver':
      out.push({ file: NGINX_SITE, set: 'resolver', to: '127.0.0.11 valid=10s (Docker) or your DNS server', why: `a variable in proxy_pass/fastcgi_pass needs a resolver${detail ? ` to look up ${detail}` : ''}` });
      break;
    case 'no-port':
      out.push({ file: NGINX_SITE, set: 'fastcgi_pass / proxy_pass', to: `${detail ?? 'host'}:<port> (or an upstream block of that name)` });
      break;
    case 'zero-length-uri':
      out.push({ file: NGINX_SITE, set: 'proxy_pass', to: 'a URI that is never empty after variable substitution' });
      break;
    case 'no-handler':
      out.push({ file: 'Apache modules (a2enmod proxy_fcgi)', set: 'LoadModule proxy_fcgi_module', to: 'modules/mod_proxy_fcgi.so', why: 'the proxy scheme has no handler loaded' });
      break;
    default:
      out.push({ file: APACHE_VHOST, set: '<Proxy balancer://…> BalancerMember', to: 'at least one member' });
  }
  return directivesFor(out, server);
}

function startupFinding(ctx: DiagnoseContext): Finding | undefined {
  const startup = ctx.bySig('N-CONFIG').filter((s) => s.keys.variant === 'startup' && (s.level === 'emerg' || s.level === undefined));
  // a failed reload keeps the old configuration serving: only a following silence means an outage
  const down = startup.filter((s) => accessGapAfter(ctx, s.time, STARTUP_GAP_MS));
  if (down.length === 0) return undefined;
  return {
    cause: 'webserver-config-error',
    confidence: STARTUP_CONFIDENCE,
    claims: [],
    evidence: sampleEvidence(down),
    variant: 'startup',
    note: `nginx refused its configuration (${down[0]?.keys.detail ?? 'see the [emerg] line'}) and no requests were answered afterwards. Test changes with "nginx -t" before reloading.`,
  };
}

export const rule: Rule = {
  id: 'webserver-config-error',
  title: 'Web server configuration error',
  layer: 'web',
  meaning:
    'The web server\'s own configuration made it fail the request: a rewrite or try_files loop, a backend given by a variable without a resolver, a missing port or protocol handler.',
  signals: ['N-CONFIG', 'A-MISC', 'A-BAL'],
  lookAlikes: ['dns-resolution: a resolver exists but the name does not resolve', 'php-fatal-error: a 500 produced by PHP, not by the web server'],
  fix: {
    summary: 'Fix the directive the error names; test with "nginx -t" / "apachectl configtest" before reloading.',
    directives: [
      { file: NGINX_SITE, set: 'try_files', to: '$uri $uri/ /index.php?$args; with an existing /index.php' },
      { file: NGINX_SITE, set: 'resolver', to: '127.0.0.11 valid=10s (when proxy_pass uses variables)' },
      { file: 'Apache modules (a2enmod proxy_fcgi)', set: 'LoadModule proxy_fcgi_module', to: 'modules/mod_proxy_fcgi.so' },
    ],
  },
  diagnose(ctx) {
    const signals = ctx.bySig('N-CONFIG', 'A-MISC', 'A-BAL').filter(isRequestConfigError);
    const findings: Finding[] = [];
    if (signals.length > 0) {
      const { claims } = claimScoped(ctx, signals, CONFIDENCE, { statuses: STATUSES });
      const variant = dominant(signals.map((s) => s.keys.variant));
      const detail = dominant(signals.filter((s) => s.keys.variant === variant).map((s) => s.keys.detail));
      const f = scopedFinding(ctx, 'webserver-config-error', signals, claims, {
        variant: variant ?? 'config',
        directives: directivesOf(variant, detail, serverOf(signals)),
      });
      if (f) {
        const hosts = topValues(signals.map((s) => s.keys.vhost), 2);
        f.note =
          (variant === 'redirect-cycle' || variant === 'redirect-loop'
            ? `Requests loop on internal redirects${detail ? ` to "${detail}"` : ''}: the fallback target is missing (e.g. a deploy without index.php) or rewrites to itself.`
            : `The configuration is incomplete${detail ? ` (${detail})` : ''}.`) + (hosts.length > 0 ? ` Affected server: ${hosts.map((h) => h.value).join(', ')}.` : '');
        findings.push(f);
      }
    }
    const s = startupFinding(ctx);
    if (s) findings.push(s);
    return findings;
  },
};
