import { describe, expect, it } from 'vitest';
import { nginxAccess } from '../../src/formats/nginx-access.js';
import { apacheAccess } from '../../src/formats/apache-access.js';
import { LineResult, type AccessRecord } from '../../src/formats/types.js';
import { linesOf, parseLines } from '../helpers.js';

function one(line: string, opts: Parameters<typeof parseLines>[2] = {}): AccessRecord {
  const { records, results } = parseLines(nginxAccess, [line], opts);
  expect(results).toEqual([LineResult.Record]);
  const r = records[0];
  if (r?.kind !== 'access') throw new Error('no access record');
  return r;
}

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0';

describe('nginx-access: combined and main', () => {
  const cases: [string, string, Partial<AccessRecord>][] = [
    [
      'combined',
      `203.0.113.54 - - [12/Jan/2026:10:00:01 +0100] "GET /shop/cart?id=7 HTTP/1.1" 200 5120 "https://example.org/" "${UA}"`,
      {
        time: Date.UTC(2026, 0, 12, 9, 0, 1), client: '203.0.113.54', request: 'GET /shop/cart?id=7 HTTP/1.1',
        method: 'GET', path: '/shop/cart', protocol: 'HTTP/1.1', status: 200, bytes: 5120,
        referer: 'https://example.org/', userAgent: UA, requestTime: undefined, xForwardedFor: undefined,
      },
    ],
    [
      'remote user, negative offset, 502',
      `198.51.100.23 - alice [03/Mar/2026:23:59:59 -0500] "POST /wp-admin/admin-ajax.php HTTP/1.1" 502 157 "-" "curl/8.5.0"`,
      { time: Date.UTC(2026, 2, 4, 4, 59, 59), client: '198.51.100.23', method: 'POST', path: '/wp-admin/admin-ajax.php', status: 502, bytes: 157, referer: '-' },
    ],
    [
      'main with X-Forwarded-For',
      `10.0.4.7 - - [12/Jan/2026:10:00:02 +0000] "GET /api/orders/1042 HTTP/2.0" 504 167 "-" "okhttp/4.12.0" "198.51.100.7, 10.0.0.2"`,
      { client: '10.0.4.7', protocol: 'HTTP/2.0', status: 504, userAgent: 'okhttp/4.12.0', xForwardedFor: '198.51.100.7, 10.0.0.2' },
    ],
    [
      'main with "-" X-Forwarded-For',
      `192.0.2.201 - - [12/Jan/2026:10:00:03 +0000] "HEAD / HTTP/1.0" 200 0 "-" "Pingdom.com_bot_version_1.4" "-"`,
      { method: 'HEAD', path: '/', protocol: 'HTTP/1.0', xForwardedFor: undefined },
    ],
    [
      'IPv6 client',
      `2001:db8:85a3::8a2e:370:7334 - - [12/Jan/2026:10:00:04 +0000] "GET /feed/ HTTP/1.1" 301 169 "-" "Feedly/1.0"`,
      { client: '2001:db8:85a3::8a2e:370:7334', status: 301, path: '/feed/' },
    ],
    [
      'nginx \\xHH escapes: quote and UTF-8 in the user agent, UTF-8 in the path',
      String.raw`203.0.113.9 - - [12/Jan/2026:10:00:05 +0000] "GET /caf\xC3\xA9/men\xC3\xBC?q=\x22x\x22 HTTP/1.1" 404 153 "-" "Bot \x22quoted\x22 caf\xC3\xA9 \x5C end"`,
      { request: 'GET /café/menü?q="x" HTTP/1.1', path: '/café/menü', userAgent: 'Bot "quoted" café \\ end' },
    ],
    [
      'TLS handshake on the plain port (binary request line)',
      String.raw`45.148.10.92 - - [12/Jan/2026:10:00:06 +0000] "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03" 400 157 "-" "-"`,
      { request: '\x16\x03\x01\x02\x00\x01\x00\x01\uFFFD\x03\x03', method: '', path: '', protocol: '', status: 400, bytes: 157 },
    ],
    [
      'empty request line',
      `45.148.10.93 - - [12/Jan/2026:10:00:07 +0000] "" 400 0 "-" "-"`,
      { request: '', method: '', path: '', status: 400, bytes: 0, userAgent: '-' },
    ],
    [
      'client closed the request (499) with no bytes',
      `198.51.100.77 - - [12/Jan/2026:10:00:08 +0000] "GET /search?s=red+dress HTTP/1.1" 499 0 "https://shop.example.com/" "${UA}"`,
      { status: 499, bytes: 0, path: '/search' },
    ],
    [
      'absolute-form request target',
      `192.0.2.14 - - [12/Jan/2026:10:00:09 +0000] "GET http://203.0.113.1/admin HTTP/1.1" 404 153 "-" "zgrab/0.x"`,
      { method: 'GET', path: 'http://203.0.113.1/admin', protocol: 'HTTP/1.1' },
    ],
    [
      'HTTP/0.9 style request without protocol',
      `192.0.2.15 - - [12/Jan/2026:10:00:10 +0000] "GET /" 400 157 "-" "-"`,
      { method: 'GET', path: '/', protocol: '' },
    ],
    [
      'vhost prefix (nginx "$host $remote_addr …")',
      `shop.example.com 203.0.113.54 - - [12/Jan/2026:10:00:11 +0000] "GET / HTTP/1.1" 200 612 "-" "${UA}"`,
      { vhost: 'shop.example.com', client: '203.0.113.54' },
    ],
    [
      'realip list as client: the last hop is the client',
      `10.1.0.4, 10.1.0.3, 198.51.100.8 - - [12/Jan/2026:10:00:12 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"`,
      { client: '198.51.100.8', xForwardedFor: '10.1.0.4, 10.1.0.3, 198.51.100.8', vhost: undefined },
    ],
    [
      'truncated user agent (line cut before the closing quote)',
      `192.0.2.33 - - [12/Jan/2026:10:00:13 +0000] "GET /a HTTP/1.1" 200 10 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.goo`,
      { status: 200, userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.goo' },
    ],
  ];
  it.each(cases)('%s', (_name, line, expected) => {
    expect(one(line)).toMatchObject(expected);
  });

  it('fills family, origin, raw and timeIsStart=false ($time_local is the end of the request)', () => {
    const line = `203.0.113.54 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 51 "-" "curl/8.5.0"`;
    const { records } = parseLines(nginxAccess, ['', line], { source: '/var/log/nginx/access.log' });
    expect(records[0]).toMatchObject({
      kind: 'access', family: 'nginx-access', timeIsStart: false, raw: line,
      origin: { source: '/var/log/nginx/access.log', line: 2 },
    });
  });

  it('reads a stray syslog-wrapped line but does not let it vote in sniffing', () => {
    const line = `Jan 12 10:00:01 web1.example.com nginx[2869]: 192.0.2.1 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 502 157 "-" "-"`;
    expect(one(line)).toMatchObject({ client: '192.0.2.1', host: 'web1.example.com', status: 502, vhost: undefined, time: Date.UTC(2026, 0, 12, 9, 0, 1) });
    expect(nginxAccess.sniff([line, line])).toBe(0);
  });

  it('caps raw at 4 KB', () => {
    const line = `203.0.113.54 - - [12/Jan/2026:10:00:01 +0100] "GET /${'a'.repeat(10_000)} HTTP/1.1" 414 0 "-" "-"`;
    const r = one(line);
    expect(r.raw.length).toBe(4096);
    expect(r.path.length).toBe(10_001);
  });

  it('keeps times right across a day change and offsets', () => {
    const { records } = parseLines(nginxAccess, linesOf(`
      192.0.2.1 - - [31/Dec/2025:23:59:59 +0000] "GET / HTTP/1.1" 200 1 "-" "-"
      192.0.2.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"
      192.0.2.1 - - [01/Jan/2026:01:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"
      192.0.2.1 - - [01/Jan/2026:00:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "-"
    `));
    expect(records.map((r) => r.time)).toEqual([
      Date.UTC(2025, 11, 31, 23, 59, 59), Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 1),
    ]);
  });

  it('rejects what is not an access line', () => {
    const { results } = parseLines(nginxAccess, linesOf(`
      2026/01/12 10:00:01 [error] 1234#1234: *5 connect() to unix:/run/php/php8.2-fpm.sock failed (111: Connection refused) while connecting to upstream
      192.0.2.1 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1"
      192.0.2.1 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 20 512 "-" "-"
      192.0.2.1 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 12k "-" "-"
      192.0.2.1 - - [32/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 1 "-" "-"
      [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 1 "-" "-"
      [12-Jan-2026 10:00:01] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it
      2026-01-12T10:00:01.123Z stdout F x y 192.0.2.1 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 1 "-" "-"
    `));
    expect(results).toEqual(Array(8).fill(LineResult.Unrecognized));
    expect(parseLines(nginxAccess, ['', '   ']).results).toEqual([LineResult.Ignored, LineResult.Ignored]);
  });
});

