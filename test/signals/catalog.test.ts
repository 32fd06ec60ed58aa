import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/formats/types.js';
import { signatures } from '../../src/signals/catalog.js';
import { classify, signaturesById } from '../../src/signals/classify.js';
import type { Signal } from '../../src/signals/types.js';
import { apacheRecord, fpmRecord, kernelRecord, nginxRecord, phpRecord, recordOf } from './records.js';

const ids = (sigs: Signal[]) => sigs.map((s) => s.sig);
const one = (sigs: Signal[], id: string): Signal => {
  const found = sigs.filter((s) => s.sig === id);
  expect(found, `${id} in ${JSON.stringify(ids(sigs))}`).toHaveLength(1);
  return found[0]!;
};

let conn = 7000;
/** An nginx error line with a request context, the way nginx writes it. */
function ngx(level: string, message: string, action: string | undefined, upstream = 'fastcgi://unix:/run/php/php8.2-fpm.sock:'): EventRecord {
  conn++;
  const ctx = `${action ? ` while ${action}` : ''}, client: 198.51.100.${conn % 250}, server: shop.example.net, request: "GET /p/${conn} HTTP/1.1", upstream: "${upstream}", host: "shop.example.net"`;
  return nginxRecord(`2026/02/03 14:22:${String(conn % 60).padStart(2, '0')} [${level}] 3101#3101: *${conn} ${message}${ctx}`);
}
const fpm = (level: string, msg: string) => fpmRecord(`[03-Feb-2026 14:22:10] ${level}: ${msg}`);
const php = (msg: string) => phpRecord(`[03-Feb-2026 13:22:10 UTC] ${msg}`);
const apache = (rest: string) => apacheRecord(`[Tue Feb 03 14:22:10.482113 2026] ${rest}`);
const kern = (msg: string) => kernelRecord(`Feb  3 14:22:10 app2 kernel: [90211.004512] ${msg}`);

describe('the table', () => {
  it.each(signatures.map((s, i) => [`${i} ${s.id}: ${s.title}`, s] as const))('%s: sample classifies to its id', (_n, row) => {
    const rec = recordOf(row.families[0]!, row.sample);
    expect(rec.message.includes(row.literal), 'literal is in the sample').toBe(true);
    expect(row.match.test(rec.message), 'the row itself matches its sample').toBe(true);
    expect(ids(classify(rec))).toContain(row.id);
  });

  it('covers every signature id of Part 3, plus F-EMFILE (the FPM form §5.21 lists)', () => {
    const want = [
      'N-CONNECT', 'N-TIMEOUT', 'N-PREMATURE', 'N-RECV', 'N-HDR-BIG', 'N-INVALID', 'N-STDERR', 'N-NOLIVE', 'N-TLS', 'N-DNS',
      'N-WCONN', 'N-EMFILE', 'N-ENOSPC', 'N-LIMIT', 'N-CLIENT', 'N-CONFIG', 'N-PROC', 'A-CONNECT', 'A-FCGI', 'A-HTTP',
      'A-SSLPROXY', 'A-BAL', 'A-MPM', 'A-CHILD', 'A-MISC', 'A-RESTART', 'F-MAXCHILD', 'F-BUSY', 'F-EXIT', 'F-TERMINATE',
      'F-SLOW', 'F-STDERR', 'F-LIFECYCLE', 'S-ENTRY', 'P-MEMLIMIT', 'P-OOM', 'P-MAXEXEC', 'P-FATAL', 'P-SESSION', 'P-FILES',
      'F-EMFILE', 'D-DB', 'D-REDIS', 'D-MEMCACHED', 'D-HTTP', 'K-OOM', 'K-SEGV', 'K-AUDIT', 'K-OTHER',
    ];
    expect([...signaturesById().keys()].sort()).toEqual([...want].sort());
  });

  it('has a literal, a non-global regex and a one-family-first sample on every row', () => {
    for (const row of signatures) {
      expect(typeof row.literal).toBe('string');
      expect(row.match.global || row.match.sticky).toBe(false);
      expect(row.families.length).toBeGreaterThan(0);
      expect(row.sample.length).toBeGreaterThan(10);
    }
  });
});

