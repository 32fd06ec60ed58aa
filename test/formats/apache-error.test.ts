import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apacheError } from '../../src/formats/apache-error.js';
import { nginxError } from '../../src/formats/nginx-error.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord, LogRecord } from '../../src/formats/types.js';
import { parseLines } from '../helpers.js';

const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);

function events(lines: readonly string[], tz = 'UTC'): { records: EventRecord[]; results: LineResult[] } {
  const { records, results } = parseLines(apacheError, lines, { tz });
  return { records: records.filter((r): r is EventRecord => r.kind === 'event'), results };
}

/** [what, line, expected fields] */
const table: [string, string, Partial<EventRecord>][] = [
  [
    'AH00957 from proxy_util: status before the message, no client',
    '[Mon Jan 12 10:00:01.123456 2026] [proxy:error] [pid 2211:tid 140234567890688] (111)Connection refused: AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (127.0.0.1:9000) failed',
    {
      family: 'apache-error',
      time: utc(2026, 1, 12, 10, 0, 1, 123),
      level: 'error',
      module: 'proxy',
      pid: 2211,
      errno: 111,
      errnoText: 'Connection refused',
      ahCode: 'AH00957',
      message: 'AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (127.0.0.1:9000) failed',
      client: undefined,
    },
  ],
  [
    'AH01079 with the client part',
    '[Mon Jan 12 10:00:01.123501 2026] [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 203.0.113.7:51234] AH01079: failed to make connection to backend: 127.0.0.1',
    {
      module: 'proxy_fcgi',
      client: '203.0.113.7',
      clientPort: 51234,
      ahCode: 'AH01079',
      message: 'AH01079: failed to make connection to backend: 127.0.0.1',
      errno: undefined,
    },
  ],
  [
    'AH01075 with an APR timeout before the client and a referer',
    '[Tue Feb 03 14:22:31.880120 2026] [proxy_fcgi:error] [pid 2214:tid 140234559497984] (70007)The timeout specified has expired: [client 198.51.100.40:40112] AH01075: Error dispatching request to : (polling), referer: https://www.example.org/reports?year=2025',
    {
      time: utc(2026, 2, 3, 14, 22, 31, 880),
      errno: 70007,
      errnoText: 'The timeout specified has expired',
      client: '198.51.100.40',
      clientPort: 40112,
      ahCode: 'AH01075',
      message: 'AH01075: Error dispatching request to : (polling)',
      referrer: 'https://www.example.org/reports?year=2025',
    },
  ],
  [
    'AH01071 Got error with escaped newlines stays one line',
    "[Wed Mar 04 09:15:42.310077 2026] [proxy_fcgi:error] [pid 3120:tid 139911422527232] [client 192.0.2.77:58810] AH01071: Got error 'PHP message: PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/legacy/db.php:3\\nStack trace:\\n#0 {main}\\n  thrown in /var/www/legacy/db.php on line 3'",
    {
      ahCode: 'AH01071',
      message:
        "AH01071: Got error 'PHP message: PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/legacy/db.php:3\\nStack trace:\\n#0 {main}\\n  thrown in /var/www/legacy/db.php on line 3'",
      client: '192.0.2.77',
    },
  ],
  [
    'AH01102 from mod_proxy_http on a read timeout',
    '[Thu Apr 16 18:02:11.000913 2026] [proxy_http:error] [pid 1988:tid 140502190098176] (70007)The timeout specified has expired: [client 203.0.113.88:60222] AH01102: error reading status line from remote server 10.0.0.21:8080, referer: https://portal.example.com/',
    { module: 'proxy_http', errno: 70007, ahCode: 'AH01102', message: 'AH01102: error reading status line from remote server 10.0.0.21:8080', referrer: 'https://portal.example.com/' },
  ],
  [
    'resolver failure keeps the EAI code in the text and no errno',
    '[Fri May 08 07:40:00.551200 2026] [proxy:error] [pid 811:tid 140019211425536] (EAI 2)Name or service not known: AH00898: DNS lookup failure for: backend.internal returned by /api/orders',
    { errno: undefined, errnoText: 'EAI 2 Name or service not known', ahCode: 'AH00898', message: 'AH00898: DNS lookup failure for: backend.internal returned by /api/orders' },
  ],
  [
    'prefork prints [pid N] only',
    '[Sat Jun 13 23:59:59.999999 2026] [php:error] [pid 20411] [client 198.51.100.5:49152] PHP Fatal error:  Allowed memory size of 268435456 bytes exhausted (tried to allocate 65536 bytes) in /var/www/html/index.php on line 17',
    { module: 'php', pid: 20411, client: '198.51.100.5', ahCode: undefined, message: 'PHP Fatal error:  Allowed memory size of 268435456 bytes exhausted (tried to allocate 65536 bytes) in /var/www/html/index.php on line 17' },
  ],
  [
    '[:error] from a module without APLOG_USE_MODULE',
    '[Sun Jul 19 12:00:00.100000 2026] [:error] [pid 5120] [client 192.0.2.19:40404] PHP Warning:  include(/var/www/site/missing.php): Failed to open stream: No such file or directory in /var/www/site/page.php on line 4',
    { module: undefined, level: 'error', pid: 5120, client: '192.0.2.19' },
  ],
  [
    'core AH00124 redirect loop',
    '[Mon Aug 10 06:30:12.004400 2026] [core:error] [pid 7781:tid 140087612663552] [client 203.0.113.14:33012] AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error. Use \'LimitInternalRecursion\' to increase the limit if necessary. Use \'LogLevel debug\' to get a backtrace.',
    { module: 'core', ahCode: 'AH00124', clientPort: 33012 },
  ],
  [
    'mpm_event startup marker',
    '[Mon Jan 12 09:59:58.004121 2026] [mpm_event:notice] [pid 2201:tid 139872010311552] AH00489: Apache/2.4.62 (Debian) configured -- resuming normal operations',
    { level: 'notice', module: 'mpm_event', pid: 2201, ahCode: 'AH00489', message: 'AH00489: Apache/2.4.62 (Debian) configured -- resuming normal operations' },
  ],
  [
    'Apache 2.2: no module, no pid, client before status, no port',
    '[Mon Jan 12 10:00:01 2026] [error] [client 203.0.113.7] (111)Connection refused: proxy: HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed',
    {
      time: utc(2026, 1, 12, 10, 0, 1),
      level: 'error',
      module: undefined,
      pid: undefined,
      client: '203.0.113.7',
      clientPort: undefined,
      errno: 111,
      errnoText: 'Connection refused',
      message: 'proxy: HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed',
    },
  ],
  [
    'Apache 2.2 with an IPv6 client and a referer',
    '[Tue Feb 17 11:11:11 2026] [error] [client 2001:db8::7:1] File does not exist: /var/www/robots.txt, referer: http://www.example.com/',
    { client: '2001:db8::7:1', clientPort: undefined, message: 'File does not exist: /var/www/robots.txt', referrer: 'http://www.example.com/' },
  ],
  [
    'Apache 2.2 MaxClients warning without a client',
    '[Wed Mar 18 20:45:03 2026] [error] server reached MaxClients setting, consider raising the MaxClients setting',
    { level: 'error', message: 'server reached MaxClients setting, consider raising the MaxClients setting' },
  ],
  [
    '2.4 IPv6 client with a port, unbracketed',
    '[Thu Mar 19 08:08:08.080808 2026] [authz_core:error] [pid 4040:tid 139999] [client 2001:db8::42:51000] AH01630: client denied by server configuration: /srv/private',
    { client: '2001:db8::42', clientPort: 51000 },
  ],
  [
    '2.4 bracketed IPv6 [remote] (backend side)',
    '[Thu Mar 19 08:08:09.000001 2026] [ssl:error] [pid 4040:tid 139999] [remote [2001:db8::99]:443] AH01961: SSL Proxy requested for backend.example.com:443 but not enabled [Hint: SSLProxyEngine]',
    { client: '2001:db8::99', clientPort: 443, ahCode: 'AH01961' },
  ],
  [
    '%t without microseconds in 2.4 layout',
    '[Fri Mar 20 10:10:10 2026] [mpm_prefork:error] [pid 800] AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting',
    { time: utc(2026, 3, 20, 10, 10, 10), ahCode: 'AH00161', module: 'mpm_prefork' },
  ],
  [
    'ErrorLogFormat %{cu}t',
    '[2026-01-12 10:00:01.123456] [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 203.0.113.7:51234] AH01079: failed to make connection to backend: 127.0.0.1',
    { time: utc(2026, 1, 12, 10, 0, 1, 123), ahCode: 'AH01079' },
  ],
  [
    'ErrorLogFormat %{cuz}t carries the offset',
    '[2026-01-12 10:00:01.123456 +0100] [proxy_fcgi:error] [pid 2211:tid 140234567890688] [client 203.0.113.7:51234] AH01079: failed to make connection to backend: 127.0.0.1',
    { time: utc(2026, 1, 12, 9, 0, 1, 123), ahCode: 'AH01079' },
  ],
  [
    'trace level with a source location',
    "[Sat Mar 21 04:00:00.000100 2026] [rewrite:trace3] [pid 6001:tid 140000000000001] mod_rewrite.c(483): [client 192.0.2.200:41000] 192.0.2.200 - - [www.example.com/sid#7f00][rid#7f01/initial] applying pattern '^/old/(.*)$' to uri '/old/page'",
    { level: 'trace3', module: 'rewrite', client: '192.0.2.200', clientPort: 41000 },
  ],
  [
    'child crash (A-CHILD) without client',
    '[Sun Mar 22 02:02:02.020202 2026] [core:notice] [pid 1500:tid 140111111111111] AH00051: child pid 1733 exit signal Segmentation fault (11), possible coredump in /etc/apache2',
    { level: 'notice', pid: 1500, ahCode: 'AH00051', errno: undefined },
  ],
  [
    'startup line without time: AH00558',
    "AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using 127.0.1.1. Set the 'ServerName' directive globally to suppress this message",
    { ahCode: 'AH00558', level: undefined, module: undefined },
  ],
  [
    'startup bind failure with a status',
    '(98)Address already in use: AH00072: make_sock: could not bind to address [::]:80',
    { errno: 98, errnoText: 'Address already in use', ahCode: 'AH00072', message: 'AH00072: make_sock: could not bind to address [::]:80' },
  ],
];

