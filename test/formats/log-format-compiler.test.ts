import { describe, expect, it } from 'vitest';
import {
  compileApacheLogFormat,
  compileFpmAccessFormat,
  compileNginxLogFormat,
} from '../../src/formats/log-format-compiler.js';
import type { AccessRecord } from '../../src/formats/types.js';

const nginxOpts = { family: 'nginx-access', source: 'access.log', tz: 'UTC' } as const;
const apacheOpts = { family: 'apache-access', source: 'access.log', tz: 'UTC' } as const;
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

describe('nginx log_format', () => {
  const cases: [string, string, string, Partial<AccessRecord>][] = [
    [
      'combined',
      '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"',
      `203.0.113.54 - - [12/Jan/2026:10:00:01 +0100] "GET /shop/?page=2 HTTP/1.1" 200 5120 "https://example.org/" "${UA}"`,
      {
        time: Date.UTC(2026, 0, 12, 9, 0, 1), client: '203.0.113.54', method: 'GET', path: '/shop/', protocol: 'HTTP/1.1',
        status: 200, bytes: 5120, referer: 'https://example.org/', userAgent: UA, timeIsStart: false, family: 'nginx-access',
      },
    ],
    [
      'main + timings with multi-valued upstreams',
      '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for" rt=$request_time uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time" ua="$upstream_addr" us="$upstream_status"',
      `10.0.0.9 - - [12/Jan/2026:10:00:02 +0000] "POST /?wc-ajax=checkout HTTP/2.0" 200 733 "-" "${UA}" "198.51.100.3" rt=1.204 uct="0.000, 0.001" uht="-, 1.100" urt="0.002, 1.201" ua="unix:/run/php/a.sock, unix:/run/php/b.sock" us="502, 200"`,
      {
        client: '10.0.0.9', xForwardedFor: '198.51.100.3', requestTime: 1.204, upstreamConnectTime: [0, 0.001],
        upstreamHeaderTime: [null, 1.1], upstreamResponseTime: [0.002, 1.201],
        upstreamAddr: ['unix:/run/php/a.sock', 'unix:/run/php/b.sock'], upstreamStatus: [502, 200],
      },
    ],
    [
      'unquoted lists followed by more fields (", " and " : ")',
      '$remote_addr [$time_local] "$request" $status $body_bytes_sent $upstream_response_time $upstream_status $upstream_addr $request_time',
      `192.0.2.8 [12/Jan/2026:10:00:03 +0000] "GET /a HTTP/1.1" 200 12 0.001, 0.002 : 0.100 502, 502 : 200 10.0.0.1:9000, 10.0.0.2:9000 : unix:/run/php.sock 0.105`,
      {
        upstreamResponseTime: [0.001, 0.002, 0.1], upstreamStatus: [502, 502, 200],
        upstreamAddr: ['10.0.0.1:9000', '10.0.0.2:9000', 'unix:/run/php.sock'], requestTime: 0.105,
      },
    ],
    [
      '$time_iso8601 and $host',
      '$time_iso8601 $host $remote_addr "$request" $status $body_bytes_sent $request_time',
      `2026-01-12T10:00:04+01:00 api.example.com 2001:db8::7 "DELETE /v1/items/9 HTTP/1.1" 204 0 0.017`,
      { time: Date.UTC(2026, 0, 12, 9, 0, 4), vhost: 'api.example.com', client: '2001:db8::7', method: 'DELETE', status: 204, requestTime: 0.017 },
    ],
    [
      '$msec and the request line rebuilt from its parts; $bytes_sent when there is no $body_bytes_sent',
      '$msec $remote_addr $status $request_method $request_uri $server_protocol $bytes_sent',
      `1768208401.123 192.0.2.5 502 GET /index.php?route=cart HTTP/1.1 318`,
      {
        time: 1768208401123, status: 502, request: 'GET /index.php?route=cart HTTP/1.1', method: 'GET', path: '/index.php',
        protocol: 'HTTP/1.1', bytes: 318,
      },
    ],
    [
      '${var} syntax and $uri$is_args$args',
      '${remote_addr}|${time_local}|${status}|${request_method} ${uri}${is_args}${args}|${body_bytes_sent}',
      `192.0.2.6|12/Jan/2026:10:00:05 +0000|503|GET /search?q=shoes|0`,
      { client: '192.0.2.6', status: 503, request: 'GET /search?q=shoes', path: '/search', bytes: 0 },
    ],
    [
      'variables logsleuth does not use are skipped',
      '$remote_addr $ssl_protocol/$ssl_cipher "$request" $status $body_bytes_sent $gzip_ratio [$time_local]',
      `192.0.2.7 TLSv1.3/TLS_AES_256_GCM_SHA384 "GET / HTTP/1.1" 200 4120 3.21 [12/Jan/2026:10:00:06 +0000]`,
      { client: '192.0.2.7', status: 200, time: Date.UTC(2026, 0, 12, 10, 0, 6) },
    ],
    [
      'the whole directive, escape=json, JSON layout with \\" in a value',
      `log_format json_combined escape=json '{"time":"$time_iso8601","ip":"$remote_addr",' '"req":"$request","status":$status,"bytes":$body_bytes_sent,' '"ua":"$http_user_agent","rt":$request_time,"urt":"$upstream_response_time"}';`,
      `{"time":"2026-01-12T10:00:07+00:00","ip":"198.51.100.4","req":"GET /a HTTP/1.1","status":504,"bytes":160,"ua":"Bot \\"x\\" 1.0","rt":60.002,"urt":"60.001"}`,
      { time: Date.UTC(2026, 0, 12, 10, 0, 7), client: '198.51.100.4', status: 504, userAgent: 'Bot "x" 1.0', requestTime: 60.002, upstreamResponseTime: [60.001] },
    ],
    [
      '\\xHH escapes in quoted fields',
      '$remote_addr [$time_local] "$request" $status $body_bytes_sent "$http_user_agent"',
      String.raw`192.0.2.9 [12/Jan/2026:10:00:08 +0000] "GET /\xC3\xBCber HTTP/1.1" 404 10 "x\x22y"`,
      { path: '/über', userAgent: 'x"y' },
    ],
  ];
  it.each(cases)('%s', (_name, format, line, expected) => {
    const r = compileNginxLogFormat(format, nginxOpts).parse(line, 7);
    expect(r).not.toBeNull();
    expect(r).toMatchObject({ ...expected, origin: { source: 'access.log', line: 7 }, raw: line });
  });

  it('returns null for lines the format does not describe', () => {
    const c = compileNginxLogFormat('$remote_addr [$time_local] "$request" $status', nginxOpts);
    expect(c.parse('192.0.2.1 12/Jan/2026:10:00:01 +0000 "GET / HTTP/1.1" 200', 1)).toBeNull();
    expect(c.parse('192.0.2.1 [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 2000', 1)).toBeNull();
    expect(c.parse('', 1)).toBeNull();
  });

  it('lists the fields it reads', () => {
    expect(compileNginxLogFormat('$remote_addr $foo [$time_local] $status', nginxOpts).fields).toEqual(['$remote_addr', '$time_local', '$status']);
  });

  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['$remote_addr [$time_local] "$request"', /no \$status/],
    ['$remote_addr ${status', /unclosed \$\{ at column 14/],
    ['$remote_addr $ $status', /'\$' at column 14 is not followed by a variable name/],
    ['$remote_addr $request_time$status', /\$request_time and \$status have no text between them/],
    ["log_format main '$status' x", /unexpected 'x'/],
  ];
  it.each(bad)('rejects %j', (format, message) => {
    expect(() => compileNginxLogFormat(format, nginxOpts)).toThrow(message);
    try {
      compileNginxLogFormat(format, nginxOpts);
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('\n');
    }
  });
});