describe('nginx connect(): the errno decides', () => {
  it.each([
    ['error', '11: Resource temporarily unavailable', 11, 'backlog-full'],
    ['error', '11: Operation would block', 11, 'backlog-full'], // musl
    ['error', '111: Connection refused', 111, 'refused'],
    ['crit', '13: Permission denied', 13, 'permission'],
    ['crit', '2: No such file or directory', 2, 'socket-missing'],
    ['crit', '99: Cannot assign requested address', 99, 'ports-exhausted'],
    ['error', '113: Host is unreachable', 113, 'unreachable'], // musl
    ['error', '104: Connection reset by peer', 104, 'reset'],
    ['error', '111: Unknown error', 111, 'refused'], // nginx < 1.19.8 with glibc >= 2.32
    ['error', '61: Connection refused', 111, 'refused'], // FreeBSD numbering
  ])('[%s] (%s)', (level, errPart, errno, variant) => {
    const r = ngx(level, `connect() to unix:/run/php/php8.3-fpm.sock failed (${errPart})`, 'connecting to upstream');
    const s = one(classify(r), 'N-CONNECT');
    expect(s.keys).toMatchObject({ errno, variant, upstreamKey: 'unix:/run/php/php8.3-fpm.sock', action: 'connecting to upstream' });
    expect(s.keys.client).toMatch(/^198\.51\.100\./);
    expect(s.keys.request).toMatch(/^GET \/p\/\d+ HTTP\/1\.1$/);
  });

  it('takes the peer from the context in the async form', () => {
    const r = ngx('error', 'connect() failed (111: Connection refused)', 'connecting to upstream', 'fastcgi://10.2.0.7:9000');
    expect(one(classify(r), 'N-CONNECT').keys).toMatchObject({ upstream: 'fastcgi://10.2.0.7:9000', upstreamKey: '10.2.0.7:9000', variant: 'refused' });
  });
});

