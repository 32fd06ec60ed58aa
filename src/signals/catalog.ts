// The signature table (signatures.md Part 3): one row per message shape, reviewed like a Sigma rule.
//
// Conventions
// - `match` runs on EventRecord.message as the parsers leave it (see the per-family notes in
//   formats/types.ts): nginx messages keep '(111: Connection refused)' and lose the context; Apache
//   messages start with the AH code and lose the '(111)Connection refused: ' status (record.errno).
// - Rows are tried in order inside a family and the first match wins, so specific rows come first.
// - P- (PHP) and D- (dependency) rows are not run on a container's message but on each PHP message the
//   classifier cuts out of it (FastCGI stderr, AH01071, FPM worker output, mod_php, the PHP error log).
// - `sample` is a whole line in the format of the row's first family (a slow-log entry spans lines).
// - Every regex is anchored or starts with a literal, and every unbounded part is bounded: lines are
//   attacker-controlled and up to 64 KB, and includes(literal) only keeps the regex away from most lines.
import type { EventRecord } from '../formats/types.js';
import type { Signature, SignalKeys } from './types.js';
import { connectVariant, ioVariant, linuxErrno, signalName } from './errno.js';
import { culpritOfFrames } from './culprit.js';
import { dependencyClassOf, dependencyOf } from './dependency.js';

type Family = EventRecord['family'];

const NGX: readonly Family[] = ['nginx-error'];
const APACHE: readonly Family[] = ['apache-error'];
const FPM: readonly Family[] = ['php-fpm'];
const SLOW: readonly Family[] = ['php-fpm-slow'];
const KERNEL: readonly Family[] = ['kernel'];
/** PHP messages and dependency texts: the error-log file first (the samples' format), then containers. */
const PHP: readonly Family[] = ['php-error', 'nginx-error', 'apache-error', 'php-fpm'];

/** Detail texts are for display and grouping; a bound keeps signals small. */
const DETAIL_MAX = 300;