describe('apache-error: lines', () => {
  it.each(table)('%s', (_what, line, expected) => {
    const { records, results } = events([line]);
    expect(results).toEqual([LineResult.Record]);
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r).toMatchObject({ kind: 'event', family: 'apache-error', origin: { source: 'test.log', line: 1 }, raw: line });
    for (const [k, v] of Object.entries(expected)) expect(r[k as keyof EventRecord], k).toEqual(v);
  });

  it('startup lines have no time', () => {
    const { records } = events(['AH00558: apache2: Could not reliably determine the server\'s fully qualified domain name, using 127.0.1.1']);
    expect(Number.isNaN(records[0]!.time)).toBe(true);
  });

  it('reads ctime in the given zone', () => {
    const { records } = events(['[Wed Jul 01 12:00:00.500000 2026] [proxy_fcgi:error] [pid 1:tid 2] [client 192.0.2.1:1000] AH01079: failed to make connection to backend: 127.0.0.1'], 'Europe/Berlin');
    expect(records[0]!.time).toBe(utc(2026, 7, 1, 10, 0, 0, 500));
  });

  it('blank lines are ignored, foreign lines unrecognised, a BOM tolerated', () => {
    const { results, records } = events([
      '',
      '2026/01/12 10:00:01 [error] 1234#1234: *5678 no live upstreams while connecting to upstream, client: 192.0.2.1, server: s',
      '[Mon Jan 12 10:00:01 2026] kernel: php-fpm8.2[4711]: segfault at 0 ip 00007f sp 00007ffd error 4',
      '\uFEFF[Mon Jan 12 10:00:01.000001 2026] [core:error] [pid 9] [client 192.0.2.2:2000] AH00126: Invalid URI in request GET /%2e%2e/ HTTP/1.1',
    ]);
    expect(results).toEqual([LineResult.Ignored, LineResult.Unrecognized, LineResult.Unrecognized, LineResult.Record]);
    expect(records[0]!.raw.startsWith('[Mon')).toBe(true);
    expect(records[0]!.clientPort).toBe(2000);
  });
});

