import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apacheError } from '../../src/formats/apache-error.js';
import { nginxError } from '../../src/formats/nginx-error.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord } from '../../src/formats/types.js';
import { linesOf, parseLines } from '../helpers.js';

const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number): number =>
  Date.UTC(y, mo - 1, d, h, mi, s);

function events(lines: readonly string[], tz = 'UTC'): { records: EventRecord[]; results: LineResult[] } {
  const { records, results } = parseLines(nginxError, lines, { tz });
  return { records: records.filter((r): r is EventRecord => r.kind === 'event'), results };
}

/** [what, line, expected fields] — one physical line, one record */
const singleLines: [string, string, Partial<EventRecord>][] = [
  [
    'connect() failed (111) to a TCP FastCGI upstream',
    '2026/01/12 10:00:01 [error] 1234#1234: *5678 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "example.com"',
    {
      family: 'nginx-error',
      time: utc(2026, 1, 12, 10, 0, 1),
      level: 'error',
      pid: 1234,
      connection: 5678,
      message: 'connect() failed (111: Connection refused)',
      errno: 111,
      errnoText: 'Connection refused',
      action: 'connecting to upstream',
      client: '203.0.113.7',
      server: 'example.com',
      request: 'GET /index.php HTTP/1.1',
      upstream: 'fastcgi://127.0.0.1:9000',
      vhost: 'example.com',
    },
  ],
  [
    'connect() to a unix socket (111), upstream with the trailing colon',
    '2026/02/03 07:14:22 [error] 2210#2210: *90211 connect() to unix:/run/php/php8.2-fpm.sock failed (111: Connection refused) while connecting to upstream, client: 198.51.100.9, server: blog.example.net, request: "GET /wp-login.php HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "blog.example.net"',
    {
      level: 'error',
      message: 'connect() to unix:/run/php/php8.2-fpm.sock failed (111: Connection refused)',
      errno: 111,
      upstream: 'fastcgi://unix:/run/php/php8.2-fpm.sock:',
      vhost: 'blog.example.net',
      request: 'GET /wp-login.php HTTP/2.0',
    },
  ],
  [
    'EAGAIN on the socket (backlog full)',
    '2026/02/03 07:14:23 [error] 2210#2210: *90230 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 192.0.2.44, server: blog.example.net, request: "GET /feed/ HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "blog.example.net"',
    { errno: 11, errnoText: 'Resource temporarily unavailable', action: 'connecting to upstream', client: '192.0.2.44' },
  ],
  [
    'EAGAIN as musl prints it',
    '2026/02/03 07:14:23 [error] 31#31: *12 connect() to unix:/var/run/php-fpm.sock failed (11: Operation would block) while connecting to upstream, client: 172.18.0.1, server: _, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/var/run/php-fpm.sock:", host: "localhost:8080"',
    { errno: 11, errnoText: 'Operation would block', server: '_', vhost: 'localhost:8080' },
  ],
  [
    'EACCES on the socket is [crit]',
    '2026/03/09 22:05:40 [crit] 977#977: *3 connect() to unix:/run/php/php-fpm.sock failed (13: Permission denied) while connecting to upstream, client: 10.20.0.5, server: intranet.local, request: "GET /status HTTP/1.1", upstream: "fastcgi://unix:/run/php/php-fpm.sock:", host: "intranet.local"',
    { level: 'crit', errno: 13, errnoText: 'Permission denied', client: '10.20.0.5' },
  ],
  [
    'missing socket (2) is [crit]',
    '2026/03/09 22:06:01 [crit] 977#977: *8 connect() to unix:/run/php/php7.4-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 10.20.0.5, server: intranet.local, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php/php7.4-fpm.sock:", host: "intranet.local"',
    { level: 'crit', errno: 2, message: 'connect() to unix:/run/php/php7.4-fpm.sock failed (2: No such file or directory)' },
  ],
  [
    'ephemeral ports exhausted (99)',
    '2026/04/18 13:30:12 [crit] 5120#5120: *1182736 connect() to 127.0.0.1:9000 failed (99: Cannot assign requested address) while connecting to upstream, client: 203.0.113.201, server: api.example.com, request: "POST /v2/events HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "api.example.com"',
    { errno: 99, errnoText: 'Cannot assign requested address', connection: 1182736 },
  ],
  [
    'errno text "Unknown error" (nginx < 1.19.8 with new glibc)',
    '2020/11/02 08:41:17 [error] 3301#3301: *77 connect() failed (111: Unknown error) while connecting to upstream, client: 192.0.2.9, server: www.example.com, request: "GET /health HTTP/1.1", upstream: "http://10.0.3.12:8080/health", host: "www.example.com"',
    { errno: 111, errnoText: 'Unknown error', upstream: 'http://10.0.3.12:8080/health' },
  ],
  [
    'read timeout with a referrer',
    '2026/01/12 10:01:01 [error] 1234#1234: *5690 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: example.com, request: "POST /wp-admin/admin-ajax.php HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com", referrer: "https://example.com/wp-admin/"',
    {
      message: 'upstream timed out (110: Connection timed out)',
      errno: 110,
      action: 'reading response header from upstream',
      referrer: 'https://example.com/wp-admin/',
      vhost: 'example.com',
    },
  ],
  [
    'prematurely closed, no errno',
    '2026/01/12 10:00:05 [error] 1234#1234: *5701 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.7, server: example.com, request: "GET /report HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"',
    { message: 'upstream prematurely closed connection', errno: undefined, errnoText: undefined, action: 'reading response header from upstream' },
  ],
  [
    'recv() reset (104)',
    '2026/05/21 16:44:09 [error] 18#18: *40213 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 172.16.4.20, server: app.example.io, request: "GET /export/csv?month=2026-04 HTTP/1.1", upstream: "fastcgi://172.16.4.3:9000", host: "app.example.io", referrer: "https://app.example.io/reports"',
    { errno: 104, request: 'GET /export/csv?month=2026-04 HTTP/1.1', upstream: 'fastcgi://172.16.4.3:9000' },
  ],
  [
    'too big header',
    '2026/06/30 11:02:45 [error] 4410#4410: *302 upstream sent too big header while reading response header from upstream, client: 198.51.100.61, server: shop.example.com, request: "GET /checkout HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.3-fpm.sock:", host: "shop.example.com"',
    { message: 'upstream sent too big header', action: 'reading response header from upstream' },
  ],
  [
    'no live upstreams names the group',
    '2026/01/12 10:00:03 [error] 1234#1234: *5740 no live upstreams while connecting to upstream, client: 203.0.113.7, server: api.example.com, request: "GET /v1/items?page=2 HTTP/1.1", upstream: "http://backend/v1/items?page=2", host: "api.example.com"',
    { message: 'no live upstreams', action: 'connecting to upstream', upstream: 'http://backend/v1/items?page=2' },
  ],
  [
    'limiting requests',
    '2026/07/04 03:12:55 [error] 612#612: *88130 limiting requests, excess: 20.640 by zone "perip", client: 192.0.2.200, server: example.com, request: "GET /wp-login.php HTTP/1.1", host: "example.com"',
    { message: 'limiting requests, excess: 20.640 by zone "perip"', action: undefined, client: '192.0.2.200' },
  ],
  [
    'worker_connections are not enough ([alert], while connecting)',
    '2026/01/12 10:00:01 [alert] 1234#1234: *99881 768 worker_connections are not enough while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "example.com"',
    { level: 'alert', message: '768 worker_connections are not enough', action: 'connecting to upstream' },
  ],
  [
    'worker killed by signal 9',
    '2026/01/12 10:01:09 [alert] 812#812: worker process 1234 exited on signal 9',
    { level: 'alert', pid: 812, connection: undefined, message: 'worker process 1234 exited on signal 9' },
  ],
  [
    'worker crash with core dump keeps its parenthesis in the message',
    '2026/01/12 10:01:09 [alert] 812#812: worker process 1301 exited on signal 11 (core dumped)',
    { message: 'worker process 1301 exited on signal 11 (core dumped)', errno: undefined },
  ],
  [
    'reload',
    '2026/01/12 09:59:58 [notice] 812#812: signal 1 (SIGHUP) received from 30215, reconfiguring',
    { level: 'notice', message: 'signal 1 (SIGHUP) received from 30215, reconfiguring', client: undefined },
  ],
  [
    '[emerg] host not found in upstream, tid 0',
    '2026/08/15 06:00:00 [emerg] 1#0: host not found in upstream "php:9000" in /etc/nginx/conf.d/default.conf:14',
    { level: 'emerg', pid: 1, message: 'host not found in upstream "php:9000" in /etc/nginx/conf.d/default.conf:14' },
  ],
  [
    'invalid header line with \\xHH bytes (info, 400)',
    '2026/02/11 19:20:31 [info] 920#920: *7714 client sent invalid header line: "X-Custom\\xC3" while reading client request headers, client: 203.0.113.99, server: www.example.com, request: "GET / HTTP/1.1"',
    {
      level: 'info',
      message: 'client sent invalid header line: "X-Custom\\xC3"',
      action: 'reading client request headers',
      request: 'GET / HTTP/1.1',
      vhost: undefined,
    },
  ],
  [
    'accept4() without a client',
    '2026/01/12 10:00:01 [crit] 1234#1234: accept4() failed (24: Too many open files) while accepting new connection on 0.0.0.0:443',
    { message: 'accept4() failed (24: Too many open files)', errno: 24, action: 'accepting new connection on 0.0.0.0:443', client: undefined },
  ],
  [
    'resolver rcode is not an errno',
    '2026/01/12 10:00:01 [error] 31#31: *12 php could not be resolved (3: Host not found), client: 172.18.0.1, server: localhost, request: "GET / HTTP/1.1", host: "localhost:8080"',
    { message: 'php could not be resolved (3: Host not found)', errno: undefined, errnoText: 'Host not found', vhost: 'localhost:8080' },
  ],
  [
    'IPv6 client and an empty server',
    '2026/09/01 00:00:07 [error] 77#77: *4 open() "/srv/www/favicon.ico" failed (2: No such file or directory), client: 2001:db8:85a3::8a2e:370:7334, server: , request: "GET /favicon.ico HTTP/1.1", host: "[2001:db8::1]"',
    { client: '2001:db8:85a3::8a2e:370:7334', server: '', errno: 2, vhost: '[2001:db8::1]' },
  ],
  [
    'a request line with quotes and a fake key is cut at the first real key',
    '2026/09/01 00:00:08 [error] 77#77: *5 access forbidden by rule, client: 192.0.2.8, server: www.example.com, request: "GET /?q="x" HTTP/1.1", host: "www.example.com", referrer: "https://evil.example/"x""',
    { request: 'GET /?q="x" HTTP/1.1', vhost: 'www.example.com', referrer: 'https://evil.example/"x"' },
  ],
  [
    'nginx: [emerg] startup line on stderr has no time',
    'nginx: [emerg] host not found in upstream "php:9000" in /etc/nginx/conf.d/default.conf:14',
    { level: 'emerg', message: 'host not found in upstream "php:9000" in /etc/nginx/conf.d/default.conf:14', pid: undefined },
  ],
  [
    'unknown action text is not cut from a context-less message',
    '2026/01/12 10:00:01 [warn] 900#900: the "http2_max_field_size" directive is obsolete, use the "large_client_header_buffers" directive instead while reading things',
    { message: 'the "http2_max_field_size" directive is obsolete, use the "large_client_header_buffers" directive instead while reading things', action: undefined },
  ],
];