function num(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function clip(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = s.length > DETAIL_MAX ? s.slice(0, DETAIL_MAX) : s;
  const nl = t.indexOf('\n');
  return (nl >= 0 ? t.slice(0, nl) : t).trim() || undefined;
}

/** errno of the record (the parser's), else of the message text; normalised to Linux numbers. */
function errnoOf(r: EventRecord, printed?: string, text?: string): number | undefined {
  return linuxErrno(r.errno ?? num(printed), r.errnoText ?? text);
}

/**
 * Where an nginx request was when the error happened, from the ' while <action>' context:
 * 'connect' | 'send' | 'read' (waiting for the header: the client gets a 5xx) | 'body' (headers already
 * sent: status unchanged, truncated body, a hidden failure) | 'tls' | 'upgraded' | 'client'.
 */
export function nginxPhase(action: string | undefined): string | undefined {
  switch (action) {
    case undefined:
      return undefined;
    case 'connecting to upstream':
      return 'connect';
    case 'sending request to upstream':
      return 'send';
    case 'reading response header from upstream':
      return 'read';
    case 'reading upstream':
      return 'body';
    case 'SSL handshaking to upstream':
      return 'tls';
    case 'proxying upgraded connection':
      return 'upgraded';
    default:
      return 'client';
  }
}

function dbVariantOfText(t: string): string {
  if (/no such file or directory/i.test(t)) return 'socket-missing';
  if (/getaddrinfo|name or service not known|name resolution|could not translate host name|unknown mysql server host|nodename nor servname/i.test(t)) return 'dns';
  if (/timed out|timeout/i.test(t)) return 'timeout';
  if (/too many connections|too many clients/i.test(t)) return 'too-many-connections';
  if (/access denied|authentication failed/i.test(t)) return 'auth';
  if (/gone away/i.test(t)) return 'gone-away';
  if (/lost connection|closed the connection unexpectedly/i.test(t)) return 'lost-connection';
  return 'refused';
}

function dbVariantOfCode(code: number | undefined, text: string): string {
  switch (code) {
    case 1040:
      return 'too-many-connections';
    case 1045:
      return 'auth';
    case 1203:
      return 'too-many-connections';
    case 1205:
    case 1213:
      return 'lock';
    case 2005:
      return 'dns';
    case 2006:
      return 'gone-away';
    case 2013:
      return 'lost-connection';
    default:
      return dbVariantOfText(text);
  }
}

function cacheVariantOfText(t: string): string {
  if (/connection refused/i.test(t)) return 'refused';
  if (/getaddrinfo|name or service not known|name resolution/i.test(t)) return 'dns';
  if (/timed out|timeout/i.test(t)) return 'timeout';
  if (/read error on connection/i.test(t)) return 'read-error';
  if (/connection lost|went away|connection closed|socket error|reset by peer|broken pipe/i.test(t)) return 'connection-lost';
  if (/noauth|wrongpass|authentication|invalid password/i.test(t)) return 'auth';
  if (/^LOADING|loading the dataset/i.test(t)) return 'loading';
  if (/OOM command not allowed/.test(t)) return 'oom';
  if (/marked dead/i.test(t)) return 'dead';
  return 'error';
}

function curlVariant(code: number | undefined, text: string): string {
  switch (code) {
    case 28:
      return 'timeout';
    case 6:
      return 'dns';
    case 7:
      return /timed out/i.test(text) ? 'timeout' : /refused/i.test(text) ? 'refused' : 'unreachable';
    case 35:
    case 51:
    case 53:
    case 54:
    case 58:
    case 59:
    case 60:
    case 66:
    case 77:
    case 83:
    case 90:
    case 91:
      return 'tls';
    case 52:
      return 'empty-reply';
    case 55:
      return 'send-failed';
    case 56:
      return 'reset';
    case 22:
      return 'http-error';
    default:
      return code === undefined ? 'error' : `curl-${code}`;
  }
}

function httpVariantOfText(t: string): string {
  if (/getaddrinfo|name or service not known|name resolution|could not resolve/i.test(t)) return 'dns';
  if (/timed out|timeout/i.test(t)) return 'timeout';
  if (/connection refused/i.test(t)) return 'refused';
  if (/SSL|certificate|crypto/i.test(t)) return 'tls';
  if (/HTTP request failed/i.test(t)) return 'http-error';
  if (/reset by peer/i.test(t)) return 'reset';
  return 'error';
}

function fpmExitKeys(m: RegExpExecArray): SignalKeys {
  const code: string | undefined = m[3];
  const sigNum: string | undefined = m[4];
  const sigName: string | undefined = m[5];
  const core: string | undefined = m[6];
  return {
    pool: m[1],
    pid: num(m[2]),
    exitCode: num(code),
    signal: sigNum !== undefined ? sigName || signalName(Number(sigNum)) : undefined,
    seconds: num(m[7]),
    variant: core ? 'core-dumped' : sigNum !== undefined ? 'signal' : 'code',
  };
}

function fpmRequestKeys(m: RegExpExecArray): SignalKeys {
  return { pool: m[1], pid: num(m[2]), script: m[3], detail: clip(m[4]), seconds: num(m[5]) };
}

const S = (row: Signature): Signature => row;

export const signatures: readonly Signature[] = [
  // ---------------------------------------------------------------- nginx (§3.1)
  // errno-keyed rows first: a socket()/accept()/open()/pwrite() failure is about the errno, not the call
  S({
    id: 'N-EMFILE',
    families: NGX,
    title: 'file descriptors exhausted',
    literal: ' failed (',
    errnos: [24, 23],
    match: /^(\w{1,32})\(\) [^\n]{0,4096}?failed \((\d{1,6}): ([^)\n]{0,128})/,
    keys: (m, r) => ({ errno: errnoOf(r, m[2], m[3]), variant: m[1] === 'accept4' ? 'accept' : m[1] }),
    sample:
      '2026/01/12 10:00:01 [crit] 2210#2210: accept4() failed (24: Too many open files) while accepting new connection on 0.0.0.0:443',
  }),
  S({
    id: 'N-EMFILE',
    families: NGX,
    title: 'file descriptors exhausted (worker_rlimit_nofile)',
    literal: 'files are available',
    match: /^the new socket has number (\d{1,10}), but only (\d{1,10}) files are available/,
    keys: () => ({ errno: 24, variant: 'rlimit' }),
    sample:
      '2026/01/12 10:00:01 [alert] 2210#2210: *88120 the new socket has number 1024, but only 1024 files are available while connecting to upstream, client: 198.51.100.23, server: shop.example.org, request: "GET /cart HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "shop.example.org"',
  }),
  S({
    id: 'N-ENOSPC',
    families: NGX,
    title: 'disk full',
    literal: ' failed (',
    errnos: [28],
    match: /^(\w{1,32})\(\) (to )?[^\n]{0,4096}?failed \((\d{1,6}): ([^)\n]{0,128})/,
    keys: (m, r) => ({ errno: errnoOf(r, m[3], m[4]), variant: m[2] ? 'log-write' : 'temp-file', detail: m[1] }),
    sample:
      '2026/01/12 10:00:01 [crit] 2210#2210: *5760 pwritev() "/var/lib/nginx/body/0000000123" failed (28: No space left on device), client: 192.0.2.44, server: files.example.net, request: "POST /upload HTTP/1.1", host: "files.example.net"',
  }),
  S({
    id: 'N-ENOSPC',
    families: NGX,
    title: 'temp path not writable',
    literal: ' failed (13: ',
    errnos: [13],
    // only nginx temp paths; open() 13 on a document is an ordinary 403
    match: /^(?:open|mkdir)\(\) "(?=[^"\n]{0,4096}(?:_temp|\/body\/|\/fastcgi\/|\/proxy\/|\/uwsgi\/|\/scgi\/))([^"\n]{0,4096})" failed \(13: /,
    keys: (m) => ({ errno: 13, variant: 'temp-permission', detail: clip(m[1]) }),
    sample:
      '2026/01/12 10:00:01 [crit] 2210#2210: *5761 open() "/var/cache/nginx/fastcgi_temp/3/01/0000000013" failed (13: Permission denied) while reading upstream, client: 192.0.2.45, server: example.com, request: "GET /report.pdf HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"',
  }),
  S({
    id: 'N-CONNECT',
    families: NGX,
    title: 'connect() to upstream failed',
    literal: 'connect() ',
    match: /^connect\(\) (?:to (\S{1,1024}) )?failed \((\d{1,6}): ([^)\n]{0,128})/,
    keys: (m, r) => {
      const errno = errnoOf(r, m[2], m[3]);
      return { errno, variant: connectVariant(errno), upstream: m[1] };
    },
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5678 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"',
  }),
  S({
    id: 'N-TIMEOUT',
    families: NGX,
    title: 'upstream timed out',
    literal: 'upstream timed out',
    match: /^upstream timed out(?: \((\d{1,6}): ([^)\n]{0,128})\))?/,
    keys: (m, r) => ({ errno: errnoOf(r, m[1], m[2]), variant: nginxPhase(r.action) }),
    sample:
      '2026/01/12 10:01:01 [error] 1234#1234: *5690 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: example.com, request: "POST /wp-admin/admin-ajax.php HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com", referrer: "https://example.com/wp-admin/"',
  }),
  S({
    id: 'N-PREMATURE',
    families: NGX,
    title: 'upstream prematurely closed connection',
    literal: 'upstream prematurely closed connection',
    match: /^upstream prematurely closed connection/,
    keys: (_m, r) => ({ variant: nginxPhase(r.action) }),
    sample:
      '2026/01/12 10:00:05 [error] 1234#1234: *5701 upstream prematurely closed connection while reading response header from upstream, client: 198.51.100.9, server: reports.example.com, request: "GET /report?year=2025 HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "reports.example.com"',
  }),
  S({
    id: 'N-RECV',
    families: NGX,
    title: 'upstream connection reset / broken pipe',
    literal: '() failed (',
    match: /^(recv|readv|writev|send|sendfile|sendmsg|recvmsg)\(\) failed \((\d{1,6}): ([^)\n]{0,128})/,
    keys: (m, r) => ({ errno: errnoOf(r, m[2], m[3]), variant: nginxPhase(r.action), detail: m[1] }),
    sample:
      '2026/01/12 10:00:05 [error] 1234#1234: *5702 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 203.0.113.80, server: example.com, request: "GET /export HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "example.com"',
  }),
  S({
    id: 'N-HDR-BIG',
    families: NGX,
    title: 'upstream sent too big header',
    literal: 'upstream sent too big header',
    match: /^upstream sent too big header/,
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5710 upstream sent too big header while reading response header from upstream, client: 203.0.113.7, server: shop.example.com, request: "GET /checkout HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"',
  }),
  S({
    id: 'N-INVALID',
    families: NGX,
    title: 'upstream sent an invalid response',
    literal: 'upstream sent ',
    match:
      /^upstream sent (?:(invalid header)(?:: "([^\n]{0,256}))?|(invalid status) "([^"\n]{0,64})|(no valid HTTP\/1\.0 header)|(unsupported FastCGI protocol version): (\d{1,3})|(invalid FastCGI record type|unexpected FastCGI request id (?:high|low) byte|unexpected FastCGI record)|("Content-Length" and "Transfer-Encoding" headers|duplicate header line|invalid "Content-Length" header|unknown "Transfer-Encoding")|(invalid chunked response))/,
    keys: (m) => {
      let variant = 'framing';
      let detail: string | undefined;
      if (m[1]) [variant, detail] = ['invalid-header', m[2]];
      else if (m[3]) [variant, detail] = ['invalid-status', m[4]];
      else if (m[5]) variant = 'not-http';
      else if (m[6]) [variant, detail] = ['not-fastcgi', m[7]];
      else if (m[8]) [variant, detail] = ['fastcgi-protocol', m[8]];
      else if (m[10]) variant = 'chunked';
      else detail = m[9];
      return { variant, detail: clip(detail) };
    },
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5720 upstream sent unsupported FastCGI protocol version: 72 while reading response header from upstream, client: 203.0.113.7, server: example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:8080", host: "example.com"',
  }),
  S({
    id: 'N-INVALID',
    families: NGX,
    title: 'upstream prematurely closed FastCGI stdout/request',
    literal: 'upstream prematurely closed FastCGI ',
    match: /^upstream prematurely closed FastCGI (stdout|request)/,
    keys: (m) => ({ variant: `fastcgi-${m[1]}-closed` }),
    sample:
      '2026/01/12 10:00:02 [error] 1234#1234: *5721 upstream prematurely closed FastCGI stdout while reading response header from upstream, client: 192.0.2.61, server: example.com, request: "GET /feed/ HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.1-fpm.sock:", host: "example.com"',
  }),
  S({
    id: 'N-STDERR',
    families: NGX,
    title: 'FastCGI sent in stderr',
    literal: 'FastCGI sent in stderr: ',
    match: /^FastCGI sent in stderr: "/,
    // variant and detail come from the payload (classify.ts), which also yields the P-/D- signals
    sample:
      '2026/01/12 10:00:02 [error] 1234#1234: *5730 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-content/plugins/big-export/export.php on line 212" while reading response header from upstream, client: 203.0.113.7, server: example.com, request: "GET /wp-admin/admin.php?page=export HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"',
  }),
  S({
    id: 'N-NOLIVE',
    families: NGX,
    title: 'no live upstreams',
    literal: 'no live upstreams',
    match: /^no live upstreams/,
    keys: () => ({ variant: 'no-live' }),
    sample:
      '2026/01/12 10:00:03 [error] 1234#1234: *5740 no live upstreams while connecting to upstream, client: 203.0.113.7, server: api.example.com, request: "GET /v1/items HTTP/1.1", upstream: "http://backend/v1/items", host: "api.example.com"',
  }),
  S({
    id: 'N-NOLIVE',
    families: NGX,
    title: 'upstream server temporarily disabled',
    literal: 'upstream server temporarily disabled',
    match: /^upstream server temporarily disabled/,
    keys: () => ({ variant: 'disabled' }),
    sample:
      '2026/01/12 10:00:02 [warn] 1234#1234: *5739 upstream server temporarily disabled while reading response header from upstream, client: 192.0.2.17, server: api.example.com, request: "GET /v1/orders HTTP/1.1", upstream: "http://10.0.0.12:8080/v1/orders", host: "api.example.com"',
  }),
  S({
    id: 'N-TLS',
    families: NGX,
    title: 'SSL handshake failed',
    literal: '() failed',
    match: /^(?:SSL_do_handshake|SSL_connect)\(\) failed(?: \(SSL: ([^\n]{0,256}))?/,
    keys: (m, r) => ({ variant: nginxPhase(r.action) === 'client' ? 'client' : 'handshake', detail: clip(m[1]) }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5749 SSL_do_handshake() failed (SSL: error:0A000086:SSL routines::certificate verify failed) while SSL handshaking to upstream, client: 203.0.113.50, server: example.com, request: "GET /api/status HTTP/1.1", upstream: "https://10.0.0.5:443/api/status", host: "example.com"',
  }),
  S({
    id: 'N-TLS',
    families: NGX,
    title: 'peer closed connection in SSL handshake',
    literal: 'peer closed connection in SSL handshake',
    match: /^peer closed connection in SSL handshake(?: \((\d{1,6}): ([^)\n]{0,128})\))?/,
    keys: (m, r) => ({ errno: errnoOf(r, m[1], m[2]), variant: nginxPhase(r.action) === 'client' ? 'client' : 'peer-closed' }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5751 peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking to upstream, client: 203.0.113.51, server: example.com, request: "GET / HTTP/1.1", upstream: "https://10.0.0.6:443/", host: "example.com"',
  }),
  S({
    id: 'N-TLS',
    families: NGX,
    title: 'upstream SSL certificate error',
    literal: 'upstream SSL certificate ',
    match: /^upstream SSL certificate (?:verify error: \(([^)\n]{0,200})\)|does not match "([^"\n]{0,256})")/,
    keys: (m) => ({ variant: m[1] !== undefined ? 'verify' : 'name-mismatch', detail: clip(m[1] ?? m[2]) }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5750 upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream, client: 203.0.113.7, server: example.com, request: "GET / HTTP/1.1", upstream: "https://10.0.0.5:443/", host: "example.com"',
  }),
  S({
    id: 'N-DNS',
    families: NGX,
    title: 'upstream name could not be resolved',
    literal: ' could not be resolved',
    match: /^(\S{1,256}) could not be resolved(?: \((\d{1,6}): ([^)\n]{0,64})\))?/,
    keys: (m) => {
      const code = num(m[2]);
      return { variant: code === 110 ? 'timeout' : code === 3 ? 'not-found' : code === 2 ? 'server-failure' : 'failed', detail: m[1] };
    },
    sample:
      '2026/01/12 10:00:01 [error] 31#31: *12 php could not be resolved (3: Host not found), client: 172.18.0.1, server: localhost, request: "GET / HTTP/1.1", host: "localhost:8080"',
  }),
  S({
    id: 'N-DNS',
    families: NGX,
    title: 'host not found in upstream (startup)',
    literal: 'host not found in upstream "',
    match: /^host not found in upstream "([^"\n]{0,256})"/,
    keys: (m) => ({ variant: 'startup', detail: m[1], phase: 'start' }),
    sample:
      '2026/01/12 09:58:12 [emerg] 1#1: host not found in upstream "app-php:9000" in /etc/nginx/conf.d/default.conf:21',
  }),
  S({
    id: 'N-DNS',
    families: NGX,
    title: 'resolver error',
    literal: 'DNS error (',
    match: /DNS error \((\d{1,6}): ([^)\n]{0,64})\)(?:, query id:\d{1,10}, name:"([^"\n]{0,256})")?/,
    keys: (m) => ({ variant: 'resolver', detail: m[3] ?? m[2] }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5790 DNS error (3: Host not found), query id:40211, name:"api.internal.example" while resolving, resolver: 127.0.0.11:53',
  }),
  S({
    id: 'N-WCONN',
    families: NGX,
    title: 'worker_connections are not enough',
    literal: 'worker_connections are not enough',
    match: /^(\d{1,10}) worker_connections are not enough(, reusing connections)?/,
    keys: (m) => ({ variant: m[2] ? 'reusing' : 'exhausted', detail: m[1] }),
    sample:
      '2026/01/12 10:00:01 [alert] 1234#1234: *99881 768 worker_connections are not enough while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "example.com"',
  }),
  S({
    id: 'N-LIMIT',
    families: NGX,
    title: 'request rate limited',
    literal: 'limiting requests',
    match: /^limiting requests(, dry run)?, excess: (\d{1,10}\.\d{1,3}) by zone "([^"\n]{0,256})"/,
    keys: (m) => ({ variant: m[1] ? 'req-dry-run' : 'req', detail: m[3] }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5770 limiting requests, excess: 20.640 by zone "perip", client: 203.0.113.7, server: example.com, request: "GET /wp-login.php HTTP/1.1", host: "example.com"',
  }),
  S({
    id: 'N-LIMIT',
    families: NGX,
    title: 'request delayed by limit_req',
    literal: 'delaying request',
    match: /^delaying request(, dry run)?, excess: (\d{1,10}\.\d{1,3}), by zone "([^"\n]{0,256})"/,
    keys: (m) => ({ variant: 'delay', detail: m[3] }),
    sample:
      '2026/01/12 10:00:01 [warn] 1234#1234: *5771 delaying request, excess: 0.712, by zone "api_burst", client: 198.51.100.77, server: api.example.com, request: "GET /v2/search?q=lamp HTTP/1.1", host: "api.example.com"',
  }),
  S({
    id: 'N-LIMIT',
    families: NGX,
    title: 'connection limit reached',
    literal: 'limiting connections',
    match: /^limiting connections(, dry run,)? by zone "([^"\n]{0,256})"/,
    keys: (m) => ({ variant: m[1] ? 'conn-dry-run' : 'conn', detail: m[2] }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5772 limiting connections by zone "addr", client: 192.0.2.200, server: dl.example.com, request: "GET /iso/image.iso HTTP/1.1", host: "dl.example.com"',
  }),
  S({
    id: 'N-CLIENT',
    families: NGX,
    title: 'client closed the connection',
    literal: 'client prematurely closed connection',
    match: /client prematurely closed connection/,
    keys: () => ({ variant: 'abort' }),
    sample:
      '2026/01/12 10:00:09 [info] 1234#1234: *5800 client prematurely closed connection, so upstream connection is closed too while sending request to upstream, client: 203.0.113.99, server: example.com, request: "GET /search?q=x HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"',
  }),
  S({
    id: 'N-CLIENT',
    families: NGX,
    title: 'client timed out',
    literal: 'client timed out',
    match: /^client timed out/,
    keys: () => ({ variant: 'timeout' }),
    sample:
      '2026/01/12 10:00:09 [info] 1234#1234: *5801 client timed out (110: Connection timed out) while reading client request headers, client: 198.51.100.4, server: example.com, request: "GET / HTTP/1.1", host: "example.com"',
  }),
  S({
    id: 'N-CLIENT',
    families: NGX,
    title: 'client body too large (413)',
    literal: 'client intended to send too large',
    match: /^client intended to send too large (?:chunked )?body(?:: (\d{1,20}) bytes)?/,
    keys: (m) => ({ variant: 'body-too-large', bytes: num(m[1]) }),
    sample:
      '2026/01/12 10:00:09 [error] 1234#1234: *5802 client intended to send too large body: 10485761 bytes, client: 192.0.2.33, server: example.com, request: "POST /wp-admin/async-upload.php HTTP/1.1", host: "example.com"',
  }),
  S({
    id: 'N-CLIENT',
    families: NGX,
    title: 'client sent an invalid request (400)',
    literal: 'client sent ',
    match: /^client sent (invalid|too long|plain HTTP|duplicate|no "Host"|HTTP\/1\.1 request without)/,
    keys: () => ({ variant: 'invalid-request' }),
    sample:
      '2026/01/12 10:00:09 [info] 1234#1234: *5803 client sent invalid method while reading client request line, client: 198.51.100.200, server: example.com, request: "\\x16\\x03\\x01"',
  }),
  S({
    id: 'N-CONFIG',
    families: NGX,
    title: 'rewrite or internal redirection cycle',
    literal: 'rewrite or internal redirection cycle',
    match: /^rewrite or internal redirection cycle while (?:processing|internally redirecting to|redirect to named location) "([^"\n]{0,1024})"/,
    keys: (m) => ({ variant: 'redirect-cycle', detail: m[1] }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5810 rewrite or internal redirection cycle while internally redirecting to "/index.php", client: 192.0.2.90, server: blog.example.com, request: "GET /about/ HTTP/1.1", host: "blog.example.com"',
  }),
  S({
    id: 'N-CONFIG',
    families: NGX,
    title: 'no resolver defined',
    literal: 'no resolver defined to resolve ',
    match: /^no resolver defined to resolve (\S{1,256})/,
    keys: (m) => ({ variant: 'no-resolver', detail: m[1] }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5811 no resolver defined to resolve backend.internal, client: 203.0.113.7, server: example.com, request: "GET /api/ HTTP/1.1", host: "example.com"',
  }),
  S({
    id: 'N-CONFIG',
    families: NGX,
    title: 'zero length URI to proxy',
    literal: 'zero length URI to proxy',
    match: /^zero length URI to proxy/,
    keys: () => ({ variant: 'zero-length-uri' }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5813 zero length URI to proxy, client: 198.51.100.31, server: example.com, request: "GET /p/ HTTP/1.1", host: "example.com"',
  }),
  S({
    id: 'N-CONFIG',
    families: NGX,
    title: 'no port in upstream',
    literal: 'no port in upstream "',
    match: /^no port in upstream "([^"\n]{0,256})"/,
    keys: (m) => ({ variant: 'no-port', detail: m[1] }),
    sample:
      '2026/01/12 10:00:01 [error] 1234#1234: *5812 no port in upstream "php", client: 203.0.113.7, server: example.com, request: "GET / HTTP/1.1", host: "example.com"',
  }),
  S({
    id: 'N-PROC',
    families: NGX,
    title: 'nginx process exited on a signal',
    literal: ' exited on signal ',
    match: /^((?:worker|cache manager|cache loader|privileged agent|new binary) process) (\d{1,10}) exited on signal (\d{1,3})( \(core dumped\))?/,
    keys: (m) => ({
      phase: 'exit',
      pid: num(m[2]),
      comm: 'nginx',
      signal: signalName(Number(m[3])),
      variant: m[4] ? 'core-dumped' : 'signal',
      detail: m[1],
    }),
    sample: '2026/01/12 10:00:01 [alert] 980#980: worker process 1234 exited on signal 11 (core dumped)',
  }),
  S({
    id: 'N-PROC',
    families: NGX,
    title: 'nginx process exited with a code',
    literal: ' exited with code ',
    match: /^((?:worker|cache manager|cache loader|privileged agent|new binary) process) (\d{1,10}) exited with code (\d{1,3})/,
    keys: (m) => ({ phase: 'exit', pid: num(m[2]), comm: 'nginx', exitCode: num(m[3]), variant: 'code', detail: m[1] }),
    sample: '2026/01/12 10:00:01 [notice] 980#980: worker process 1236 exited with code 0',
  }),
  S({
    id: 'N-PROC',
    families: NGX,
    title: 'nginx got a control signal',
    literal: ') received',
    // SIGCHLD/SIGIO/SIGALRM are bookkeeping and stay unmatched
    match: /^signal (\d{1,3}) \((SIGHUP|SIGTERM|SIGINT|SIGQUIT|SIGUSR2|SIGWINCH)\) received(?: from (\d{1,10}))?/,
    keys: (m) => {
      const sig: string = m[2] ?? '';
      const reload = sig === 'SIGHUP' || sig === 'SIGUSR2';
      const graceful = sig === 'SIGHUP' || sig === 'SIGQUIT' || sig === 'SIGWINCH';
      return { phase: reload ? 'reload' : 'stop', signal: sig, comm: 'nginx', variant: sig === 'SIGUSR2' ? 'upgrade' : graceful ? 'graceful' : 'fast' };
    },
    sample: '2026/01/12 10:00:01 [notice] 980#980: signal 1 (SIGHUP) received from 4021, reconfiguring',
  }),
  S({
    id: 'N-PROC',
    families: NGX,
    title: 'nginx could not bind its listen socket',
    literal: 'bind() to ',
    match: /^bind\(\) to (\S{1,512}) failed \((\d{1,6}): ([^)\n]{0,128})\)/,
    keys: (m, r) => ({ phase: 'start', variant: 'bind-failed', comm: 'nginx', errno: errnoOf(r, m[2], m[3]), detail: m[1] }),
    sample: '2026/01/12 09:58:12 [emerg] 4410#4410: bind() to 0.0.0.0:443 failed (98: Address already in use)',
  }),
  S({
    id: 'N-PROC',
    families: NGX,
    title: 'nginx starting worker processes',
    literal: 'start worker processes',
    match: /^start worker processes/,
    keys: () => ({ phase: 'start', comm: 'nginx' }),
    sample: '2026/01/12 10:00:01 [notice] 980#980: start worker processes',
  }),

  S({
    id: 'N-CONFIG',
    families: NGX,
    title: 'configuration error at startup',
    literal: ' in /',
    // ngx_conf_log_error() appends ' in <file>:<line>'; nothing else nginx logs ends that way once the
    // request context is gone. Kept last among the nginx rows so specific startup rows win.
    match: /^([^\n]{1,512}?) in (\/[^\s:]{1,1024}):(\d{1,7})$/,
    keys: (m) => ({ phase: 'start', variant: 'startup', detail: clip(`${m[1]} (${m[2]}:${m[3]})`) }),
    sample: '2026/01/12 09:58:12 [emerg] 4410#4410: unknown directive "fastcgi_pas" in /etc/nginx/sites-enabled/shop.conf:31',
  }),

  // ---------------------------------------------------------------- Apache (§3.3)
  S({
    id: 'A-CONNECT',
    families: APACHE,
    title: 'connect to Unix domain socket failed',
    literal: 'attempt to connect to Unix domain socket ',
    match: /^(?:AH02454: )?(\w{1,16}): attempt to connect to Unix domain socket (\S{1,1024}) \(([^)\n]{0,256})\) failed/,
    keys: (m, r) => {
      const errno = errnoOf(r);
      return { errno, variant: connectVariant(errno) ?? 'failed', upstream: m[2], detail: m[1] };
    },
    sample:
      '[Mon Jan 12 10:00:01.123456 2026] [proxy:error] [pid 2211:tid 140234567890688] (2)No such file or directory: AH02454: FCGI: attempt to connect to Unix domain socket /run/php/php8.2-fpm.sock (localhost:8000) failed',
  }),
  S({
    id: 'A-CONNECT',
    families: APACHE,
    title: 'connect to backend failed',
    literal: 'attempt to connect to ',
    match: /^(?:AH00957: |proxy: )?(\w{1,16}): attempt to connect to (\S{1,1024}) \(([^)\n]{0,256})\) failed/,
    keys: (m, r) => {
      const errno = errnoOf(r);
      return { errno, variant: connectVariant(errno) ?? 'failed', upstream: m[2], detail: m[1] };
    },
    sample:
      '[Mon Jan 12 10:00:01.123456 2026] [proxy:error] [pid 2211:tid 140234567890688] (111)Connection refused: AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (127.0.0.1:9000) failed',
  }),
  S({
    id: 'A-CONNECT',
    families: APACHE,
    title: 'failed to make connection to backend (503)',
    literal: 'failed to make connection to backend: ',
    match: /^(?:AH01079: |AH01114: |proxy: )?(?:HTTP: )?failed to make connection to backend: (\S{1,1024})/,
    keys: (m, r) => {
      const errno = errnoOf(r);
      return { errno, variant: connectVariant(errno) ?? 'no-connection', upstream: m[1] };
    },
    sample:
      '[Mon Jan 12 10:00:01.123501 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 203.0.113.7:51234] AH01079: failed to make connection to backend: localhost',
  }),
  S({
    id: 'A-CONNECT',
    families: APACHE,
    title: 'proxy worker disabled after a connect failure',
    literal: 'disabling worker for (',
    match: /^(?:AH00959: )?ap_proxy_connect_backend disabling worker for \(([^)\s]{1,512})\)(?: for (\d{1,10})s)?/,
    keys: (m) => ({ variant: 'disabling', upstream: m[1], seconds: num(m[2]) }),
    sample:
      '[Mon Jan 12 10:00:01.123470 2026] [proxy:error] [pid 2211:tid 140234567890688] AH00959: ap_proxy_connect_backend disabling worker for (10.0.0.21:8080) for 60s',
  }),
  S({
    id: 'A-CONNECT',
    families: APACHE,
    title: 'proxy worker in error state / pool exhausted (503)',
    literal: ' connection for (',
    match: /^(?:AH0094[01]: )?(\w{1,16}): (disabled|failed to acquire) connection for \(([^)\s]{1,512})\)/,
    keys: (m) => ({ variant: m[2] === 'disabled' ? 'disabled' : 'acquire-failed', upstream: m[3], detail: m[1] }),
    sample:
      '[Mon Jan 12 10:00:09.553120 2026] [proxy:error] [pid 2214:tid 140234567893311] AH00940: HTTP: disabled connection for (10.0.0.21:8080)',
  }),
  S({
    id: 'A-FCGI',
    families: APACHE,
    title: 'FastCGI dispatch error',
    literal: 'Error dispatching request to ',
    match: /^(?:AH01075: )?Error dispatching request to ([^:\n]{0,256}):(?: \(([^)\n]{0,100})\))?/,
    keys: (m, r) => {
      const errno = errnoOf(r);
      return { errno, variant: ioVariant(errno) ?? 'error', detail: m[2] };
    },
    sample:
      '[Mon Jan 12 10:00:31.880120 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890688] (70007)The timeout specified has expired: [client 203.0.113.7:51240] AH01075: Error dispatching request to : (polling)',
  }),
  S({
    id: 'A-FCGI',
    families: APACHE,
    title: 'failed to read FastCGI header',
    literal: 'Failed to read FastCGI header',
    match: /^(?:AH01067: )?Failed to read FastCGI header/,
    keys: (_m, r) => ({ errno: errnoOf(r), variant: 'header-read' }),
    sample:
      '[Mon Jan 12 10:00:05.101001 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 198.51.100.5:40112] AH01067: Failed to read FastCGI header',
  }),
  S({
    id: 'A-FCGI',
    families: APACHE,
    title: 'FastCGI protocol garbage',
    literal: 'AH0',
    match: /^(?:AH01068: Got bogus version|AH01069: Got bogus rid|AH01072: Got bogus record|AH02537: Error occurred reading padding|AH01070: Error parsing script headers)/,
    keys: () => ({ variant: 'invalid' }),
    sample:
      '[Mon Jan 12 10:00:05.201001 2026] [proxy_fcgi:error] [pid 2212:tid 140234567890700] [client 198.51.100.6:40120] AH01068: Got bogus version 72',
  }),
  S({
    id: 'A-FCGI',
    families: APACHE,
    title: 'failed writing the request to the FastCGI backend',
    literal: 'Failed ',
    match: /^(?:AH0107[34]: )?Failed [Ww]riting (?:Request|Environment) to ([^:\n]{0,256}):?/,
    keys: (_m, r) => ({ errno: errnoOf(r), variant: 'write-failed' }),
    sample:
      '[Mon Jan 12 10:00:05.301001 2026] [proxy_fcgi:error] [pid 2213:tid 140234567890710] (32)Broken pipe: [client 203.0.113.14:50100] AH01073: Failed Writing Request to unix:/run/php/php8.2-fpm.sock:',
  }),
  S({
    id: 'A-FCGI',
    families: APACHE,
    title: 'FastCGI stderr (AH01071)',
    literal: 'Got error ',
    match: /^(?:AH01071: )?Got error '/,
    // variant and detail come from the payload (classify.ts), which also yields the P-/D- signals
    sample:
      "[Mon Jan 12 10:00:02.345678 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 203.0.113.7:51260] AH01071: Got error 'PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 262144 bytes) in /var/www/html/app/Export.php on line 88'",
  }),
  S({
    id: 'A-HTTP',
    families: APACHE,
    title: 'error reading status line from backend',
    literal: 'error reading status line from remote server',
    match: /^(?:AH01102: )?error reading status line from remote server (\S{0,512})/,
    keys: (m, r) => {
      const errno = errnoOf(r);
      return { errno, variant: ioVariant(errno) ?? 'read-error', upstream: m[1] || undefined };
    },
    sample:
      '[Mon Jan 12 10:01:01.000101 2026] [proxy_http:error] [pid 2211:tid 140234567890688] (70007)The timeout specified has expired: [client 203.0.113.7:51270] AH01102: error reading status line from remote server 127.0.0.1:8080',
  }),
  S({
    id: 'A-HTTP',
    families: APACHE,
    title: 'proxy error returned to the client',
    literal: ' returned by ',
    // other AH codes also say 'returned by' (AH01106): only AH00898 and 2.2's 'proxy: ' are proxyerror_core()
    match: /^(?:AH00898: |proxy: )?(?!AH\d{5}: )([^\n]{1,1024}?) returned by (\S{0,2048})/,
    keys: (m, r) => {
      const what: string = m[1] ?? '';
      const errno = errnoOf(r);
      let variant = 'error';
      let detail: string | undefined = what;
      if (what.startsWith('Error reading from remote server')) variant = ioVariant(errno) ?? 'read-error';
      else if (what.startsWith('DNS lookup failure for: ')) [variant, detail] = ['dns', what.slice(24)];
      else if (what.startsWith('Error during SSL Handshake')) variant = 'tls';
      else if (what.startsWith('Timeout on 100-Continue')) variant = 'timeout-100-continue';
      else if (/^(?:Corrupt status line|Malformed|Too many \(|Unexpected Upgrade)/.test(what)) variant = 'invalid';
      return { errno, variant, detail: clip(detail) };
    },
    sample:
      '[Mon Jan 12 10:01:01.000150 2026] [proxy:error] [pid 2211:tid 140234567890688] [client 203.0.113.7:51270] AH00898: Error reading from remote server returned by /api/report',
  }),
  S({
    id: 'A-HTTP',
    families: APACHE,
    title: 'bad HTTP header from backend',
    literal: 'AH01106: bad HTTP/',
    match: /^AH01106: bad HTTP\/\d\.\d header returned by (\S{0,2048})/,
    keys: () => ({ variant: 'invalid' }),
    sample:
      '[Mon Jan 12 10:01:02.000150 2026] [proxy_http:error] [pid 2215:tid 140234567890711] [client 192.0.2.8:41000] AH01106: bad HTTP/1.1 header returned by /legacy/ (GET)',
  }),
  S({
    id: 'A-HTTP',
    families: APACHE,
    title: 'backend response header over ResponseFieldSize',
    literal: 'ResponseFieldSize',
    match: /^(?:AH10124: )?header size is over the limit allowed by ResponseFieldSize \((\d{1,10}) bytes\)/,
    keys: (m) => ({ variant: 'header-too-big', bytes: num(m[1]) }),
    sample:
      "[Mon Jan 12 10:01:02.000120 2026] [proxy_http:warn] [pid 2215:tid 140234567890711] [client 192.0.2.8:41000] AH10124: header size is over the limit allowed by ResponseFieldSize (8192 bytes). Bad response header: 'Set-Cookie: session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa[...]'",
  }),
  S({
    id: 'A-HTTP',
    families: APACHE,
    title: 'error reading headers from backend',
    literal: 'Error reading headers from backend',
    match: /^(?:AH10404: )?Error reading headers from backend/,
    keys: (_m, r) => {
      const errno = errnoOf(r);
      return { errno, variant: ioVariant(errno) ?? 'read-error' };
    },
    sample:
      '[Mon Jan 12 10:01:03.000150 2026] [proxy_http:warn] [pid 2216:tid 140234567890712] (104)Connection reset by peer: [client 198.51.100.70:42000] AH10404: Error reading headers from backend',
  }),
  S({
    id: 'A-HTTP',
    families: APACHE,
    title: 'request body forwarding failed',
    literal: 'request body failed to ',
    match: /^(?:AH010(?:97|84|95): )?(?:pass|prefetch) request body failed to (\S{1,512})/,
    keys: (m, r) => {
      const errno = errnoOf(r);
      return { errno, variant: 'body-failed', upstream: m[1], detail: ioVariant(errno) };
    },
    sample:
      '[Mon Jan 12 10:01:04.000150 2026] [proxy_http:error] [pid 2216:tid 140234567890712] (104)Connection reset by peer: [client 198.51.100.71:42010] AH01097: pass request body failed to 10.0.0.21:8080 (10.0.0.21) from 198.51.100.71 ()',
  }),
  S({
    id: 'A-HTTP',
    families: APACHE,
    title: 'error reading the backend response body',
    literal: 'rror reading response',
    match: /^(?:AH01110: )?(?:Network )?[Ee]rror reading response/,
    keys: (_m, r) => ({ errno: errnoOf(r), variant: 'body' }),
    sample:
      '[Mon Jan 12 10:01:05.000150 2026] [proxy_http:error] [pid 2217:tid 140234567890713] (70007)The timeout specified has expired: [client 203.0.113.90:43000] AH01110: error reading response',
  }),
  S({
    id: 'A-SSLPROXY',
    families: APACHE,
    title: 'TLS to the backend failed',
    literal: 'SSL Proxy',
    match: /^(?:AH0(?:2003|2004|2005|2411): )?SSL Proxy(?: (connect failed)|: Peer certificate (is expired|CN mismatch|does not match for hostname))/,
    keys: (m) => ({ variant: m[1] ? 'connect-failed' : m[2] === 'is expired' ? 'expired' : 'name-mismatch' }),
    sample:
      '[Mon Jan 12 10:00:01.400000 2026] [ssl:info] [pid 2218:tid 140234567890714] [remote 10.0.0.5:443] AH02004: SSL Proxy: Peer certificate is expired',
  }),
  S({
    id: 'A-SSLPROXY',
    families: APACHE,
    title: 'certificate verification error',
    literal: 'Certificate Verification: Error (',
    match: /^(?:AH02039: )?Certificate Verification: Error \((\d{1,4})\): ([^\n]{0,200})/,
    keys: (m) => ({ variant: 'verify', detail: clip(m[2]) }),
    sample:
      '[Mon Jan 12 10:00:01.400100 2026] [ssl:error] [pid 2218:tid 140234567890714] [remote 10.0.0.5:443] AH02039: Certificate Verification: Error (10): certificate has expired',
  }),
  S({
    id: 'A-BAL',
    families: APACHE,
    title: 'all balancer workers in error state',
    literal: 'All workers are in error state',
    match: /^(?:AH0117[0]: |AH01167: )?(\S{1,512}): All workers are in error state(?: for route \(([^)\n]{0,256})\))?/,
    keys: (m) => ({ variant: 'all-in-error', upstream: m[1], detail: m[2] }),
    sample:
      '[Mon Jan 12 10:00:12.000001 2026] [proxy_balancer:error] [pid 2219:tid 140234567890715] [client 203.0.113.33:44000] AH01170: balancer://appcluster: All workers are in error state',
  }),
  S({
    id: 'A-BAL',
    families: APACHE,
    title: 'no workers in balancer',
    literal: 'No workers in balancer',
    match: /^(?:AH01171: )?(\S{1,512}): No workers in balancer/,
    keys: (m) => ({ variant: 'empty', upstream: m[1] }),
    sample:
      '[Mon Jan 12 10:00:12.000002 2026] [proxy_balancer:error] [pid 2219:tid 140234567890715] [client 203.0.113.34:44001] AH01171: balancer://staging: No workers in balancer',
  }),
  S({
    id: 'A-MPM',
    families: APACHE,
    title: 'MaxRequestWorkers reached',
    literal: 'server reached Max',
    match: /^(?:AH00484: |AH00286: |AH00161: )?server reached (MaxRequestWorkers|MaxClients) setting/,
    keys: (m) => ({ variant: 'max-workers', detail: m[1] }),
    sample:
      '[Mon Jan 12 10:00:01.000001 2026] [mpm_event:error] [pid 980:tid 140234567890000] AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting',
  }),
  S({
    id: 'A-MPM',
    families: APACHE,
    title: 'near MaxRequestWorkers',
    literal: 'within MinSpareThreads of MaxRequestWorkers',
    match: /^(?:AH10159: )?server is within MinSpareThreads of MaxRequestWorkers/,
    keys: () => ({ variant: 'near-max' }),
    sample:
      '[Mon Jan 12 09:59:58.000001 2026] [mpm_event:error] [pid 980:tid 140234567890000] AH10159: server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting',
  }),
  S({
    id: 'A-MPM',
    families: APACHE,
    title: 'scoreboard full',
    literal: 'scoreboard is full',
    match: /^(?:AH03490: )?scoreboard is full/,
    keys: () => ({ variant: 'scoreboard-full' }),
    sample:
      '[Mon Jan 12 10:00:03.000001 2026] [mpm_event:error] [pid 980:tid 140234567890000] AH03490: scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit.',
  }),
  S({
    id: 'A-CHILD',
    families: APACHE,
    title: 'Apache child died on a signal',
    literal: 'child pid ',
    match: /^(?:AH0005[12]: )?child pid (\d{1,10}) exit signal ([^(\n]{1,64}?) \((\d{1,3})\)(?:, possible coredump in (\S{1,512}))?/,
    keys: (m) => ({
      pid: num(m[1]),
      signal: signalName(Number(m[3])),
      variant: m[4] ? 'core-dumped' : 'signal',
      detail: m[2],
    }),
    sample:
      '[Mon Jan 12 10:00:01.000001 2026] [core:notice] [pid 980:tid 140234567890000] AH00052: child pid 4567 exit signal Segmentation fault (11)',
  }),
  S({
    id: 'A-MISC',
    families: APACHE,
    title: 'invalid response header name from the application',
    literal: 'Response header name ',
    match: /^(?:AH02429: )?Response header name '([^\n]{0,128}?)' contains invalid characters/,
    keys: (m) => ({ variant: 'invalid-header-name', detail: clip(m[1]) }),
    sample:
      "[Mon Jan 12 10:00:01.000301 2026] [http:error] [pid 2220:tid 140234567890716] [client 198.51.100.140:45000] AH02429: Response header name 'X-Debug Info' contains invalid characters, aborting request",
  }),
  S({
    id: 'A-MISC',
    families: APACHE,
    title: 'internal redirect limit exceeded',
    literal: 'internal redirects',
    match: /^(?:AH00124: )?Request exceeded the limit of (\d{1,4}) internal redirects/,
    keys: () => ({ variant: 'redirect-loop' }),
    sample:
      "[Mon Jan 12 10:00:01.000302 2026] [core:error] [pid 2220:tid 140234567890716] [client 198.51.100.141:45001] AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace.",
  }),
  S({
    id: 'A-MISC',
    families: APACHE,
    title: 'no proxy protocol handler',
    literal: 'No protocol handler was valid',
    match: /^(?:AH01144: )?No protocol handler was valid for the URL (\S{0,1024})/,
    keys: (m) => ({ variant: 'no-handler', detail: clip(m[1]) }),
    sample:
      "[Mon Jan 12 10:00:01.000303 2026] [proxy:warn] [pid 2220:tid 140234567890716] [client 198.51.100.142:45002] AH01144: No protocol handler was valid for the URL /index.php (scheme 'fcgi'). If you are using a DSO version of mod_proxy, make sure the proxy submodules are included in the configuration using LoadModule.",
  }),
  S({
    id: 'A-MISC',
    families: APACHE,
    title: 'script ended before sending headers',
    literal: 'script ',
    match: /^(?:AH\d{5}: )?(?:End of script output before headers|Premature end of script headers): (\S{0,1024})/,
    keys: (m) => ({ variant: 'script-end', script: m[1] || undefined }),
    sample:
      '[Mon Jan 12 10:00:01.000304 2026] [proxy_fcgi:error] [pid 2220:tid 140234567890716] [client 198.51.100.143:45003] End of script output before headers: index.php',
  }),
  S({
    id: 'A-MISC',
    families: APACHE,
    title: 'script timed out before returning headers',
    literal: 'Script timed out before returning headers',
    match: /^(?:AH\d{5}: )?Script timed out before returning headers: (\S{0,1024})/,
    keys: (m) => ({ variant: 'script-timeout', script: m[1] || undefined }),
    sample:
      '[Mon Jan 12 10:00:41.000304 2026] [cgid:error] [pid 2221:tid 140234567890717] [client 198.51.100.144:45004] Script timed out before returning headers: report.php',
  }),
  S({
    id: 'A-MISC',
    families: APACHE,
    title: 'malformed header from script',
    literal: ' from script ',
    match: /^(?:AH\d{5}: )?(?:malformed header|Invalid status line) from script '([^'\n]{0,1024})'/,
    keys: (m) => ({ variant: 'bad-script-header', script: m[1] }),
    sample:
      "[Mon Jan 12 10:00:01.000305 2026] [proxy_fcgi:error] [pid 2220:tid 140234567890716] [client 198.51.100.145:45005] malformed header from script 'index.php': Bad header: <br />",
  }),
  S({
    id: 'A-RESTART',
    families: APACHE,
    title: 'graceful restart',
    literal: 'raceful restart',
    match: /^(?:AH00493: |AH00171: )?(?:SIGUSR1 received\. {1,2}Doing graceful restart|Graceful restart requested, doing restart)/,
    keys: () => ({ phase: 'reload', variant: 'graceful', signal: 'SIGUSR1' }),
    sample:
      '[Mon Jan 12 06:25:01.004512 2026] [mpm_event:notice] [pid 980:tid 140234567890000] AH00493: SIGUSR1 received.  Doing graceful restart',
  }),
  S({
    id: 'A-RESTART',
    families: APACHE,
    title: 'hard restart',
    literal: 'SIGHUP received',
    match: /^(?:AH00494: )?SIGHUP received\. {1,2}Attempting to restart/,
    keys: () => ({ phase: 'reload', variant: 'hard', signal: 'SIGHUP' }),
    sample:
      '[Mon Jan 12 06:25:01.004512 2026] [mpm_prefork:notice] [pid 981] AH00494: SIGHUP received.  Attempting to restart',
  }),
  S({
    id: 'A-RESTART',
    families: APACHE,
    title: 'shutting down',
    literal: 'caught SIG',
    match: /^(?:AH00492: |AH00170: |AH00491: |AH00169: )?caught (SIGWINCH|SIGTERM), shutting down/,
    keys: (m) => ({ phase: 'stop', variant: m[1] === 'SIGWINCH' ? 'graceful' : 'hard', signal: m[1] }),
    sample:
      '[Mon Jan 12 10:05:00.100001 2026] [mpm_event:notice] [pid 980:tid 140234567890000] AH00491: caught SIGTERM, shutting down',
  }),
  S({
    id: 'A-RESTART',
    families: APACHE,
    title: 'resuming normal operations',
    literal: 'resuming normal operations',
    match: /^(?:AH00489: |AH00163: )?(\S[^\n]{0,200}?) configured -- resuming normal operations/,
    keys: (m) => ({ phase: 'ready', detail: clip(m[1]) }),
    sample:
      '[Mon Jan 12 10:05:02.200001 2026] [mpm_event:notice] [pid 4410:tid 140234567890000] AH00489: Apache/2.4.62 (Debian) OpenSSL/3.0.15 configured -- resuming normal operations',
  }),
  S({
    id: 'A-RESTART',
    families: APACHE,
    title: 'Apache command line (start)',
    literal: 'Command line: ',
    match: /^(?:AH00094: )?Command line: '([^'\n]{0,512})/,
    keys: (m) => ({ phase: 'start', detail: clip(m[1]) }),
    sample:
      "[Mon Jan 12 10:05:02.200101 2026] [core:notice] [pid 4410:tid 140234567890000] AH00094: Command line: '/usr/sbin/apache2'",
  }),

  // ---------------------------------------------------------------- PHP-FPM master (§3.4)
  S({
    id: 'F-MAXCHILD',
    families: FPM,
    title: 'pool reached max_children',
    literal: 'max_children setting (',
    match: /^\[pool ([^\]\n]{1,256})\] server reached (pm\.)?max_children setting \((\d{1,10})\)/,
    keys: (m) => ({ pool: m[1], variant: m[2] ? 'dynamic' : 'ondemand', detail: `max_children=${m[3]}` }),
    sample: '[12-Jan-2026 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it',
  }),
  S({
    id: 'F-BUSY',
    families: FPM,
    title: 'pool seems busy',
    literal: 'seems busy',
    match: /^\[pool ([^\]\n]{1,256})\] seems busy [^\n]{0,200}?spawning (\d{1,6}) children, there are (\d{1,6}) idle, and (\d{1,6}) total children/,
    keys: (m) => ({ pool: m[1], variant: 'spawning', detail: `idle=${m[3]} total=${m[4]}` }),
    sample:
      '[12-Jan-2026 09:59:52] WARNING: [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 14 total children',
  }),
  S({
    id: 'F-BUSY',
    families: FPM,
    title: 'process.max reached',
    literal: 'maximum number of processes has been reached',
    match: /^The maximum number of processes has been reached/,
    keys: () => ({ variant: 'process-max' }),
    sample:
      "[12-Jan-2026 10:00:00] WARNING: The maximum number of processes has been reached. Please review your configuration and consider raising 'process.max'",
  }),
  S({
    id: 'F-EXIT',
    families: FPM,
    title: 'FPM child exited',
    literal: ' exited ',
    match: /^\[pool ([^\]\n]{1,256})\] child (\d{1,10}) exited (?:with code (\d{1,3})|on signal (\d{1,3}) \(([A-Z0-9]{0,16})( - core dumped)?\)) after (\d{1,12}\.\d{1,9}) seconds from start/,
    keys: fpmExitKeys,
    sample: '[12-Jan-2026 10:00:04] WARNING: [pool www] child 12345 exited on signal 9 (SIGKILL) after 81.503321 seconds from start',
  }),
  S({
    // §5.21: FPM's ZLOG_SYSERROR suffix puts the text first and the errno last ('… Too many open files (24)')
    id: 'F-EMFILE',
    families: FPM,
    title: 'PHP-FPM out of file descriptors',
    literal: ' (2',
    match: /(?:Too many open files(?: in system)?|File table overflow) \((2[34])\)$/,
    keys: (m) => ({ errno: Number(m[1]), variant: 'fpm' }),
    sample: '[12-Jan-2026 10:00:02] ERROR: failed to accept a connection: Too many open files (24)',
  }),
  S({
    id: 'F-TERMINATE',
    families: FPM,
    title: 'request_terminate_timeout reached',
    literal: 'execution timed out (',
    match: /^\[pool ([^\]\n]{1,256})\] child (\d{1,10}), script '([^\n]{0,4096}?)' \(request: "([^\n]{0,8192}?)"\) execution timed out \((\d{1,9}\.\d{1,9}) sec\), terminating/,
    keys: (m) => ({ ...fpmRequestKeys(m), signal: 'SIGTERM' }),
    sample:
      '[12-Jan-2026 10:00:35] WARNING: [pool www] child 12347, script \'/var/www/html/index.php\' (request: "GET /index.php?route=report") execution timed out (30.000870 sec), terminating',
  }),
  S({
    id: 'F-SLOW',
    families: FPM,
    title: 'request executing too slow',
    literal: 'executing too slow (',
    match: /^\[pool ([^\]\n]{1,256})\] child (\d{1,10}), script '([^\n]{0,4096}?)' \(request: "([^\n]{0,8192}?)"\) executing too slow \((\d{1,9}\.\d{1,9}) sec\), logging/,
    keys: fpmRequestKeys,
    sample:
      '[12-Jan-2026 10:00:06] WARNING: [pool www] child 12344, script \'/var/www/html/wp-cron.php\' (request: "POST /wp-cron.php?doing_wp_cron=1768208400.1234") executing too slow (5.012345 sec), logging',
  }),
  S({
    id: 'F-SLOW',
    families: FPM,
    title: 'slow log trace failed (ptrace)',
    literal: 'failed to ptrace(',
    match: /^failed to ptrace\((\w{1,16})\) (?:child|pid) (\d{1,10})/,
    keys: (m, r) => ({ pid: num(m[2]), variant: 'ptrace-failed', errno: errnoOf(r), detail: m[1] }),
    sample: '[12-Jan-2026 10:00:06] ERROR: failed to ptrace(ATTACH) child 12344: Operation not permitted (1)',
  }),
  S({
    id: 'F-STDERR',
    families: FPM,
    title: 'worker output',
    literal: ' said into ',
    match: /^\[pool ([^\]\n]{1,256})\] child (\d{1,10}) said into (stdout|stderr): /,
    keys: (m) => ({ pool: m[1], pid: num(m[2]) }),
    // the payload is classified by classify.ts (P-/D- signals get this pool and pid)
    sample:
      '[12-Jan-2026 10:00:02] WARNING: [pool www] child 12348 said into stderr: "NOTICE: PHP message: PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/html/wp-content/object-cache.php:754"',
  }),
  S({
    id: 'F-STDERR',
    families: FPM,
    title: 'undecorated worker output (Docker images)',
    literal: 'PHP message: ',
    match: /^PHP message: /,
    keys: () => ({ variant: 'undecorated' }),
    sample: 'NOTICE: PHP message: PHP Warning:  Undefined variable $total in /var/www/html/cart.php on line 41',
  }),
  S({
    // systemd's own unit lines about the FPM service (journal or syslog, routed to php-fpm): §2.10, §5.28
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM service stopped or started by systemd',
    literal: 'fpm',
    match: /^(Stopping|Stopped|Starting|Started|Reloading|Reloaded) (?:php[\d.]{0,8}-fpm|php-fpm[\d.]{0,8})(?:\.service)?\b/,
    keys: (m) => {
      const verb = m[1] ?? '';
      const phase = verb.startsWith('Stop') ? 'stop' : verb === 'Starting' ? 'start' : verb === 'Started' || verb === 'Reloaded' ? 'ready' : 'reload';
      return { phase, variant: 'systemd' };
    },
    sample: 'Jan 12 10:00:01 web1 systemd[1]: Stopping php8.2-fpm.service - The PHP 8.2 FastCGI Process Manager...',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM reload',
    literal: 'eloading',
    match: /^(?:Reloading in progress|reloading: execvp\()/,
    keys: () => ({ phase: 'reload', signal: 'SIGUSR2' }),
    sample: '[12-Jan-2026 06:25:03] NOTICE: Reloading in progress ...',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM reload after a crash storm',
    literal: 'failed processes threshold',
    match: /^failed processes threshold \((\d{1,6}) in (\d{1,6}) sec\) is reached, initiating reload/,
    keys: () => ({ phase: 'reload', variant: 'emergency-restart' }),
    sample: '[12-Jan-2026 10:00:09] WARNING: failed processes threshold (10 in 60 sec) is reached, initiating reload',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM reusing an inherited socket',
    literal: 'using inherited socket fd=',
    match: /^using inherited socket fd=(\d{1,6}), "([^"\n]{1,1024})"/,
    keys: (m) => ({ phase: 'start', variant: 'inherited-socket', upstream: m[2] }),
    sample: '[12-Jan-2026 06:25:03] NOTICE: using inherited socket fd=7, "/run/php/php8.2-fpm.sock"',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM stopping',
    literal: 'ing ...',
    match: /^(Terminating|Finishing) \.\.\./,
    keys: (m) => ({ phase: 'stop', variant: m[1] === 'Finishing' ? 'graceful' : 'fast' }),
    sample: '[12-Jan-2026 10:05:00] NOTICE: Terminating ...',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM master exited',
    literal: 'exiting, bye-bye',
    match: /^exiting, bye-bye/,
    keys: () => ({ phase: 'exit' }),
    sample: '[12-Jan-2026 10:05:00] NOTICE: exiting, bye-bye!',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM master started',
    literal: 'fpm is running, pid ',
    match: /^fpm is running, pid (\d{1,10})/,
    keys: (m) => ({ phase: 'start', pid: num(m[1]) }),
    sample: '[12-Jan-2026 10:05:02] NOTICE: fpm is running, pid 4412',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM ready',
    literal: 'ready to handle connections',
    match: /^ready to handle connections/,
    keys: () => ({ phase: 'ready' }),
    sample: '[12-Jan-2026 10:05:02] NOTICE: ready to handle connections',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM could not bind its socket',
    literal: 'unable to bind listening socket for address ',
    match: /^unable to bind listening socket for address '([^'\n]{0,1024})'(?:: ([^(\n]{0,128}) \((\d{1,6})\))?/,
    keys: (m, r) => ({ phase: 'start', variant: 'bind-failed', upstream: m[1], errno: errnoOf(r, m[3], m[2]) }),
    sample:
      "[12-Jan-2026 10:05:02] ERROR: unable to bind listening socket for address '127.0.0.1:9000': Address already in use (98)",
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'another FPM instance listens already',
    literal: 'An another FPM instance seems to already listen on ',
    match: /^An another FPM instance seems to already listen on (\S{1,1024})/,
    keys: (m) => ({ phase: 'start', variant: 'duplicate', upstream: m[1] }),
    sample: '[12-Jan-2026 10:05:02] ERROR: An another FPM instance seems to already listen on /run/php/php8.2-fpm.sock',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM failed to start',
    literal: 'FPM initialization failed',
    match: /^FPM initialization failed/,
    keys: () => ({ phase: 'start', variant: 'init-failed' }),
    sample: '[12-Jan-2026 10:05:02] ERROR: FPM initialization failed',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM child failed to initialize',
    literal: 'child failed to initialize',
    match: /^\[pool ([^\]\n]{1,256})\] child failed to initialize/,
    keys: (m) => ({ phase: 'start', variant: 'child-init-failed', pool: m[1] }),
    sample: '[12-Jan-2026 10:05:03] ERROR: [pool www] child failed to initialize',
  }),
  S({
    id: 'F-LIFECYCLE',
    families: FPM,
    title: 'FPM fork() failed',
    literal: 'fork() failed',
    match: /^fork\(\) failed(?:: ([^(\n]{0,128}) \((\d{1,6})\))?/,
    keys: (m, r) => {
      const errno = errnoOf(r, m[2], m[1]);
      return { phase: 'start', variant: errno === 12 ? 'fork-enomem' : errno === 11 ? 'fork-nproc' : 'fork-failed', errno };
    },
    sample: '[12-Jan-2026 10:00:03] ERROR: fork() failed: Cannot allocate memory (12)',
  }),

  // ---------------------------------------------------------------- FPM slow log (§3.5)
  S({
    id: 'S-ENTRY',
    families: SLOW,
    title: 'slow request stack',
    // every slow-log entry is one: the empty literal is deliberate
    literal: '',
    match: /^/,
    keys: (_m, r) => {
      const frames = r.frames ?? [];
      const top = frames[0];
      const dep = top ? dependencyOf(top.fn, top.file) : undefined;
      const culprit = culpritOfFrames(frames);
      return {
        pid: r.childPid ?? r.pid,
        pool: r.pool,
        script: r.script ?? (r.message || undefined),
        fn: top?.fn,
        dependency: dep,
        variant: top ? dependencyClassOf(dep) : 'dump-failed',
        file: culprit?.file ?? top?.file,
        detail: top ? clip(`${top.fn}() ${top.file}:${top.line}`) : undefined,
      };
    },
    sample: [
      '[12-Jan-2026 10:00:06]  [pool www] pid 12344',
      'script_filename = /var/www/html/wp-cron.php',
      '[0x00007f3b8c0150f0] curl_exec() /var/www/html/wp-includes/Requests/src/Transport/Curl.php:205',
      '[0x00007f3b8c014ff0] request() /var/www/html/wp-includes/class-requests.php:469',
      '[0x00007f3b8c014e40] fetch_feed() /var/www/html/wp-content/plugins/rss-importer/importer.php:88',
      '[0x00007f3b8c014d90] [INCLUDE_OR_EVAL]() /var/www/html/wp-settings.php:560',
    ].join('\n'),
  }),

  // ---------------------------------------------------------------- PHP messages (§3.6), run on each PHP message
  S({
    id: 'P-MEMLIMIT',
    families: PHP,
    title: 'memory_limit exhausted',
    literal: 'Allowed memory size of ',
    match: /Allowed memory size of (\d{1,20}) bytes exhausted(?: at \S{1,1024}?)? \(tried to allocate (\d{1,20}) bytes\)/,
    keys: (m) => ({ bytes: num(m[1]) }),
    sample:
      '[12-Jan-2026 09:00:02 UTC] PHP Fatal error:  Allowed memory size of 268435456 bytes exhausted (tried to allocate 65536 bytes) in /var/www/html/wp-content/plugins/big-export/includes/class-exporter.php on line 412',
  }),
  S({
    id: 'P-OOM',
    families: PHP,
    title: 'PHP allocator out of memory',
    literal: 'Out of memory',
    // only as a PHP fatal error: the bare words also occur in kernel and application texts
    match: /[Ff]atal error: {1,2}Out of memory(?: \(allocated (\d{1,20})(?: bytes)?\)(?: at \S{1,1024}?)? \(tried to allocate (\d{1,20}) bytes\))?/,
    keys: (m) => ({ bytes: num(m[1]) }),
    sample:
      '[12-Jan-2026 09:00:03 UTC] PHP Fatal error:  Out of memory (allocated 1054867456 bytes) (tried to allocate 20480 bytes) in /var/www/html/vendor/phpoffice/phpspreadsheet/src/PhpSpreadsheet/Cell/Cell.php on line 212',
  }),
  S({
    id: 'P-MAXEXEC',
    families: PHP,
    title: 'max_execution_time exceeded',
    literal: 'Maximum execution time of ',
    match: /Maximum execution time of (\d{1,10})(?:\+(\d{1,10}))? seconds? exceeded( \(terminated\))?/,
    keys: (m) => ({ seconds: num(m[1]), variant: m[2] !== undefined || m[3] ? 'hard' : 'soft' }),
    sample:
      '[12-Jan-2026 09:00:31 UTC] PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/html/lib/Report.php on line 77',
  }),
  S({
    id: 'P-SESSION',
    families: PHP,
    title: 'session write failed',
    literal: 'rite failed: ',
    match: /[Ww]rite failed: ([^(\n]{1,128}) \((\d{1,6})\)/,
    keys: (m) => {
      const errno = linuxErrno(num(m[2]), m[1]);
      return { errno, variant: errno === 28 ? 'disk-full' : errno === 13 ? 'permission' : 'write-failed' };
    },
    sample:
      '[12-Jan-2026 09:00:05 UTC] PHP Warning:  Unknown: Write failed: No space left on device (28) in Unknown on line 0',
  }),
  S({
    id: 'P-SESSION',
    families: PHP,
    title: 'failed to write session data',
    literal: 'Failed to write session data',
    match: /Failed to write session data(?: \(([^)\n]{0,64})\))?/,
    keys: (m) => ({ variant: 'session-write', detail: m[1] }),
    sample:
      '[12-Jan-2026 09:00:05 UTC] PHP Warning:  Unknown: Failed to write session data (files). Please verify that the current setting of session.save_path is correct (/var/lib/php/sessions) in Unknown on line 0',
  }),
  S({
    id: 'P-FILES',
    families: PHP,
    title: 'PHP: too many open files',
    literal: 'Too many open files',
    match: /Too many open files/,
    keys: () => ({ errno: 24, variant: 'emfile' }),
    sample:
      '[12-Jan-2026 09:00:06 UTC] PHP Warning:  fopen(/var/www/html/storage/cache/a1/b2/c3.cache): Failed to open stream: Too many open files in /var/www/html/vendor/illuminate/filesystem/Filesystem.php on line 204',
  }),
  S({
    id: 'P-FILES',
    families: PHP,
    title: 'PHP: no space left on device',
    literal: 'No space left on device',
    match: /No space left on device/,
    keys: () => ({ errno: 28, variant: 'enospc' }),
    sample:
      '[12-Jan-2026 09:00:06 UTC] PHP Warning:  file_put_contents(/var/www/html/wp-content/cache/page/index.html): Failed to open stream: No space left on device in /var/www/html/wp-content/plugins/fast-cache/cache.php on line 96',
  }),
  S({
    id: 'P-FATAL',
    families: PHP,
    title: 'PHP fatal error',
    literal: 'atal error: ',
    match: /(Recoverable fatal|Fatal) error: {1,2}(Uncaught )?/,
    keys: (m) => ({ variant: m[1] === 'Fatal' ? (m[2] ? 'uncaught' : 'fatal') : 'recoverable' }),
    sample:
      "[12-Jan-2026 09:00:07 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/legacy/db.php:14",
  }),
  S({
    id: 'P-FATAL',
    families: PHP,
    title: 'PHP parse error',
    literal: 'Parse error: ',
    match: /Parse error: {1,2}/,
    keys: () => ({ variant: 'parse' }),
    sample:
      "[12-Jan-2026 09:00:08 UTC] PHP Parse error:  syntax error, unexpected token \"}\", expecting \";\" in /var/www/html/wp-content/themes/storefront-child/functions.php on line 57",
  }),

  // ---------------------------------------------------------------- dependency texts (§3.7), run on each PHP message
  S({
    // MySQL/MariaDB 'Errcode: 28' is the database's disk that is full (§5.22): disk-full, not availability
    id: 'D-DB',
    families: PHP,
    title: 'database: disk full',
    literal: 'Errcode: 28',
    match: /Errcode: 28\b/,
    keys: () => ({ variant: 'disk-full', errno: 28 }),
    sample:
      "[12-Jan-2026 09:01:00 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000]: General error: 3 Error writing file '/tmp/MYfd=42' (Errcode: 28 - No space left on device) in /var/www/app/vendor/doctrine/dbal/src/Driver/PDO/Connection.php:33",
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: too many connections',
    literal: 'oo many connections',
    match: /[Tt]oo many connections/,
    keys: () => ({ variant: 'too-many-connections' }),
    sample:
      '[12-Jan-2026 09:01:00 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[08004] [1040] Too many connections in /var/www/app/vendor/doctrine/dbal/src/Driver/PDO/Connection.php:33',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: too many clients (PostgreSQL)',
    literal: 'too many clients already',
    match: /too many clients already/,
    keys: () => ({ variant: 'too-many-connections' }),
    sample:
      '[12-Jan-2026 09:01:00 UTC] PHP Warning:  pg_connect(): Unable to connect to PostgreSQL server: FATAL:  sorry, too many clients already in /var/www/html/includes/db.php on line 12',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: server has gone away',
    literal: 'gone away',
    match: /(?:MySQL |MariaDB )?server has gone away/,
    keys: () => ({ variant: 'gone-away' }),
    sample:
      '[12-Jan-2026 09:01:01 UTC] PHP Warning:  mysqli_query(): MySQL server has gone away in /var/www/html/wp-includes/class-wpdb.php on line 2351',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: error while sending packet',
    literal: 'Error while sending ',
    match: /Error while sending (\w{1,32}) packet/,
    keys: (m) => ({ variant: 'gone-away', detail: m[1] }),
    sample:
      '[12-Jan-2026 09:01:01 UTC] PHP Warning:  Error while sending QUERY packet. PID=12350 in /var/www/html/wp-includes/class-wpdb.php on line 2351',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: packets out of order',
    literal: 'Packets out of order',
    match: /Packets out of order/,
    keys: () => ({ variant: 'gone-away' }),
    sample:
      '[12-Jan-2026 09:01:01 UTC] PHP Warning:  Packets out of order. Expected 1 received 0. Packet size=145 in /var/www/html/lib/Db.php on line 58',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: lost connection during query',
    literal: 'Lost connection to ',
    match: /Lost connection to (?:MySQL|MariaDB|server)/,
    keys: () => ({ variant: 'lost-connection' }),
    sample:
      '[12-Jan-2026 09:01:02 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000]: General error: 2013 Lost connection to MySQL server during query in /var/www/app/vendor/laravel/framework/src/Illuminate/Database/Connection.php:592',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: access denied',
    literal: 'Access denied for user',
    match: /Access denied for user/,
    keys: () => ({ variant: 'auth' }),
    sample:
      "[12-Jan-2026 09:01:03 UTC] PHP Warning:  mysqli_real_connect(): (HY000/1045): Access denied for user 'wp'@'localhost' (using password: YES) in /var/www/html/wp-includes/class-wpdb.php on line 1982",
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: authentication failed (PostgreSQL)',
    literal: 'authentication failed for user',
    match: /(?:password|Ident|peer) authentication failed for user/,
    keys: () => ({ variant: 'auth' }),
    sample:
      '[12-Jan-2026 09:01:03 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[08006] [7] connection to server at "10.0.3.4", port 5432 failed: FATAL:  password authentication failed for user "shop" in /var/www/shop/src/Db.php:22',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: lock wait timeout / deadlock',
    literal: 'ock',
    match: /Lock wait timeout exceeded|Deadlock found/,
    keys: () => ({ variant: 'lock' }),
    sample:
      '[12-Jan-2026 09:01:04 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000]: General error: 1205 Lock wait timeout exceeded; try restarting transaction in /var/www/app/vendor/laravel/framework/src/Illuminate/Database/Connection.php:580',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: connect failed (PDO)',
    literal: 'SQLSTATE[',
    match: /SQLSTATE\[\w{5}\]:? [^[\n]{0,80}?\[(200[2356]|2013|1040|1045)\] ?([^\n]{0,300})/,
    keys: (m) => ({ variant: dbVariantOfCode(num(m[1]), m[2] ?? '') }),
    sample:
      '[12-Jan-2026 09:01:05 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:70',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: connect failed (mysqli)',
    literal: '(HY000/',
    match: /\(HY000\/(200[2356]|2013|1040|1045|1203|1205|1213)\): ([^\n]{0,300})/,
    keys: (m) => ({ variant: dbVariantOfCode(num(m[1]), m[2] ?? '') }),
    sample:
      '[12-Jan-2026 09:01:06 UTC] PHP Warning:  mysqli_real_connect(): (HY000/2002): No such file or directory in /var/www/html/wp-includes/class-wpdb.php on line 1982',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: connect failed (mysqli/pgsql, name lookup)',
    literal: 'connect(): ',
    match: /(?:mysqli?_(?:real_)?connect|mysqli::real_connect|pg_p?connect)\(\): ([^\n]{0,300})/,
    keys: (m) => ({ variant: dbVariantOfText(m[1] ?? '') }),
    sample:
      '[12-Jan-2026 09:01:07 UTC] PHP Warning:  mysqli_real_connect(): php_network_getaddresses: getaddrinfo for db.internal failed: Name or service not known in /var/www/html/wp-includes/class-wpdb.php on line 1982',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: connect failed (PostgreSQL)',
    literal: 'to server',
    match: /(?:connection to server (?:at|on socket) "[^"\n]{0,256}"[^\n]{0,128}? failed|could not connect to server): ([^\n]{0,300})/,
    keys: (m) => ({ variant: dbVariantOfText(m[1] ?? '') }),
    sample:
      '[12-Jan-2026 09:01:08 UTC] PHP Fatal error:  Uncaught PDOException: SQLSTATE[08006] [7] connection to server at "10.0.3.4", port 5432 failed: Connection refused in /var/www/shop/src/Db.php:22',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: host name not resolvable (PostgreSQL)',
    literal: 'could not translate host name',
    match: /could not translate host name "([^"\n]{0,256})"/,
    keys: (m) => ({ variant: 'dns', detail: m[1] }),
    sample:
      '[12-Jan-2026 09:01:09 UTC] PHP Warning:  pg_connect(): Unable to connect to PostgreSQL server: could not translate host name "postgres" to address: Temporary failure in name resolution in /var/www/html/db.php on line 9',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'database: server closed the connection (PostgreSQL)',
    literal: 'server closed the connection unexpectedly',
    match: /server closed the connection unexpectedly/,
    keys: () => ({ variant: 'lost-connection' }),
    sample:
      '[12-Jan-2026 09:01:10 UTC] PHP Warning:  pg_query(): Query failed: server closed the connection unexpectedly in /var/www/html/report.php on line 31',
  }),
  S({
    id: 'D-DB',
    families: PHP,
    title: 'WordPress: error establishing a database connection',
    literal: 'Error establishing a database connection',
    match: /Error establishing a database connection/,
    keys: () => ({ variant: 'refused' }),
    sample: '[12-Jan-2026 09:01:11 UTC] Error establishing a database connection',
  }),
  S({
    id: 'D-REDIS',
    families: PHP,
    title: 'Redis error (phpredis)',
    literal: 'Redis',
    match: /Redis(?:Cluster)?Exception:? ([^\n]{0,300})/,
    keys: (m) => ({ variant: cacheVariantOfText(m[1] ?? '') }),
    sample:
      '[12-Jan-2026 09:02:00 UTC] PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/html/wp-content/object-cache.php:754',
  }),
  S({
    id: 'D-REDIS',
    families: PHP,
    title: 'Redis error (Predis)',
    literal: 'Predis\\',
    match: /Predis\\[\w\\]{0,100}Exception:? ([^\n]{0,300})/,
    keys: (m) => ({ variant: cacheVariantOfText(m[1] ?? '') }),
    sample:
      '[12-Jan-2026 09:02:01 UTC] PHP Fatal error:  Uncaught Predis\\Connection\\ConnectionException: Connection timed out [tcp://10.0.4.7:6379] in /var/www/app/vendor/predis/predis/src/Connection/AbstractConnection.php:155',
  }),
  S({
    id: 'D-REDIS',
    families: PHP,
    title: 'Redis read error',
    literal: 'read error on connection',
    match: /read error on connection(?: to ([^\n\s]{1,256}))?/,
    keys: (m) => ({ variant: 'read-error', detail: m[1] }),
    sample:
      '[12-Jan-2026 09:02:02 UTC] PHP Warning:  Redis::get(): read error on connection to 127.0.0.1:6379 in /var/www/html/lib/Cache.php on line 40',
  }),
  S({
    id: 'D-REDIS',
    families: PHP,
    title: 'Redis maxmemory reached',
    literal: 'OOM command not allowed',
    match: /OOM command not allowed/,
    keys: () => ({ variant: 'oom' }),
    sample:
      "[12-Jan-2026 09:02:03 UTC] PHP Warning:  Redis::set(): OOM command not allowed when used memory > 'maxmemory'. in /var/www/html/lib/Cache.php on line 52",
  }),
  S({
    id: 'D-MEMCACHED',
    families: PHP,
    title: 'Memcached error',
    literal: 'Memcache',
    match: /Memcache(?:d|Pool)?::\w{1,40}\(\): ([^\n]{0,300})/,
    keys: (m) => ({ variant: cacheVariantOfText(m[1] ?? '') }),
    sample:
      '[12-Jan-2026 09:03:00 UTC] PHP Notice:  MemcachePool::get(): Server 127.0.0.1 (tcp 11211, udp 0) failed with: Connection refused (111) in /var/www/html/includes/cache.php on line 77',
  }),
  S({
    id: 'D-MEMCACHED',
    families: PHP,
    title: 'Memcached result code',
    literal: 'SERVER IS MARKED DEAD',
    match: /SERVER IS MARKED DEAD/,
    keys: () => ({ variant: 'dead' }),
    sample: '[12-Jan-2026 09:03:01 UTC] Memcached getMulti failed: SERVER IS MARKED DEAD',
  }),
  S({
    id: 'D-MEMCACHED',
    families: PHP,
    title: 'Memcached result code (timeout)',
    literal: 'A TIMEOUT OCCURRED',
    match: /A TIMEOUT OCCURRED/,
    keys: () => ({ variant: 'timeout' }),
    sample: '[12-Jan-2026 09:03:02 UTC] Memcached set failed: A TIMEOUT OCCURRED',
  }),
  S({
    id: 'D-HTTP',
    families: PHP,
    title: 'HTTP call failed (cURL)',
    literal: 'cURL error ',
    match: /cURL error (\d{1,3}): ([^\n]{0,300})/,
    keys: (m) => {
      const text: string = m[2] ?? '';
      const ms = /after (\d{1,10}) milliseconds/.exec(text);
      const host = /(?:resolve host|connect to):? ([\w.-]{1,253})/.exec(text);
      return {
        variant: curlVariant(num(m[1]), text),
        seconds: ms?.[1] ? Number(ms[1]) / 1000 : undefined,
        detail: host?.[1],
      };
    },
    sample:
      '[12-Jan-2026 09:04:00 UTC] PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\ConnectException: cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for https://api.payments.example/v1/charge in /var/www/app/vendor/guzzlehttp/guzzle/src/Handler/CurlFactory.php:210',
  }),
  S({
    id: 'D-HTTP',
    families: PHP,
    title: 'HTTP call timed out (curl text)',
    literal: 'timed out after ',
    match: /(Operation|Connection|Resolving) timed out after (\d{1,10}) milliseconds/,
    keys: (m) => ({ variant: m[1] === 'Resolving' ? 'dns' : 'timeout', seconds: Number(m[2]) / 1000 }),
    sample:
      '[12-Jan-2026 09:04:01 UTC] Feed import failed: Connection timed out after 10001 milliseconds',
  }),
  S({
    id: 'D-HTTP',
    families: PHP,
    title: 'HTTP call failed (name lookup)',
    literal: 'Could not resolve host',
    match: /Could not resolve host:? ([\w.-]{1,253})/,
    keys: (m) => ({ variant: 'dns', detail: m[1] }),
    sample: '[12-Jan-2026 09:04:02 UTC] Webhook delivery error: Could not resolve host: hooks.partner.example',
  }),
  S({
    id: 'D-HTTP',
    families: PHP,
    title: 'HTTP call failed (stream wrapper)',
    literal: 'ailed to open stream: ',
    match: /(?:file_get_contents|fopen|file|copy)\((https?:\/\/[^)\s]{1,1024})\): [Ff]ailed to open stream: ([^\n]{0,300})/,
    keys: (m) => ({ variant: httpVariantOfText(m[2] ?? ''), detail: clip(m[1]) }),
    sample:
      '[12-Jan-2026 09:04:03 UTC] PHP Warning:  file_get_contents(https://api.exchange.example/latest.json): Failed to open stream: HTTP request failed! HTTP/1.1 503 Service Unavailable in /var/www/html/wp-content/plugins/currency-rates/rates.php on line 31',
  }),
  S({
    id: 'D-HTTP',
    families: PHP,
    title: 'network name lookup failed',
    literal: 'php_network_getaddresses',
    match: /php_network_getaddresses: getaddrinfo(?: for ([\w.-]{1,253}))? failed: ([^\n]{0,200})/,
    keys: (m) => ({ variant: 'dns', detail: m[1] }),
    sample:
      '[12-Jan-2026 09:04:04 UTC] PHP Warning:  fsockopen(): php_network_getaddresses: getaddrinfo for smtp.mail.example failed: Temporary failure in name resolution in /var/www/html/lib/Mailer.php on line 120',
  }),

  // ---------------------------------------------------------------- kernel (§3.8)
  S({
    id: 'K-OOM',
    families: KERNEL,
    title: 'OOM killer killed a process',
    literal: ' process ',
    match:
      /(?:(Out of memory|Memory cgroup out of memory)(?: \([^)\n]{0,64}\))?: )?Kill(?:ed)? process (\d{1,10})(?:, UID \d{1,10},)? \(([^)\n]{0,64})\)(?: score (\d{1,10}) or sacrifice child| total-vm:(\d{1,20})kB, anon-rss:(\d{1,20})kB)?/,
    keys: (m) => ({
      pid: num(m[2]),
      comm: m[3],
      bytes: m[6] !== undefined ? Number(m[6]) * 1024 : undefined,
      variant: 'kill',
      detail: m[1] === 'Memory cgroup out of memory' ? 'memcg' : 'global',
    }),
    sample:
      'Jan 12 10:00:04 web1 kernel: [812345.678901] Out of memory: Killed process 12345 (php-fpm8.2) total-vm:1023456kB, anon-rss:612340kB, file-rss:0kB, shmem-rss:12345kB, UID:33 pgtables:1480kB oom_score_adj:0',
  }),
  S({
    id: 'K-OOM',
    families: KERNEL,
    title: 'OOM kill in a memory cgroup (older kernels)',
    literal: ' killed as a result of limit of ',
    match: /Task in (\S{1,512}) killed as a result of limit of (\S{1,512})/,
    keys: (m) => ({ variant: 'summary', detail: m[1] }),
    sample: 'Jan 12 10:00:04 web1 kernel: [812345.678700] Task in /docker/4f1c2a9e0b7d killed as a result of limit of /docker/4f1c2a9e0b7d',
  }),
  S({
    id: 'K-OOM',
    families: KERNEL,
    title: 'OOM kill summary',
    literal: 'task_memcg=',
    match: /task_memcg=([^,=\n]{0,512}),task=([^,=\n]{0,64}),pid=(\d{1,10})/,
    keys: (m) => ({ pid: num(m[3]), comm: m[2], variant: 'summary', detail: m[1] }),
    sample:
      'Jan 12 10:00:04 web1 kernel: [812345.678850] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/php8.2-fpm.service,task=php-fpm8.2,pid=12345,uid=33',
  }),
  S({
    id: 'K-OOM',
    families: KERNEL,
    title: 'OOM killer invoked',
    literal: ' invoked oom-killer: ',
    // the lookbehind starts attempts only at a token start: a long token is scanned once, not once per offset
    match: /(?<![^\s\]])([^\s\[\]]{1,64}) invoked oom-killer: /,
    keys: (m) => ({ comm: m[1], variant: 'invoked' }),
    sample:
      'Jan 12 10:00:04 web1 kernel: [812345.670001] php-fpm8.2 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
  }),
  S({
    id: 'K-OOM',
    families: KERNEL,
    title: 'OOM reaper',
    literal: 'oom_reaper: reaped process ',
    match: /oom_reaper: reaped process (\d{1,10}) \(([^)\n]{0,64})\)/,
    keys: (m) => ({ pid: num(m[1]), comm: m[2], variant: 'reaped' }),
    sample:
      'Jan 12 10:00:04 web1 kernel: [812345.699001] oom_reaper: reaped process 12345 (php-fpm8.2), now anon-rss:0kB, file-rss:0kB, shmem-rss:12345kB',
  }),
  S({
    id: 'K-OOM',
    families: KERNEL,
    title: 'systemd: unit process killed by the OOM killer',
    literal: 'killed by the OOM killer',
    match: /^(\S{1,256}): A process of this unit has been killed by the OOM killer/,
    keys: (m) => ({ variant: 'systemd', detail: m[1] }),
    sample: 'Jan 12 10:00:04 web1 systemd[1]: php8.2-fpm.service: A process of this unit has been killed by the OOM killer.',
  }),
  S({
    id: 'K-SEGV',
    families: KERNEL,
    title: 'user-space segfault',
    literal: ']: segfault at ',
    match: /(?<![^\s\]])([^\s\[\]]{1,64})\[(\d{1,10})\]: segfault at ([0-9a-f]{1,16}) ip ([0-9a-f]{1,16}) sp ([0-9a-f]{1,16}) error (\d{1,4})(?: in ([^\[\s]{1,256})\[)?/,
    keys: (m) => ({ comm: m[1], pid: num(m[2]), signal: 'SIGSEGV', variant: 'segfault', detail: m[7] }),
    sample:
      'Jan 12 10:00:04 web1 kernel: [812345.700001] php-fpm8.2[12346]: segfault at 18 ip 000055d0c3a1b2c3 sp 00007ffd2f1a0b40 error 4 in opcache.so[7f1a2c400000+1bd000] likely on CPU 1 (core 1, socket 0)',
  }),
  S({
    id: 'K-SEGV',
    families: KERNEL,
    title: 'user-space trap',
    literal: 'traps: ',
    match: /traps: ([^\s\[\]]{1,64})\[(\d{1,10})\] (general protection fault|trap [a-z ]{1,40}?) ip:\S{1,32} sp:\S{1,32} error:\S{1,16}(?: in ([^\[\s]{1,256})\[)?/,
    keys: (m) => ({
      comm: m[1],
      pid: num(m[2]),
      signal: m[3] === 'general protection fault' ? 'SIGSEGV' : m[3] === 'trap invalid opcode' ? 'SIGILL' : 'SIGTRAP',
      variant: m[3] === 'general protection fault' ? 'gpf' : 'trap',
      detail: m[4],
    }),
    sample:
      'Jan 12 10:00:04 web1 kernel: [812345.710001] traps: php-fpm8.2[12349] general protection fault ip:7f1a2c4a1b2c sp:7ffd2f1a0c00 error:0 in redis.so[7f1a2c480000+5c000]',
  }),
  S({
    id: 'K-AUDIT',
    families: KERNEL,
    title: 'SELinux denial',
    literal: 'avc:',
    match: /avc: {1,2}denied {1,2}\{ ([a-z_ ]{1,200}) \} for {1,2}pid=(\d{1,10}) comm="([^"\n]{0,64})"/,
    keys: (m, r) => {
      const tclass = /tclass=(\w{1,64})/.exec(r.message);
      const dest = /dest=(\d{1,5})/.exec(r.message);
      return {
        pid: num(m[2]),
        comm: m[3],
        variant: (m[1] ?? '').trim(),
        detail: [tclass?.[1], dest?.[1] ? `dest=${dest[1]}` : undefined].filter(Boolean).join(' ') || undefined,
      };
    },
    sample:
      'Jan 12 10:00:01 web1 kernel: [812300.100001] audit: type=1400 audit(1768208401.123:456): avc:  denied  { name_connect } for  pid=1234 comm="nginx" dest=9000 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:unreserved_port_t:s0 tclass=tcp_socket permissive=0',
  }),
  S({
    id: 'K-OTHER',
    families: KERNEL,
    title: 'SYN flood / listen backlog overflow',
    literal: 'Possible SYN flooding on port ',
    match: /Possible SYN flooding on port (?:\[?[0-9a-f.:]{0,45}\]?:)?(\d{1,5})/,
    keys: (m) => ({ variant: 'syn-flood', detail: m[1] }),
    sample:
      'Jan 12 10:00:02 web1 kernel: [812340.000001] TCP: request_sock_TCP: Possible SYN flooding on port 9000. Sending cookies.  Check SNMP counters.',
  }),
  S({
    id: 'K-OTHER',
    families: KERNEL,
    title: 'TIME_WAIT bucket table overflow',
    literal: 'time wait bucket table overflow',
    match: /time wait bucket table overflow/,
    keys: () => ({ variant: 'tw-overflow' }),
    sample: 'Jan 12 10:00:02 web1 kernel: [812340.100001] TCP: time wait bucket table overflow',
  }),
  S({
    id: 'K-OTHER',
    families: KERNEL,
    title: 'system-wide file limit reached',
    literal: 'file-max limit',
    match: /VFS: file-max limit (\d{1,20}) reached/,
    keys: (m) => ({ variant: 'file-max', errno: 23, detail: m[1] }),
    sample: 'Jan 12 10:00:02 web1 kernel: [812340.200001] VFS: file-max limit 65536 reached',
  }),
  S({
    id: 'K-OTHER',
    families: KERNEL,
    title: 'conntrack table full',
    literal: 'table full, dropping packet',
    match: /nf_conntrack: (?:nf_conntrack: )?table full, dropping packet/,
    keys: () => ({ variant: 'conntrack-full' }),
    sample: 'Jan 12 10:00:02 web1 kernel: [812340.300001] nf_conntrack: nf_conntrack: table full, dropping packet',
  }),
];