describe('apache-error: ErrorLog syslog (wrapped)', () => {
  const info = { time: utc(2026, 1, 12, 10, 0, 1), host: 'web2', pid: 2211, tag: 'apache2' };

  function wrapped(message: string): { result: LineResult; records: LogRecord[] } {
    const records: LogRecord[] = [];
    const parser = apacheError.createParser({ tz: 'UTC', referenceTime: utc(2026, 6, 1, 0, 0, 0), source: 'syslog', emit: (r) => records.push(r) });
    if (!parser.wrapped) throw new Error('apache-error must peel syslog messages');
    const result = parser.wrapped(message, 42, info);
    parser.flush();
    return { result, records };
  }

  it('takes the time and host from the wrapper', () => {
    const { result, records } = wrapped('[proxy_fcgi:error] [pid 2212:tid 140234567890688] [client 203.0.113.7:51234] AH01079: failed to make connection to backend: 127.0.0.1');
    expect(result).toBe(LineResult.Record);
    expect(records[0]).toMatchObject({
      time: info.time,
      host: 'web2',
      pid: 2212,
      module: 'proxy_fcgi',
      level: 'error',
      client: '203.0.113.7',
      ahCode: 'AH01079',
      origin: { source: 'syslog', line: 42 },
    });
  });

  it('2.2 form and the wrapper pid', () => {
    const { records } = wrapped('[error] [client 192.0.2.61] File does not exist: /var/www/html/favicon.ico');
    expect(records[0]).toMatchObject({ time: info.time, pid: 2211, level: 'error', client: '192.0.2.61', message: 'File does not exist: /var/www/html/favicon.ico' });
  });

  it('a message that is not Apache is not recognised', () => {
    expect(wrapped('Started Apache HTTP Server.').result).toBe(LineResult.Unrecognized);
  });
});

describe('apache-error: sniff', () => {
  const sample = readFileSync(new URL('../../fixtures/formats/apache-error/proxy-fcgi-site.log', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');

  it('is sure about its own lines and parses them all', () => {
    expect(apacheError.sniff(sample)).toBeGreaterThanOrEqual(0.9);
    expect(parseLines(apacheError, sample).unrecognized).toBe(0);
  });

  it('the nginx sniffer does not claim them', () => {
    expect(nginxError.sniff(sample)).toBe(0);
  });

  it('is not fooled by other families', () => {
    expect(apacheError.sniff(['203.0.113.7 - - [12/Jan/2026:10:00:01 +0100] "GET / HTTP/1.1" 503 299 "-" "curl/8.5.0"'])).toBe(0);
    expect(apacheError.sniff(['[12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Uncaught Error: x in /var/www/a.php:3'])).toBe(0);
    expect(apacheError.sniff(['[Mon Jan 12 10:00:01 2026] Out of memory: Killed process 4711 (php-fpm8.2) total-vm:1048576kB'])).toBe(0);
    expect(apacheError.sniff(['2026/01/12 10:00:01 [error] 1234#1234: *5678 no live upstreams while connecting to upstream'])).toBe(0);
  });
});