describe('nginx-error: one-line entries', () => {
  it.each(singleLines)('%s', (_what, line, expected) => {
    const { records, results } = events([line]);
    expect(results).toEqual([LineResult.Record]);
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r).toMatchObject({ kind: 'event', family: 'nginx-error', origin: { source: 'test.log', line: 1 }, raw: line });
    for (const [k, v] of Object.entries(expected)) expect(r[k as keyof EventRecord], k).toEqual(v);
  });

  it('startup lines on stderr have no time', () => {
    const { records } = events(['nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)']);
    expect(Number.isNaN(records[0]!.time)).toBe(true);
    expect(records[0]!.errno).toBe(98);
  });

  it('reads the zone-less stamp in the given zone', () => {
    const { records } = events(['2026/07/01 12:00:00 [error] 5#5: *1 upstream prematurely closed connection while reading upstream, client: 192.0.2.1, server: x, request: "GET / HTTP/1.1", upstream: "http://10.0.0.2:80/", host: "x"'], 'Europe/Berlin');
    expect(records[0]!.time).toBe(utc(2026, 7, 1, 10, 0, 0));
  });
});

describe('nginx-error: FastCGI stderr and multi-line entries', () => {
  const trace = linesOf(`
    2026/01/12 10:00:02 [error] 1234#1234: *5730 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/app/src/Cache.php:27
    Stack trace:
    #0 /var/www/app/src/Cache.php(27): Redis->connect('redis', 6379, 2.5)
    #1 /var/www/app/public/index.php(9): App\\Cache::boot()
    #2 {main}
      thrown in /var/www/app/src/Cache.php on line 27" while reading response header from upstream, client: 203.0.113.50, server: app.example.com, request: "GET /dashboard HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "app.example.com", referrer: "https://app.example.com/login"
    2026/01/12 10:00:02 [error] 1234#1234: *5730 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.50, server: app.example.com, request: "GET /dashboard HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "app.example.com"
  `);

  it('joins the stack trace and takes the context from the last physical line', () => {
    const { records, results } = events(trace);
    expect(results).toEqual([0, 1, 1, 1, 1, 1, 0]);
    expect(records).toHaveLength(2);
    const r = records[0]!;
    expect(r.origin.line).toBe(1);
    expect(r.connection).toBe(5730);
    expect(r.message).toBe(
      'FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/app/src/Cache.php:27\n' +
        'Stack trace:\n' +
        "#0 /var/www/app/src/Cache.php(27): Redis->connect('redis', 6379, 2.5)\n" +
        '#1 /var/www/app/public/index.php(9): App\\Cache::boot()\n' +
        '#2 {main}\n' +
        '  thrown in /var/www/app/src/Cache.php on line 27"',
    );
    expect(r).toMatchObject({
      action: 'reading response header from upstream',
      client: '203.0.113.50',
      server: 'app.example.com',
      request: 'GET /dashboard HTTP/1.1',
      upstream: 'fastcgi://unix:/run/php/php8.2-fpm.sock:',
      vhost: 'app.example.com',
      referrer: 'https://app.example.com/login',
    });
    expect(r.raw).toBe(trace.slice(0, 6).join('\n'));
    expect(records[1]!.origin.line).toBe(7);
    expect(records[1]!.message).toBe('upstream prematurely closed connection');
  });

  it('emits the last entry on flush', () => {
    const { records } = events(trace.slice(0, 6));
    expect(records).toHaveLength(1);
    expect(records[0]!.client).toBe('203.0.113.50');
  });

  it('a ", client: " inside the PHP message is not the context', () => {
    const line =
      '2026/03/14 08:30:00 [error] 41#41: *920 FastCGI sent in stderr: "PHP message: PHP Warning:  Audit failed, client: 10.1.1.1, server: ldap in /var/www/app/Audit.php on line 8" while reading upstream, client: 198.51.100.2, server: app.example.com, request: "POST /api/audit HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "app.example.com"';
    const { records } = events([line]);
    expect(records[0]).toMatchObject({
      message:
        'FastCGI sent in stderr: "PHP message: PHP Warning:  Audit failed, client: 10.1.1.1, server: ldap in /var/www/app/Audit.php on line 8"',
      action: 'reading upstream',
      client: '198.51.100.2',
      server: 'app.example.com',
    });
  });

  it('an entry cut at the 2048-byte limit still parses, without context', () => {
    const head = '2026/03/14 08:31:00 [error] 41#41: *921 FastCGI sent in stderr: "PHP message: PHP Notice:  Undefined index: sku in /var/www/shop/cart.php on line 88';
    const lines = [head, ...Array.from({ length: 30 }, (_, i) => `PHP message: PHP Notice:  Undefined index: sku in /var/www/shop/cart.php on line ${100 + i}`)];
    const { records, results } = events(lines);
    expect(results.filter((r) => r === LineResult.Continuation)).toHaveLength(30);
    expect(records).toHaveLength(1);
    expect(records[0]!.client).toBeUndefined();
    expect(records[0]!.action).toBeUndefined();
    expect(records[0]!.message.startsWith('FastCGI sent in stderr: "PHP message: PHP Notice:')).toBe(true);
    expect(records[0]!.message.endsWith('on line 129')).toBe(true);
    expect(records[0]!.raw.length).toBeLessThanOrEqual(4096);
  });

  it('keeps blank lines inside an entry and drops them between entries', () => {
    const lines = [
      '2026/03/14 08:32:00 [error] 41#41: *922 FastCGI sent in stderr: "PHP message: first',
      '',
      'PHP message: second" while reading response header from upstream, client: 192.0.2.3, server: a.example, request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "a.example"',
      '',
      '2026/03/14 08:32:01 [notice] 40#40: signal 3 (SIGQUIT) received from 1, shutting down',
    ];
    const { records, results } = events(lines);
    expect(results).toEqual([0, 2, 1, 2, 0]);
    expect(records[0]!.message).toBe('FastCGI sent in stderr: "PHP message: first\n\nPHP message: second"');
    expect(records[0]!.client).toBe('192.0.2.3');
    expect(records[1]!.message).toBe('signal 3 (SIGQUIT) received from 1, shutting down');
  });

  it('a continuation before any entry is not recognised', () => {
    const { results, records } = events(['#3 {main}', '2026/01/12 10:01:09 [alert] 812#812: worker process 1234 exited on signal 9']);
    expect(results).toEqual([LineResult.Unrecognized, LineResult.Record]);
    expect(records).toHaveLength(1);
  });

  it('a BOM or leading blanks before the stamp still start an entry', () => {
    const { records, results } = events([
      '\uFEFF2026/01/12 10:00:01 [error] 7#7: *1 no live upstreams while connecting to upstream, client: 192.0.2.5, server: s, request: "GET / HTTP/1.1", upstream: "http://pool/", host: "s"',
      '   2026/01/12 10:00:02 [warn] 7#7: *2 upstream server temporarily disabled while reading response header from upstream, client: 192.0.2.6, server: s, request: "GET / HTTP/1.1", upstream: "http://10.0.0.9:80/", host: "s"',
    ]);
    expect(results).toEqual([0, 0]);
    expect(records[0]).toMatchObject({ message: 'no live upstreams', upstream: 'http://pool/', time: utc(2026, 1, 12, 10, 0, 1) });
    expect(records[0]!.raw.startsWith('2026/')).toBe(true);
    expect(records[1]).toMatchObject({ level: 'warn', message: 'upstream server temporarily disabled' });
  });

  it('a very long run of continuation lines is capped but keeps the context of the last one', () => {
    const lines = ['2026/01/12 10:00:02 [error] 9#9: *3 FastCGI sent in stderr: "PHP message: x'];
    for (let i = 0; i < 2000; i++) lines.push(`#${i} /var/www/app/vendor/lib/File${i}.php(10): f()`);
    lines.push('  thrown in /var/www/app/x.php on line 1" while reading response header from upstream, client: 192.0.2.7, server: s, request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "s"');
    const { records } = events(lines);
    expect(records).toHaveLength(1);
    expect(records[0]!.client).toBe('192.0.2.7');
    expect(records[0]!.message.length).toBeLessThan(20_000);
  });
});

