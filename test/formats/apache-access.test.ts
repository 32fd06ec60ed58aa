import { describe, expect, it } from 'vitest';
import { apacheAccess } from '../../src/formats/apache-access.js';
import { nginxAccess } from '../../src/formats/nginx-access.js';
import { LineResult, type AccessRecord } from '../../src/formats/types.js';
import { linesOf, parseLines } from '../helpers.js';

function one(line: string, opts: Parameters<typeof parseLines>[2] = {}): AccessRecord {
  const { records, results } = parseLines(apacheAccess, [line], opts);
  expect(results).toEqual([LineResult.Record]);
  const r = records[0];
  if (r?.kind !== 'access') throw new Error('no access record');
  return r;
}

const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36';

describe('apache-access: presets', () => {
  const cases: [string, string, Partial<AccessRecord>][] = [
    [
      'common',
      `192.0.2.10 - - [12/Jan/2026:10:00:01 +0100] "GET /index.html HTTP/1.1" 200 3150`,
      {
        time: Date.UTC(2026, 0, 12, 9, 0, 1), client: '192.0.2.10', method: 'GET', path: '/index.html', protocol: 'HTTP/1.1',
        status: 200, bytes: 3150, referer: undefined, userAgent: undefined,
      },
    ],
    [
      'combined with %b "-" (no body)',
      `198.51.100.61 - - [12/Jan/2026:10:00:02 +0100] "GET /images/logo.png HTTP/1.1" 304 - "https://www.example.net/" "${UA}"`,
      { status: 304, bytes: 0, referer: 'https://www.example.net/', userAgent: UA },
    ],
    [
      'vhost_combined (%v:%p prefix)',
      `shop.example.com:443 203.0.113.9 - - [12/Jan/2026:10:00:03 +0100] "POST /wp-login.php HTTP/1.1" 503 299 "-" "${UA}"`,
      { vhost: 'shop.example.com', client: '203.0.113.9', status: 503, method: 'POST' },
    ],
    [
      'authenticated user with an e-mail address',
      `10.20.30.40 - jane.doe@example.com [12/Jan/2026:10:00:04 +0100] "GET /dav/ HTTP/1.1" 207 1821 "-" "davfs2/1.7.0 neon/0.32.5"`,
      { client: '10.20.30.40', status: 207 },
    ],
    [
      'ident and user both set',
      `127.0.0.1 identd-user bob [12/Jan/2026:10:00:05 +0100] "GET /server-status?auto HTTP/1.0" 200 912`,
      { client: '127.0.0.1', path: '/server-status' },
    ],
    [
      'runs of spaces around empty fields',
      `10.1.10.51 -  -  [12/Jan/2026:10:00:05 +0100] "POST /api/v1/jobs HTTP/1.1" 200 - "-" "-"`,
      { client: '10.1.10.51', vhost: undefined, method: 'POST', path: '/api/v1/jobs', bytes: 0 },
    ],
    [
      'request timed out: "-" request line, 408',
      `2001:db8::44 - - [12/Jan/2026:10:00:06 +0100] "-" 408 -`,
      { client: '2001:db8::44', request: '-', method: '', path: '', status: 408, bytes: 0 },
    ],
    [
      'Apache escapes: \\" and \\\\ and lowercase \\xhh',
      String.raw`198.51.100.2 - - [12/Jan/2026:10:00:07 +0100] "GET /na\xc3\xafve?x=\"1\" HTTP/1.1" 404 196 "-" "Evil \"Bot\" \\ v1 caf\xc3\xa9"`,
      { request: 'GET /naïve?x="1" HTTP/1.1', path: '/naïve', userAgent: 'Evil "Bot" \\ v1 café' },
    ],
    [
      'TLS handshake on the plain port',
      String.raw`203.0.113.200 - - [12/Jan/2026:10:00:08 +0100] "\x16\x03\x01\x02" 400 226 "-" "-"`,
      { request: '\x16\x03\x01\x02', method: '', status: 400 },
    ],
    [
      'combined + %D (microseconds)',
      `192.0.2.77 - - [12/Jan/2026:10:00:09 +0100] "GET /report.php HTTP/1.1" 500 612 "-" "${UA}" 2345678`,
      { status: 500, requestTime: 2.345678 },
    ],
    [
      'common + %D before the referer (mtail style "%b %D")',
      `192.0.2.78 - - [12/Jan/2026:10:00:10 +0100] "GET /docs/ HTTP/1.1" 200 1880 8680 "-" "${UA}"`,
      { requestTime: 0.00868, userAgent: UA },
    ],
    [
      '%T/%D pair',
      `192.0.2.79 - - [12/Jan/2026:10:00:11 +0100] "GET /slow HTTP/1.1" 504 247 "-" "${UA}" 60/60001234`,
      { requestTime: 60.001234 },
    ],
    [
      'combinedio %I %O is not a duration',
      `192.0.2.80 - - [12/Jan/2026:10:00:12 +0100] "POST /upload HTTP/1.1" 201 88 "-" "${UA}" 524288 389`,
      { requestTime: undefined, bytes: 88 },
    ],
    [
      'X-Forwarded-For after the user agent',
      `10.0.0.3 - - [12/Jan/2026:10:00:13 +0100] "GET / HTTP/1.1" 200 45 "-" "${UA}" "198.51.100.200"`,
      { client: '10.0.0.3', xForwardedFor: '198.51.100.200' },
    ],
  ];
  it.each(cases)('%s', (_name, line, expected) => {
    expect(one(line)).toMatchObject(expected);
  });

  it('marks the time as the start of the request (%t) and the family', () => {
    expect(one(`192.0.2.10 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 31`)).toMatchObject({
      family: 'apache-access', timeIsStart: true, kind: 'access',
    });
  });

  it('reads a %D tail as microseconds for the whole file once a value above 1000 is seen', () => {
    const { records } = parseLines(apacheAccess, linesOf(`
      192.0.2.1 - - [12/Jan/2026:10:00:01 +0100] "GET /a HTTP/1.1" 200 10 "-" "curl/8.5.0" 15234
      192.0.2.1 - - [12/Jan/2026:10:00:02 +0100] "GET /b HTTP/1.1" 200 10 "-" "curl/8.5.0" 734
    `));
    expect(records.map((r) => (r.kind === 'access' ? r.requestTime : undefined))).toEqual([0.015234, 0.000734]);
  });

  it('reads small integer tails as %T seconds when no microsecond value was seen', () => {
    const { records } = parseLines(apacheAccess, linesOf(`
      192.0.2.1 - - [12/Jan/2026:10:00:01 +0100] "GET /a HTTP/1.1" 200 10 "-" "curl/8.5.0" 0
      192.0.2.1 - - [12/Jan/2026:10:01:05 +0100] "GET /b HTTP/1.1" 504 10 "-" "curl/8.5.0" 60
    `));
    expect(records.map((r) => (r.kind === 'access' ? r.requestTime : undefined))).toEqual([0, 60]);
  });

  it('uses ctx.apacheLogFormat when given', () => {
    const fmt = '%v %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\" %{ms}T';
    const r = one(`www.example.org 192.0.2.9 - - [12/Jan/2026:10:00:01 +0100] "GET /cart HTTP/1.1" 502 410 "-" "${UA}" 31`, { apacheLogFormat: fmt });
    expect(r).toMatchObject({ vhost: 'www.example.org', client: '192.0.2.9', status: 502, bytes: 410, requestTime: 0.031, timeIsStart: true });
  });
});

