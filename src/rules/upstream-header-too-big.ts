// upstream-header-too-big (signatures.md §5.11): the backend's response headers did not fit the proxy's
// header buffer (nginx "upstream sent too big header", 502; Apache AH10124 before AH01106, 502). Decisive
// and request-scoped.
import type { FixDirective } from '../report/schema.js';
import {
  APACHE_VHOST,
  NGINX_SITE,
  WEB_CONFIDENCE,
  claimScoped,
  noLiveClaimsFor,
  scopedFinding,
  serverOf,
  directivesFor,
  apacheHeaderTooBig,
} from './lib-web.js';
import type { Rule } from './types.js';

const CONFIDENCE = WEB_CONFIDENCE['upstream-header-too-big'] ?? 0.95;
const STATUSES: readonly number[] = [500, 502, 503];

function directivesOf(fastcgi: boolean, server: 'nginx' | 'apache'): FixDirective[] {
  const out: FixDirective[] = fastcgi
    ? [
        { file: NGINX_SITE, set: 'fastcgi_buffer_size', to: '32k', why: 'the default is one memory page (4k/8k)' },
        { file: NGINX_SITE, set: 'fastcgi_buffers', to: '16 16k' },
      ]
    : [
        { file: NGINX_SITE, set: 'proxy_buffer_size', to: '16k', why: 'the default is one memory page (4k/8k)' },
        { file: NGINX_SITE, set: 'proxy_buffers', to: '8 16k' },
        { file: NGINX_SITE, set: 'proxy_busy_buffers_size', to: '32k' },
      ];
  out.push({ file: APACHE_VHOST, set: 'ProxyPass … responsefieldsize', to: '16384', why: 'Apache 2.4.34+; the default is 8192 bytes per header line' });
  return directivesFor(out, server);
}

export const rule: Rule = {
  id: 'upstream-header-too-big',
  title: 'Backend response headers too big for the proxy buffer',
  layer: 'web',
  meaning:
    'The application sent response headers (typically many or large Set-Cookie headers, debug headers or a big Content-Security-Policy) larger than the web server\'s header buffer, so the web server answered 502 instead.',
  signals: ['N-HDR-BIG', 'A-HTTP'],
  lookAlikes: ['upstream-invalid-response: a malformed header, not a large one'],
  fix: {
    summary:
      'Trim the headers the application sends on the failing URLs (cookies, debug headers); raise the header buffer only as far as needed.',
    directives: [
      { file: NGINX_SITE, set: 'fastcgi_buffer_size', to: '32k', why: 'the default is one memory page (4k/8k)' },
      { file: NGINX_SITE, set: 'fastcgi_buffers', to: '16 16k' },
      { file: NGINX_SITE, set: 'proxy_buffer_size', to: '16k', why: 'for proxy_pass backends' },
      { file: APACHE_VHOST, set: 'ProxyPass … responsefieldsize', to: '16384' },
    ],
  },
  diagnose(ctx) {
    const nginx = ctx.bySig('N-HDR-BIG');
    const apache = apacheHeaderTooBig(ctx.bySig('A-HTTP'));
    const signals = [...nginx, ...apache].sort((a, b) => a.time - b.time);
    const noLive = noLiveClaimsFor(ctx, 'upstream-header-too-big', CONFIDENCE);
    if (signals.length === 0 && noLive.claims.length === 0) return [];
    const { claims } = claimScoped(ctx, signals, CONFIDENCE, { statuses: STATUSES });
    for (const c of noLive.claims) if (!claims.some((x) => x.error === c.error)) claims.push(c);
    const fastcgi = nginx.some((s) => s.text.includes('"fastcgi://')) || nginx.length === 0;
    const f = scopedFinding(ctx, 'upstream-header-too-big', signals.length > 0 ? signals : noLive.bursts.flatMap((b) => b.marking), claims, {
      variant: apache.length > nginx.length ? 'apache-responsefieldsize' : fastcgi ? 'fastcgi-buffer' : 'proxy-buffer',
      directives: directivesOf(fastcgi, serverOf(signals)),
    });
    if (!f) return [];
    const limit = apache.find((s) => s.keys.bytes !== undefined)?.keys.bytes;
    f.note =
      limit !== undefined
        ? `A single header line exceeded ${limit} bytes.`
        : 'Find the URLs in the report and check their response headers (curl -sI); the header block exceeded the buffer.';
    return [f];
  },
};