describe('nginx timeouts, closes and resets: the action decides', () => {
  it.each([
    ['connecting to upstream', 'connect'],
    ['sending request to upstream', 'send'],
    ['reading response header from upstream', 'read'],
    ['reading upstream', 'body'],
  ])('upstream timed out while %s → %s', (action, variant) => {
    const s = one(classify(ngx('error', 'upstream timed out (110: Operation timed out)', action)), 'N-TIMEOUT');
    expect(s.keys).toMatchObject({ errno: 110, variant, action });
  });

  it('prematurely closed while reading upstream is a truncated body, not a 502', () => {
    expect(one(classify(ngx('error', 'upstream prematurely closed connection', 'reading upstream')), 'N-PREMATURE').keys.variant).toBe('body');
    expect(one(classify(ngx('error', 'upstream prematurely closed connection', 'reading response header from upstream')), 'N-PREMATURE').keys.variant).toBe('read');
  });

  it('FastCGI stdout closed is an invalid response, not a close', () => {
    expect(ids(classify(ngx('error', 'upstream prematurely closed FastCGI stdout', 'reading response header from upstream')))).toEqual(['N-INVALID']);
  });

  it('client aborts are N-CLIENT, not N-PREMATURE', () => {
    expect(ids(classify(ngx('info', 'client prematurely closed connection', 'reading upstream')))).toEqual(['N-CLIENT']);
    expect(ids(classify(ngx('info', 'epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too', 'sending request to upstream')))).toEqual(['N-CLIENT']);
  });

  it('resets on the client side are marked as such', () => {
    expect(one(classify(ngx('info', 'recv() failed (104: Connection reset by peer)', 'reading client request line')), 'N-RECV').keys.variant).toBe('client');
    expect(one(classify(ngx('error', 'writev() failed (32: Broken pipe)', 'sending request to upstream')), 'N-RECV').keys).toMatchObject({ errno: 32, variant: 'send' });
  });

  it('socket() EMFILE is N-EMFILE, open() of a missing file or a forbidden document is nothing', () => {
    expect(ids(classify(ngx('alert', 'socket() failed (24: Too many open files)', 'connecting to upstream')))).toEqual(['N-EMFILE']);
    expect(classify(nginxRecord('2026/02/03 14:22:10 [error] 3101#3101: *88 open() "/srv/www/favicon.ico" failed (2: No such file or directory), client: 192.0.2.1, server: a.example, request: "GET /favicon.ico HTTP/1.1", host: "a.example"'))).toEqual([]);
    expect(classify(nginxRecord('2026/02/03 14:22:10 [error] 3101#3101: *89 open() "/srv/www/private/x.html" failed (13: Permission denied), client: 192.0.2.1, server: a.example, request: "GET /private/x.html HTTP/1.1", host: "a.example"'))).toEqual([]);
    expect(ids(classify(ngx('crit', 'pwrite() "/var/lib/nginx/tmp/fastcgi/2/00/0000000002" failed (28: No space left on device)', 'reading upstream')))).toEqual(['N-ENOSPC']);
  });

  it('bookkeeping lines classify to nothing', () => {
    for (const line of [
      '2026/02/03 14:22:10 [notice] 3100#3100: signal 17 (SIGCHLD) received from 3101',
      '2026/02/03 14:22:10 [notice] 3100#3100: using the "epoll" event method',
      '2026/02/03 14:22:10 [warn] 3101#3101: *12 an upstream response is buffered to a temporary file /var/cache/nginx/fastcgi_temp/1/00/0000000001 while reading upstream, client: 192.0.2.1, server: a.example, request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "a.example"',
    ]) {
      expect(classify(nginxRecord(line)), line).toEqual([]);
    }
  });

  it('nginx signals map to lifecycle phases', () => {
    const stop = one(classify(nginxRecord('2026/02/03 14:22:10 [notice] 3100#3100: signal 15 (SIGTERM) received from 1, exiting')), 'N-PROC');
    expect(stop.keys).toMatchObject({ phase: 'stop', signal: 'SIGTERM' });
    const killed = one(classify(nginxRecord('2026/02/03 14:22:10 [alert] 3100#3100: worker process 3104 exited on signal 9')), 'N-PROC');
    expect(killed.keys).toMatchObject({ phase: 'exit', pid: 3104, signal: 'SIGKILL' });
  });
});