describe('nginx-error: mail and stream context', () => {
  it('reads client/server/upstream of mail proxy lines and their own actions', () => {
    const { records } = events([
      '2026/04/02 13:39:51 [info] 8#8: *6631 client login failed: "Authentication credentials invalid" while in http auth state, client: 198.51.100.12 using starttls, server: 0.0.0.0:587, login: "someone@example.com"',
      '2026/04/02 13:40:02 [info] 8#8: *6640 proxied session done, client: 198.51.100.13, server: 0.0.0.0:143, login: "other@example.com", upstream: 10.9.0.4:143',
    ]);
    expect(records[0]).toMatchObject({ message: 'client login failed: "Authentication credentials invalid"', action: 'in http auth state', client: '198.51.100.12', server: '0.0.0.0:587' });
    expect(records[1]).toMatchObject({ message: 'proxied session done', upstream: '10.9.0.4:143' });
  });
});

describe('nginx-error: sniff', () => {
  const sample = readFileSync(new URL('../../fixtures/formats/nginx-error/php-fpm-site.log', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');

  it('is sure about its own lines, continuation lines included', () => {
    expect(nginxError.sniff(sample)).toBeGreaterThanOrEqual(0.9);
    const { unrecognized } = parseLines(nginxError, sample);
    expect(unrecognized).toBe(0);
  });

  it('the Apache sniffer does not claim them', () => {
    expect(apacheError.sniff(sample)).toBe(0);
  });

  it('is not fooled by other families', () => {
    expect(nginxError.sniff(['203.0.113.7 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 502 157 "-" "curl/8.5.0"'])).toBe(0);
    expect(nginxError.sniff(['[12-Jan-2026 10:00:01] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it'])).toBe(0);
    expect(nginxError.sniff(['[Mon Jan 12 10:00:01.123456 2026] [proxy_fcgi:error] [pid 1:tid 2] AH01079: failed to make connection to backend: 127.0.0.1'])).toBe(0);
    expect(nginxError.sniff(['Jan 12 10:00:01 web1 nginx: 2026/01/12 10:00:01 [error] 1234#1234: *5678 no live upstreams while connecting to upstream'])).toBe(0);
  });
});