describe('Apache LogFormat', () => {
  const cases: [string, string, string, Partial<AccessRecord>][] = [
    [
      'combined as written in apache2.conf',
      '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"',
      `192.0.2.10 - - [12/Jan/2026:10:00:01 +0100] "GET /x HTTP/1.1" 200 - "-" "${UA}"`,
      { time: Date.UTC(2026, 0, 12, 9, 0, 1), timeIsStart: true, status: 200, bytes: 0, userAgent: UA, family: 'apache-access' },
    ],
    [
      'the LogFormat directive line',
      'LogFormat "%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" vhost_combined',
      `shop.example.com:443 203.0.113.9 - - [12/Jan/2026:10:00:02 +0100] "GET / HTTP/1.1" 503 299 "-" "${UA}"`,
      { vhost: 'shop.example.com', client: '203.0.113.9', status: 503, bytes: 299 },
    ],
    [
      'many directives: %D, %{X-Forwarded-For}i list, %T, %{ms}T, %I %O (the most precise duration wins)',
      '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" %D %{X-Forwarded-For}i %T %{ms}T %I %O',
      `10.0.0.2 - - [12/Jan/2026:10:00:03 +0100] "POST /api HTTP/1.1" 502 341 "-" "${UA}" 30001234 198.51.100.7, 10.0.0.1 30 30001 1204 512`,
      { status: 502, bytes: 341, requestTime: 30.001234, xForwardedFor: '198.51.100.7, 10.0.0.1' },
    ],
    [
      'request parts %m %U%q %H, %s and %>s (final status wins), %a',
      '%a %t %m %U%q %H %s %>s %B',
      `198.51.100.9 [12/Jan/2026:10:00:04 +0100] GET /index.php?p=1 HTTP/1.1 200 500 0`,
      { client: '198.51.100.9', request: 'GET /index.php?p=1 HTTP/1.1', method: 'GET', path: '/index.php', protocol: 'HTTP/1.1', status: 500 },
    ],
    [
      'zone-less strftime time is read in tz; %{us}T',
      '[%{%Y-%m-%d %H:%M:%S}t] %h "%r" %>s %b %{us}T',
      `[2026-07-01 12:00:05] 192.0.2.20 "GET / HTTP/1.1" 200 10 1500`,
      { time: Date.UTC(2026, 6, 1, 10, 0, 5), requestTime: 0.0015 },
    ],
    [
      '%{end:msec}t: the stamp is the end of the request',
      '%h %{end:msec}t "%r" %>s %b %{Host}i',
      `192.0.2.21 1768208401123 "GET / HTTP/1.1" 200 10 www.example.com`,
      { time: 1768208401123, timeIsStart: false, vhost: 'www.example.com' },
    ],
    [
      'conditional modifiers are accepted',
      '%h %l %u %t "%r" %>s %b "%!200,304,302{Referer}i" "%400,501{User-agent}i"',
      `192.0.2.22 - - [12/Jan/2026:10:00:06 +0100] "GET /missing HTTP/1.1" 404 196 "-" "${UA}"`,
      { status: 404, referer: '-', userAgent: UA },
    ],
  ];
  it.each(cases)('%s', (_name, format, line, expected) => {
    const r = compileApacheLogFormat(format, { ...apacheOpts, tz: 'Europe/Berlin' }).parse(line, 1);
    expect(r).not.toBeNull();
    expect(r).toMatchObject(expected);
  });

  const bad: [string, RegExp][] = [
    ['%h %Z %>s', /unknown directive '%Z' at column 4/],
    ['%h %{Referer %>s', /unclosed %\{ at column 4/],
    ['%h %t "%r" %b', /no %s or %>s/],
    ['%h %>s %', /'%' at column 8 has no directive letter/],
    ['%h %>s %{fortnights}T', /unknown unit/],
    ['%h %U%m %>s', /%U and %m have no text between them/],
  ];
  it.each(bad)('rejects %j', (format, message) => {
    expect(() => compileApacheLogFormat(format, apacheOpts)).toThrow(message);
  });
});

describe('PHP-FPM access.format', () => {
  it('reads the default format', () => {
    const c = compileFpmAccessFormat('%R - %u %t "%m %r" %s', apacheOpts);
    expect(c.parse('10.0.0.12 -  12/Jan/2026:10:00:01 +0100 "POST /index.php" 504', 3)).toMatchObject({
      client: '10.0.0.12', time: Date.UTC(2026, 0, 12, 9, 0, 1), timeIsStart: true, method: 'POST', path: '/index.php',
      request: 'POST /index.php', status: 504, bytes: 0,
    });
  });
  it("reads PHP's sample format with %{mili}d, %{kilo}M and %C%%", () => {
    const c = compileFpmAccessFormat('%R - %u %t "%m %r%Q%q" %s %f %{mili}d %{kilo}M %C%%', apacheOpts);
    expect(c.parse('10.0.0.12 - www 12/Jan/2026:10:00:02 +0100 "GET /index.php?page=2" 200 /var/www/html/index.php 1234.567 10240 85.71%', 1)).toMatchObject({
      request: 'GET /index.php?page=2', path: '/index.php', status: 200, requestTime: 1.234567,
    });
  });
  it('rejects unknown directives', () => {
    expect(() => compileFpmAccessFormat('%R %s %Y', apacheOpts)).toThrow(/unknown directive '%Y'/);
  });
});