describe('nginx-access: timing and upstream tails', () => {
  const base = `198.51.100.7 - - [12/Jan/2026:10:00:01 +0000] "GET /checkout/ HTTP/1.1"`;
  const cases: [string, string, Partial<AccessRecord>][] = [
    [
      'key=value tail (quoted values)',
      `${base} 502 157 "-" "${UA}" rt=0.503 uct="0.000" uht="-" urt="0.503" ua="unix:/run/php/php8.2-fpm.sock" us="502"`,
      {
        // a field that is only '-' is absent; '-' inside a list is null
        status: 502, userAgent: UA, requestTime: 0.503, upstreamConnectTime: [0], upstreamHeaderTime: undefined,
        upstreamResponseTime: [0.503], upstreamAddr: ['unix:/run/php/php8.2-fpm.sock'], upstreamStatus: [502],
      },
    ],
    [
      'key=value tail with no upstream (static file)',
      `${base} 200 1043 "-" "${UA}" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-"`,
      { requestTime: 0, upstreamConnectTime: undefined, upstreamResponseTime: undefined, upstreamAddr: undefined, upstreamStatus: undefined },
    ],
    [
      'multi-valued tries and groups: ", " and " : " flattened',
      `${base} 200 812 "-" "${UA}" rt=0.121 uct="0.000, 0.001 : 0.000" uht="-, - : 0.100" urt="0.003, 0.004 : 0.110" ua="127.0.0.1:9000, 127.0.0.1:9001 : unix:/run/php/fallback.sock" us="502, 502 : 200"`,
      {
        upstreamConnectTime: [0, 0.001, 0], upstreamHeaderTime: [null, null, 0.1], upstreamResponseTime: [0.003, 0.004, 0.11],
        upstreamAddr: ['127.0.0.1:9000', '127.0.0.1:9001', 'unix:/run/php/fallback.sock'], upstreamStatus: [502, 502, 200],
      },
    ],
    [
      'long key spellings, unquoted values, host',
      `${base} 504 167 "-" "${UA}" request_time=60.001 upstream_response_time=60.000 upstream_addr=10.0.3.4:8080 upstream_status=504 host=shop.example.com`,
      { requestTime: 60.001, upstreamResponseTime: [60], upstreamAddr: ['10.0.3.4:8080'], upstreamStatus: [504], vhost: 'shop.example.com' },
    ],
    [
      'unquoted multi-valued key=value',
      `${base} 200 9 "-" "${UA}" urt=0.010, 0.020 us=502, 200 rt=0.031`,
      { upstreamResponseTime: [0.01, 0.02], upstreamStatus: [502, 200], requestTime: 0.031 },
    ],
    [
      'XFF then key=value',
      `${base} 200 9 "-" "${UA}" "203.0.113.40" rt=0.031 urt="0.030"`,
      { xForwardedFor: '203.0.113.40', requestTime: 0.031, upstreamResponseTime: [0.03] },
    ],
    [
      'X-Forwarded-For= key',
      `${base} 200 9 "-" "${UA}" X-Forwarded-For="10.2.0.1, 10.2.0.2"`,
      { xForwardedFor: '10.2.0.1, 10.2.0.2' },
    ],
    [
      'positional: $request_time $upstream_response_time "$upstream_addr" $upstream_status',
      `${base} 504 167 "-" "${UA}" 60.004 60.001 "unix:/run/php/php8.1-fpm.sock" 504`,
      { requestTime: 60.004, upstreamResponseTime: [60.001], upstreamAddr: ['unix:/run/php/php8.1-fpm.sock'], upstreamStatus: [504] },
    ],
    [
      'positional after XFF, unquoted and multi-valued',
      `${base} 200 4410 "-" "${UA}" "-" 0.012 0.002, 0.009 10.0.0.5:9000, 10.0.0.6:9000 502, 200`,
      { xForwardedFor: undefined, requestTime: 0.012, upstreamResponseTime: [0.002, 0.009], upstreamAddr: ['10.0.0.5:9000', '10.0.0.6:9000'], upstreamStatus: [502, 200] },
    ],
    [
      'request time only',
      `${base} 200 4410 "-" "${UA}" 0.250`,
      { requestTime: 0.25, upstreamResponseTime: undefined },
    ],
    [
      'request time before the referer',
      `${base} 206 1048576 0.202 "-" "${UA}"`,
      { requestTime: 0.202, referer: '-', userAgent: UA, bytes: 1048576 },
    ],
    [
      'ingress-nginx upstreaminfo',
      `${base} 502 150 "-" "${UA}" 512 0.004 [shop-web-8080] [] 10.244.1.17:8080, 10.244.2.9:8080 0, 0 0.002, 0.001 502, 502 6f1c0a3e9b2d4c5f8a7e6d5c4b3a2f10`,
      { requestTime: 0.004, upstreamAddr: ['10.244.1.17:8080', '10.244.2.9:8080'], upstreamResponseTime: [0.002, 0.001], upstreamStatus: [502, 502] },
    ],
    [
      'ingress-nginx upstreaminfo without an upstream',
      `${base} 400 0 "-" "-" 0 0.000 [] [] - - - - 0f4e8d7c6b5a49382716a5b4c3d2e1f0`,
      { requestTime: 0, upstreamAddr: undefined, upstreamStatus: undefined },
    ],
    [
      'free text after the user agent is ignored',
      `${base} 200 12 "-" "${UA}" "-" cache=HIT`,
      { status: 200, requestTime: undefined },
    ],
  ];
  it.each(cases)('%s', (_name, line, expected) => {
    expect(one(line)).toMatchObject(expected);
  });
});

