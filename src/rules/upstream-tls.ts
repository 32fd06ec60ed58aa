// upstream-tls (signatures.md §5.14): the TLS handshake with an HTTPS backend failed: expired or untrusted
// certificate, name mismatch, protocol/cipher mismatch, or the backend closed the handshake. nginx 502
// (504 when the handshake timed out), Apache "Error during SSL Handshake with remote server" 500.
// A certificate expiry breaks every request from one moment on: the onset is reported.
import type { Signal } from '../signals/types.js';
import { sampleEvidence } from './helpers.js';
import {
  APACHE_VHOST,
  NGINX_SITE,
  WEB_CONFIDENCE,
  claimScoped,
  directivesFor,
  dominant,
  noLiveClaimsFor,
  scopedFinding,
  serverOf,
} from './lib-web.js';
import type { Rule } from './types.js';

const CONFIDENCE = WEB_CONFIDENCE['upstream-tls'] ?? 0.95;
const STATUSES: readonly number[] = [500, 502, 503, 504];

/** expired | name-mismatch | untrusted | protocol | peer-closed | handshake, from the line's text. */
function variantOf(s: Signal): string {
  const t = `${s.keys.detail ?? ''} ${s.sig === 'A-SSLPROXY' ? s.keys.variant ?? '' : ''} ${s.text}`.toLowerCase();
  if (/expired/.test(t)) return 'expired';
  if (/does not match|mismatch|hostname/.test(t) || s.keys.variant === 'name-mismatch') return 'name-mismatch';
  if (/self.signed|unable to get local issuer|unable to verify|verify failed|certificate verify|untrusted/.test(t)) return 'untrusted';
  if (/wrong version number|unsupported protocol|no protocols available|handshake failure|no shared cipher|alert protocol version/.test(t)) return 'protocol';
  if (s.keys.variant === 'peer-closed') return 'peer-closed';
  return 'handshake';
}

const NOTES: Readonly<Record<string, string>> = {
  expired: 'The backend certificate has expired: renew it (every request fails from the expiry on).',
  'name-mismatch': 'The backend certificate does not name the host the proxy asks for: send SNI / set the expected name, or fix the certificate.',
  untrusted: 'The proxy does not trust the backend certificate chain: install the intermediate certificates on the backend or give the proxy the right CA.',
  protocol: 'The proxy and the backend share no TLS version or cipher (or the backend does not speak TLS on that port).',
  'peer-closed': 'The backend closed the connection during the handshake: often SNI is required and not sent, or the port is not TLS.',
};

export const rule: Rule = {
  id: 'upstream-tls',
  title: 'TLS handshake with the backend failed',
  layer: 'web',
  meaning:
    'The web server could not establish TLS to an HTTPS backend: its certificate expired, is not trusted, names another host, or the two sides share no protocol.',
  signals: ['N-TLS', 'A-HTTP', 'A-SSLPROXY'],
  lookAlikes: ['client-side TLS errors (SSL handshaking with a client) are noise', 'upstream-timeout: a handshake that timed out (504) without a TLS error'],
  fix: {
    summary: 'Renew or fix the backend certificate chain and make the proxy verify it with the right name and CA; disable verification only as a temporary workaround.',
    directives: [
      { file: NGINX_SITE, set: 'proxy_ssl_server_name', to: 'on', why: 'send SNI' },
      { file: NGINX_SITE, set: 'proxy_ssl_name', to: '<backend host name on the certificate>' },
      { file: NGINX_SITE, set: 'proxy_ssl_trusted_certificate', to: '/etc/ssl/certs/ca-certificates.crt (with proxy_ssl_verify on)' },
      { file: NGINX_SITE, set: 'proxy_ssl_protocols', to: 'TLSv1.2 TLSv1.3' },
      { file: APACHE_VHOST, set: 'SSLProxyEngine / SSLProxyCACertificateFile', to: 'on / the CA bundle' },
      { file: APACHE_VHOST, set: 'SSLProxyCheckPeerName', to: 'on (off only temporarily)' },
    ],
  },
  diagnose(ctx) {
    const scopedSigs = ctx
      .bySig('N-TLS', 'A-HTTP')
      .filter((s) => (s.sig === 'N-TLS' ? s.keys.variant !== 'client' : s.keys.variant === 'tls'));
    // AH02003…AH02039 name the certificate problem but not the client: support, not joins
    const support = ctx.bySig('A-SSLPROXY');
    const noLive = noLiveClaimsFor(ctx, 'upstream-tls', CONFIDENCE);
    if (scopedSigs.length === 0 && noLive.claims.length === 0) return [];
    const { claims } = claimScoped(ctx, scopedSigs, CONFIDENCE, { statuses: STATUSES });
    for (const c of noLive.claims) if (!claims.some((x) => x.error === c.error)) claims.push(c);
    const all = [...scopedSigs, ...support];
    const variant = dominant([...support, ...scopedSigs].map(variantOf).filter((v) => v !== 'handshake')) ?? 'handshake';
    const f = scopedFinding(ctx, 'upstream-tls', scopedSigs.length > 0 ? scopedSigs : noLive.bursts.flatMap((b) => b.marking), claims, {
      variant,
      evidence: sampleEvidence([...scopedSigs.slice(0, 3), ...support.slice(0, 2)]),
      directives: directivesFor(rule.fix.directives, serverOf(all)),
    });
    if (!f) return [];
    f.note = NOTES[variant] ?? 'Check the backend with: openssl s_client -connect <backend>:443 -servername <name>.';
    return [f];
  },
};
