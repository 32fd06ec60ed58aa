// Real-shaped lines of every family in src/formats/index.ts: the seeds that hostile and mutated lines grow from.
import type { FormatId } from '../../src/formats/types.js';

export const SAMPLES: Record<FormatId, readonly string[]> = {
  'nginx-access': [
    '203.0.113.7 - - [12/Jan/2026:10:00:01 +0000] "GET /index.php?p=1 HTTP/1.1" 502 157 "https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64)" rt=0.123 uct="0.001" uht="0.050" urt="0.120" ua="unix:/run/php/php8.2-fpm.sock" us="502"',
    '203.0.113.8 - alice [12/Jan/2026:10:00:02 +0000] "POST /wp-admin/admin-ajax.php HTTP/2.0" 504 160 "-" "curl/8.0" 60.001 60.000, 0.002 "10.0.0.1:9000, 10.0.0.2:9000" 504, 502',
    '203.0.113.9 - - [12/Jan/2026:10:00:03 +0000] "\\x16\\x03\\x01\\x00\\xa5" 400 157 "-" "-" "198.51.100.1"',
  ],
  'apache-access': [
    'shop.example:443 203.0.113.7 - - [12/Jan/2026:10:00:01 +0000] "GET /index.php HTTP/1.1" 503 299 "-" "Mozilla/5.0" 30001234',
    '203.0.113.7 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
  ],
  'nginx-error': [
    '2026/01/12 10:00:01 [error] 1234#1234: *5678 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com", referrer: "https://example.com/"',
    '2026/01/12 10:00:02 [error] 1234#1234: *5679 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2056" while reading response header from upstream, client: 203.0.113.8, server: example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "example.com"',
    '2026/01/12 10:00:03 [emerg] 999#999: bind() to 0.0.0.0:80 failed (98: Address already in use)',
  ],
  'apache-error': [
    '[Mon Jan 12 10:00:01.123456 2026] [proxy_fcgi:error] [pid 4242:tid 140000000000000] (70007)The timeout specified has expired: [client 203.0.113.7:51234] AH01075: Error dispatching request to : (polling), referer: https://shop.example/',
    '[Mon Jan 12 10:00:02 2026] [error] [client 203.0.113.8] PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3',
  ],
  'php-fpm': [
    '[12-Jan-2026 10:00:01] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it',
    '[12-Jan-2026 10:00:02] WARNING: [pool www] child 4711 exited on signal 9 (SIGKILL) after 12.345678 seconds from start',
    '[12-Jan-2026 10:00:03] WARNING: [pool www] child 4712 said into stderr: "PHP Warning:  Undefined variable $x in /var/www/html/a.php on line 3"',
  ],
  'php-fpm-slow': [
    '[12-Jan-2026 10:00:01]  [pool www] pid 4711',
    'script_filename = /var/www/html/index.php',
    '[0x00007f0000001234] curl_exec() /var/www/html/wp-includes/Requests/Transport/cURL.php:162',
    '[0x00007f0000001235] request() /var/www/html/wp-includes/class-http.php:409',
  ],
  'php-error': [
    '[12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 4096 bytes) in /var/www/html/wp-content/plugins/woo-foo/inc/a.php on line 12',
    '[12-Jan-2026 10:00:02 Europe/Berlin] PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/html/db.php:4',
    'Stack trace:',
    '#0 /var/www/html/db.php(4): PDO->__construct()',
    '#1 {main}',
    '  thrown in /var/www/html/db.php on line 4',
  ],
  kernel: [
    '[812733.680172] Out of memory: Killed process 4711 (php-fpm8.2) total-vm:812340kB, anon-rss:512000kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:1234kB oom_score_adj:0',
    '[Mon Jan 12 10:00:01 2026] php-fpm8.2[4712]: segfault at 0 ip 00007f00deadbeef sp 00007ffc00000000 error 4 in opcache.so[7f0000000000+100000]',
  ],
  syslog: [
    'Jan 12 10:00:01 web1 kernel: [812733.680172] Out of memory: Killed process 4711 (php-fpm8.2) total-vm:812340kB, anon-rss:512000kB',
    '<163>Jan 12 10:00:02 web1 nginx: 2026/01/12 10:00:02 [error] 1234#1234: *5 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "example.com"',
    '<27>1 2026-01-12T10:00:03.000000+00:00 web1 php-fpm 1011 - - WARNING: [pool www] server reached pm.max_children setting (5), consider raising it',
  ],
  journald: [
    '{"__REALTIME_TIMESTAMP":"1768212001000000","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"php-fpm8.2","_PID":"1011","PRIORITY":"4","MESSAGE":"WARNING: [pool www] server reached pm.max_children setting (5), consider raising it"}',
    '{"__REALTIME_TIMESTAMP":"1768212002000000","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"kernel","_TRANSPORT":"kernel","MESSAGE":"Out of memory: Killed process 4711 (php-fpm8.2) total-vm:812340kB, anon-rss:512000kB"}',
  ],
};