describe('nginx-access: a user log_format (ctx.nginxLogFormat)', () => {
  const fmt = '$remote_addr [$time_iso8601] $host "$request" $status $body_bytes_sent $request_time "$upstream_addr" $upstream_status';
  it('is compiled and used', () => {
    const r = one('198.51.100.7 [2026-01-12T10:00:01+01:00] shop.example.com "GET /x HTTP/1.1" 502 157 0.001 "unix:/run/php/php8.2-fpm.sock" 502', { nginxLogFormat: fmt });
    expect(r).toMatchObject({
      time: Date.UTC(2026, 0, 12, 9, 0, 1), vhost: 'shop.example.com', status: 502, requestTime: 0.001,
      upstreamAddr: ['unix:/run/php/php8.2-fpm.sock'], upstreamStatus: [502], timeIsStart: false,
    });
  });
  it('lines the format does not match still go through the auto scanner', () => {
    const { results } = parseLines(nginxAccess, [`192.0.2.1 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 1 "-" "-"`], { nginxLogFormat: fmt });
    expect(results).toEqual([LineResult.Record]);
  });
  it('a bad format throws a one-line error at createParser', () => {
    expect(() => parseLines(nginxAccess, [], { nginxLogFormat: '$remote_addr [$time_local] "$request"' })).toThrow(/no \$status/);
  });
});