describe('PHP messages inside containers', () => {
  it('nginx FastCGI stderr carrying a memory-limit error yields N-STDERR and P-MEMLIMIT with the request keys', () => {
    const r = ngx('error', 'FastCGI sent in stderr: "PHP message: PHP Fatal error:  Allowed memory size of 536870912 bytes exhausted (tried to allocate 4096 bytes) in /srv/shop/vendor/dompdf/dompdf/src/Css/Style.php on line 1421"', 'reading response header from upstream');
    const sigs = classify(r);
    expect(ids(sigs)).toEqual(['N-STDERR', 'P-MEMLIMIT']);
    const p = one(sigs, 'P-MEMLIMIT');
    expect(p.keys).toMatchObject({ bytes: 536870912, file: '/srv/shop/vendor/dompdf/dompdf/src/Css/Style.php', client: r.client, request: r.request, upstreamKey: 'unix:/run/php/php8.2-fpm.sock' });
    expect(one(sigs, 'N-STDERR').keys.variant).toBe('php');
  });

  it('splits concatenated PHP messages (PHP 8.1 FPM) and ignores the warning', () => {
    const r = ngx('error', 'FastCGI sent in stderr: "PHP message: PHP Warning:  Undefined array key "sku" in /srv/shop/cart.php on line 30PHP message: PHP Fatal error:  Maximum execution time of 60 seconds exceeded in /srv/shop/lib/Pdf.php on line 88"', 'reading response header from upstream');
    const sigs = classify(r);
    expect(ids(sigs)).toEqual(['N-STDERR', 'P-MAXEXEC']);
    expect(one(sigs, 'P-MAXEXEC').keys).toMatchObject({ seconds: 60, variant: 'soft', file: '/srv/shop/lib/Pdf.php' });
  });

  it('finds a dependency failure in a multi-line stderr entry cut by the 2048-byte limit', () => {
    const r = nginxRecord(
      '2026/02/03 14:22:11 [error] 3101#3101: *912 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection timed out in /srv/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:65\nStack trace:\n#0 /srv/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php(65): PDO->__construct(\'mysql:host=10.0...\', \'app\', Object(SensitiveParameterValue), Array)\n#1 {main}',
    );
    const sigs = classify(r);
    expect(ids(sigs)).toEqual(['N-STDERR', 'P-FATAL', 'D-DB']);
    expect(one(sigs, 'D-DB').keys).toMatchObject({ variant: 'timeout', dependency: 'db', connection: 912 });
    expect(one(sigs, 'P-FATAL').keys).toMatchObject({ variant: 'uncaught', dependency: 'db', file: '/srv/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php' });
  });

  it('Primary script unknown is FPM noise: N-STDERR only', () => {
    const sigs = classify(ngx('error', 'FastCGI sent in stderr: "Primary script unknown"', 'reading response header from upstream'));
    expect(ids(sigs)).toEqual(['N-STDERR']);
    expect(sigs[0]!.keys.variant).toBe('script-unknown');
  });

  it('Apache AH01071 with escaped newlines carries two PHP messages', () => {
    const r = apache("[proxy_fcgi:error] [pid 5120:tid 140551234567] [client 192.0.2.140:60112] AH01071: Got error 'PHP message: PHP Deprecated:  strlen(): Passing null to parameter #1 in /srv/www/wp-includes/formatting.php on line 2811\\nPHP message: PHP Fatal error:  Uncaught RedisException: read error on connection to 10.1.0.9:6379 in /srv/www/wp-content/object-cache.php:1002\\n'");
    const sigs = classify(r);
    expect(ids(sigs)).toEqual(['A-FCGI', 'P-FATAL', 'D-REDIS']);
    expect(one(sigs, 'D-REDIS').keys).toMatchObject({ variant: 'read-error', client: '192.0.2.140' });
    expect(one(sigs, 'P-FATAL').keys.file).toBe('/srv/www/wp-content/object-cache.php');
  });

  it('mod_php errors in the Apache log run the P- rows', () => {
    const r = apache('[php:error] [pid 6011] [client 203.0.113.61:50011] PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/html/search.php on line 52, referer: https://www.example.org/');
    const sigs = classify(r);
    expect(ids(sigs)).toEqual(['P-MAXEXEC']);
    expect(sigs[0]!.keys).toMatchObject({ client: '203.0.113.61', file: '/var/www/html/search.php', seconds: 30 });
  });

  it('FPM worker output with a hard timeout: F-STDERR and P-MAXEXEC (hard) with the child pid', () => {
    const sigs = classify(fpm('WARNING', '[pool shop] child 4711 said into stderr: "Fatal error: Maximum execution time of 30+2 seconds exceeded (terminated) in /srv/shop/lib/Sync.php on line 9"'));
    expect(ids(sigs)).toEqual(['F-STDERR', 'P-MAXEXEC']);
    expect(one(sigs, 'P-MAXEXEC').keys).toMatchObject({ pid: 4711, pool: 'shop', variant: 'hard', seconds: 30 });
  });

  it('undecorated worker output (Docker) still yields the PHP signal', () => {
    const sigs = classify(fpmRecord('NOTICE: PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 2097160 bytes) in /var/www/html/artisan on line 35'));
    expect(ids(sigs)).toEqual(['F-STDERR', 'P-MEMLIMIT']);
  });
});