describe('apache-access: sniff', () => {
  const plain = linesOf(`
    192.0.2.10 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 200 3150 "-" "${UA}"
    192.0.2.11 - - [12/Jan/2026:10:00:02 +0100] "GET /a.css HTTP/1.1" 200 812 "https://example.org/" "${UA}"
  `);
  it('wins on vhost_combined', () => {
    const lines = plain.map((l) => `www.example.org:80 ${l}`);
    expect(apacheAccess.sniff(lines)).toBeGreaterThanOrEqual(0.9);
    expect(apacheAccess.sniff(lines)).toBeGreaterThan(nginxAccess.sniff(lines));
  });
  it('wins on %D integer tails', () => {
    const lines = plain.map((l, i) => `${l} ${12345 + i}`);
    expect(apacheAccess.sniff(lines)).toBeGreaterThan(nginxAccess.sniff(lines));
  });
  it('wins on "-" byte counts and lowercase \\xhh escapes', () => {
    expect(apacheAccess.sniff([`192.0.2.12 - - [12/Jan/2026:10:00:03 +0100] "GET /logo.png HTTP/1.1" 304 -`])).toBeGreaterThan(
      nginxAccess.sniff([`192.0.2.12 - - [12/Jan/2026:10:00:03 +0100] "GET /logo.png HTTP/1.1" 304 -`]),
    );
    const esc = [String.raw`192.0.2.13 - - [12/Jan/2026:10:00:04 +0100] "GET /caf\xc3\xa9 HTTP/1.1" 404 196 "-" "-"`];
    expect(apacheAccess.sniff(esc)).toBeGreaterThan(nginxAccess.sniff(esc));
  });
  it('loses narrowly to nginx-access on plain combined', () => {
    expect(apacheAccess.sniff(plain)).toBeLessThan(nginxAccess.sniff(plain));
    expect(apacheAccess.sniff(plain)).toBeGreaterThan(0.8);
  });
  it('is 0 for an Apache error log', () => {
    expect(apacheAccess.sniff(['[Mon Jan 12 10:00:01.123456 2026] [proxy_fcgi:error] [pid 4711:tid 140] [client 192.0.2.1:5123] AH01079: failed to make connection to backend: 127.0.0.1'])).toBe(0);
  });
});