describe('nginx-access: sniff', () => {
  const combined = linesOf(`
    203.0.113.54 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 5120 "-" "${UA}"
    198.51.100.23 - - [12/Jan/2026:10:00:02 +0100] "GET /style.css HTTP/1.1" 200 812 "https://example.org/" "${UA}"
    2001:db8::5 - - [12/Jan/2026:10:00:02 +0100] "POST /wp-login.php HTTP/1.1" 302 0 "-" "curl/8.5.0"
  `);
  const extended = combined.map((l) => `${l} rt=0.012 uct="0.000" uht="0.010" urt="0.011" ua="unix:/run/php/php8.2-fpm.sock" us="200"`);
  it('is sure about lines with upstream tails, and beats apache-access', () => {
    expect(nginxAccess.sniff(extended)).toBeGreaterThanOrEqual(0.9);
    expect(nginxAccess.sniff(extended)).toBeGreaterThan(apacheAccess.sniff(extended));
  });
  it('edges out apache-access on plain combined', () => {
    const n = nginxAccess.sniff(combined), a = apacheAccess.sniff(combined);
    expect(n).toBeGreaterThan(a);
    expect(n).toBeGreaterThan(0.8);
  });
  it('scales with the share of lines it reads and is 0 for other families', () => {
    expect(nginxAccess.sniff([...combined, 'garbage', 'more garbage', 'x'])).toBeLessThan(nginxAccess.sniff(combined));
    expect(nginxAccess.sniff(['2026/01/12 10:00:01 [error] 1234#1234: *5 upstream timed out (110: Connection timed out)'])).toBe(0);
    expect(nginxAccess.sniff([])).toBe(0);
  });
});