describe('PHP look-alikes', () => {
  it('Allowed memory size is the limit; Out of memory (allocated …) is the host', () => {
    expect(ids(classify(php('PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/a.php on line 3')))).toEqual(['P-MEMLIMIT']);
    expect(ids(classify(php('PHP Fatal error:  Out of memory (allocated 2097152) (tried to allocate 8192 bytes) in /var/www/a.php on line 3')))).toEqual(['P-OOM']);
    expect(one(classify(php('PHP Fatal error:  Out of memory (allocated 421527552 bytes) (tried to allocate 8192 bytes) in /var/www/a.php on line 3')), 'P-OOM').keys.bytes).toBe(421527552);
    expect(classify(php('Import job 881 aborted: Out of memory while reading feed'))).toEqual([]);
  });

  it('the kernel OOM killer is K-OOM, never P-OOM', () => {
    const old = classify(kern('Out of memory: Kill process 4242 (php-fpm7.4) score 312 or sacrifice child'));
    expect(ids(old)).toEqual(['K-OOM']);
    expect(old[0]!.keys).toMatchObject({ pid: 4242, comm: 'php-fpm7.4', variant: 'kill' });
    const memcg = classify(kern('Memory cgroup out of memory: Killed process 9911 (php-fpm82) total-vm:512000kB, anon-rss:300100kB, file-rss:1200kB, shmem-rss:0kB, UID:82 pgtables:900kB oom_score_adj:0'));
    expect(memcg[0]!.keys).toMatchObject({ pid: 9911, comm: 'php-fpm82', detail: 'memcg', bytes: 300100 * 1024 });
  });

  it('an SQL error is a fatal error, not an unavailable database', () => {
    const sigs = classify(php("PHP Fatal error:  Uncaught PDOException: SQLSTATE[42S02]: Base table or view not found: 1146 Table 'shop.orders' doesn't exist in /srv/app/src/Repo.php:40"));
    expect(ids(sigs)).toEqual(['P-FATAL']);
    expect(sigs[0]!.keys.dependency).toBeUndefined();
  });

  it.each([
    ['SQLSTATE[HY000] [2002] No such file or directory', 'socket-missing'],
    ['SQLSTATE[HY000] [2002] Connection refused', 'refused'],
    ['SQLSTATE[HY000] [2002] Connection timed out', 'timeout'],
    ['SQLSTATE[HY000] [2002] php_network_getaddresses: getaddrinfo for mysql failed: Name or service not known', 'dns'],
    ['SQLSTATE[HY000] [2002] php_network_getaddresses: getaddrinfo failed: Temporary failure in name resolution', 'dns'],
    ['SQLSTATE[HY000] [1045] Access denied for user \'app\'@\'10.0.0.8\' (using password: YES)', 'auth'],
    ['SQLSTATE[HY000]: General error: 2006 MySQL server has gone away', 'gone-away'],
    ['SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock; try restarting transaction', 'lock'],
  ])('D-DB %s → %s', (text, variant) => {
    const s = one(classify(php(`PHP Fatal error:  Uncaught PDOException: ${text} in /srv/app/src/Db.php:19`)), 'D-DB');
    expect(s.keys.variant).toBe(variant);
  });

  it.each([
    ['cURL error 7: Failed to connect to api.example.net port 443 after 3 ms: Connection refused', 'refused'],
    ['cURL error 6: Could not resolve host: api.example.net', 'dns'],
    ['cURL error 60: SSL certificate problem: certificate has expired', 'tls'],
    ['cURL error 28: Connection timed out after 5001 milliseconds', 'timeout'],
  ])('D-HTTP %s → %s', (text, variant) => {
    expect(one(classify(php(`PHP Warning:  ${text} in /srv/www/wp-includes/class-wp-http-curl.php on line 300`)), 'D-HTTP').keys.variant).toBe(variant);
  });

  it('session writes: errno 28 is disk-full, 13 permission', () => {
    expect(one(classify(php('PHP Warning:  Unknown: write failed: No space left on device (28) in Unknown on line 0')), 'P-SESSION').keys).toMatchObject({ errno: 28, variant: 'disk-full' });
    expect(one(classify(php('PHP Warning:  session_write_close(): Write failed: Permission denied (13) in /srv/a.php on line 9')), 'P-SESSION').keys).toMatchObject({ errno: 13, variant: 'permission' });
  });
});

