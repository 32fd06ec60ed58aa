// upstream-invalid-response (signatures.md §5.12): the backend answered something the proxy could not
// parse: the wrong protocol (fastcgi_pass to an HTTP port, proxy_pass to FPM), a malformed header or
// Status line from the application, an empty FastCGI stdout, or conflicting framing headers. Decisive and
// request-scoped (W-REQ, 0.95).
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import {
  APACHE_VHOST,
  NGINX_SITE,
  apacheHeaderTooBig,
  followsHeaderTooBig,
  WEB_CONFIDENCE,
  claimScoped,
  directivesFor,
  dominant,
  noLiveClaimsFor,
  scopedFinding,
  serverOf,
} from './lib-web.js';
import type { Rule } from './types.js';

const CONFIDENCE = WEB_CONFIDENCE['upstream-invalid-response'] ?? 0.95;
/**
 * An empty FastCGI stdout is also what a worker that died mid-request can leave: the crash rules join the
 * same 502 through the FPM log at 0.9 and should win when they have that evidence.
 */
const EMPTY_STDOUT_CONFIDENCE = 0.85;
const STATUSES: readonly number[] = [500, 502, 503];

/** variant of one signal (§5.12 Variants), or undefined when the line is not an invalid response. */
function variantOf(s: Signal): string | undefined {
  const v = s.keys.variant ?? '';
  switch (s.sig) {
    case 'N-INVALID':
      if (v === 'invalid-header' || v === 'invalid-status') return 'bad-header';
      if (v === 'not-http' || v === 'not-fastcgi' || v === 'fastcgi-protocol') return 'protocol-mismatch';
      if (v.endsWith('-closed')) return 'empty-stdout';
      return 'framing';
    case 'A-FCGI':
      if (v !== 'invalid') return undefined;
      return s.text.includes('AH01070') ? 'bad-header' : 'protocol-mismatch';
    case 'A-HTTP':
      if (v !== 'invalid') return undefined;
      return /Corrupt status line|AH01106/.test(s.text) ? 'protocol-mismatch' : 'framing';
    case 'A-MISC':
      return v === 'invalid-header-name' || v === 'bad-script-header' ? 'bad-header' : undefined;
    default:
      return undefined;
  }
}

function directivesOf(variant: string | undefined, upstreams: readonly string[], server: 'nginx' | 'apache'): FixDirective[] {
  const target = upstreams[0] ?? '127.0.0.1:9000';
  const out: FixDirective[] = [];
  if (variant === 'protocol-mismatch') {
    out.push({ file: NGINX_SITE, set: 'fastcgi_pass / proxy_pass', to: `fastcgi_pass for PHP-FPM, proxy_pass for HTTP apps (check what listens on ${target})`, why: 'the backend speaks the other protocol' });
    out.push({ file: APACHE_VHOST, set: 'ProxyPass / SetHandler scheme', to: 'fcgi:// for PHP-FPM, http:// for HTTP apps' });
  } else if (variant === 'bad-header') {
    out.push({ file: 'application code', set: 'header() / Status: lines', to: 'valid header names and a numeric "Status: 503" form', why: 'the app sent a header the proxy rejects' });
  } else if (variant === 'empty-stdout') {
    out.push({ file: 'php.ini / pool (php_admin_value)', set: 'log_errors', to: 'On', why: 'PHP ended without output: its error log says why' });
  } else {
    out.push({ file: 'application / backend server', set: 'Content-Length and Transfer-Encoding', to: 'send one of them, never both', why: 'conflicting framing headers' });
  }
  return directivesFor(out, server);
}

export const rule: Rule = {
  id: 'upstream-invalid-response',
  title: 'Backend sent an invalid response',
  layer: 'web',
  meaning:
    'The backend\'s answer could not be parsed: it speaks a different protocol than configured (FastCGI vs HTTP), the application sent a malformed header or Status line, or PHP ended without sending anything.',
  signals: ['N-INVALID', 'A-FCGI', 'A-HTTP', 'A-MISC'],
  lookAlikes: [
    'upstream-header-too-big: the header was too large, not malformed (AH10124 before AH01106)',
    'upstream-reset: the connection closed without a response',
    'fpm-worker-crash: a worker that died can leave an empty FastCGI stdout',
  ],
  fix: {
    summary: 'Point the web server at the backend with the right protocol (fastcgi_pass for PHP-FPM, proxy_pass for HTTP) and fix application code that sends invalid headers.',
    directives: [
      { file: NGINX_SITE, set: 'fastcgi_pass / proxy_pass', to: 'fastcgi_pass for PHP-FPM (e.g. port 9000), proxy_pass for HTTP apps (e.g. 8080)' },
      { file: 'application code', set: 'header()', to: 'valid names and values; "Status: 503 Service Unavailable"' },
    ],
  },
  diagnose(ctx) {
    const big = apacheHeaderTooBig(ctx.bySig('A-HTTP'));
    const signals = ctx
      .bySig('N-INVALID', 'A-FCGI', 'A-HTTP', 'A-MISC')
      .filter((s) => variantOf(s) !== undefined && !(s.sig === 'A-HTTP' && followsHeaderTooBig(s, big)));
    const noLive = noLiveClaimsFor(ctx, 'upstream-invalid-response', CONFIDENCE);
    if (signals.length === 0 && noLive.claims.length === 0) return [];
    const { claims } = claimScoped(ctx, signals, (s) => (variantOf(s) === 'empty-stdout' ? EMPTY_STDOUT_CONFIDENCE : CONFIDENCE), { statuses: STATUSES });
    for (const c of noLive.claims) if (!claims.some((x) => x.error === c.error)) claims.push(c);
    const variant = dominant(signals.map(variantOf));
    const ups = [...new Set(signals.map((s) => s.keys.upstreamKey).filter((u): u is string => !!u))];
    const f = scopedFinding(ctx, 'upstream-invalid-response', signals.length > 0 ? signals : noLive.bursts.flatMap((b) => b.marking), claims, {
      variant: variant ?? 'protocol-mismatch',
      directives: directivesOf(variant, ups, serverOf(signals)),
    });
    if (!f) return [];
    const fcgiVersion = signals.find((s) => s.keys.variant === 'not-fastcgi')?.keys.detail;
    if (variant === 'protocol-mismatch') {
      f.note =
        (fcgiVersion === '72'
          ? `The backend${ups[0] ? ` ${ups[0]}` : ''} answered in HTTP ("protocol version 72" is the "H" of "HTTP/1.1") where FastCGI was expected.`
          : `The backend${ups[0] ? ` ${ups[0]}` : ''} does not speak the protocol the web server uses for it.`) +
        ' Every request to it fails from the configuration change on.';
    } else if (variant === 'bad-header') {
      const detail = signals.find((s) => variantOf(s) === 'bad-header' && s.keys.detail)?.keys.detail;
      f.note = detail ? `Offending header or status: ${detail}.` : 'The application sent a header or Status line the proxy rejects.';
    } else if (variant === 'empty-stdout') {
      f.note = 'PHP ended the request without sending any output; check the PHP error log for that moment.';
    }
    return [f];
  },
};