describe('Apache', () => {
  it.each([
    [104, 'Connection reset by peer', 'reset'],
    [70014, 'End of file found', 'eof'],
    [70007, 'The timeout specified has expired', 'timeout'],
  ])('AH01075 (%d) → %s', (errno, text, variant) => {
    const r = apache(`[proxy_fcgi:error] [pid 5120:tid 140551234567] (${errno})${text}: [client 192.0.2.9:40001] AH01075: Error dispatching request to : `);
    expect(one(classify(r), 'A-FCGI').keys).toMatchObject({ errno, variant });
  });

  it('AH00898 DNS failure (2.4.59, with EAI status) names the host', () => {
    const r = apache('[proxy:error] [pid 5120:tid 140551234567] (EAI 2)Name or service not known: [client 192.0.2.9:40002] AH00898: DNS lookup failure for: api-backend returned by /api/v1/ping');
    expect(one(classify(r), 'A-HTTP').keys).toMatchObject({ variant: 'dns', detail: 'api-backend' });
  });

  it('AH01106 is not mistaken for AH00898', () => {
    const r = apache('[proxy_http:error] [pid 5120:tid 140551234567] [client 192.0.2.9:40003] AH01106: bad HTTP/1.1 header returned by /x (GET)');
    expect(one(classify(r), 'A-HTTP').keys.variant).toBe('invalid');
  });

  it('Apache 2.2 proxy connect failure', () => {
    const r: EventRecord = {
      kind: 'event', family: 'apache-error', time: Number.NaN, errno: 111, errnoText: 'Connection refused', client: '192.0.2.50',
      message: 'proxy: HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed', origin: { source: 'error.log', line: 3 },
      raw: '[Tue Feb 03 14:22:10 2026] [error] [client 192.0.2.50] (111)Connection refused: proxy: HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed',
    };
    expect(one(classify(r), 'A-CONNECT').keys).toMatchObject({ errno: 111, variant: 'refused', upstreamKey: '127.0.0.1:8080', client: '192.0.2.50' });
  });
});

describe('PHP-FPM', () => {
  it('ondemand pools print max_children without pm.', () => {
    expect(one(classify(fpm('WARNING', '[pool api] server reached max_children setting (12), consider raising it')), 'F-MAXCHILD').keys).toMatchObject({ pool: 'api', variant: 'ondemand' });
  });

  it('exit lines carry pid, signal, code', () => {
    expect(one(classify(fpm('WARNING', '[pool www] child 2210 exited on signal 11 (SIGSEGV - core dumped) after 3.120001 seconds from start')), 'F-EXIT').keys).toMatchObject({ pid: 2210, signal: 'SIGSEGV', variant: 'core-dumped', seconds: 3.120001 });
    expect(one(classify(fpm('WARNING', '[pool www] child 2211 exited with code 124 after 32.000110 seconds from start')), 'F-EXIT').keys).toMatchObject({ pid: 2211, exitCode: 124, variant: 'code' });
  });

  it('noise classifies to nothing', () => {
    for (const m of [
      ['NOTICE', 'child 2212 stopped for tracing'],
      ['NOTICE', 'about to trace 2212'],
      ['NOTICE', 'finished trace of 2212'],
      ['ERROR', 'unable to read what child say: Bad file descriptor (9)'],
      ['NOTICE', "[pool www] pm.start_servers is not set. It's been set to 2."],
      ['NOTICE', '[pool www] child 2213 started'],
      ['NOTICE', 'error log file re-opened'],
    ] as const) {
      expect(classify(fpm(m[0], m[1])), m[1]).toEqual([]);
    }
  });
});
