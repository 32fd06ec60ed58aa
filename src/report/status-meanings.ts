// What each status means on a PHP stack, condensed from signatures.md Part 4 (the status matrix).
const MEANINGS: Record<number, string> = {
  499: 'nginx only: the client closed the connection before the answer (not a server error; a 499 burst can hide a slow backend).',
  500: 'The application failed (PHP fatal error, memory_limit, max_execution_time, database error page), or nginx could not set up the upstream connection (worker_connections, too many open files). Apache: also DNS failures (2.4.59+) and backend TLS failures.',
  502: 'nginx got no valid answer from PHP-FPM or the backend: refused or missing socket, full listen backlog (EAGAIN), worker killed or crashed mid-request, invalid or too-big headers. Apache mod_proxy_http also uses 502 for backend read timeouts.',
  503: 'Apache mod_proxy_fcgi: the backend is down, busy or reset (where nginx says 502). nginx: limit_req/limit_conn rejections. Also an application maintenance page.',
  504: 'The web server gave up waiting for the backend (fastcgi_read_timeout / ProxyTimeout): a slow query or call, a saturated pool queueing requests, or a stuck script.',
};

export function statusMeaning(status: number): string {
  return MEANINGS[status] ?? (status >= 500 ? 'Server error; see the causes below for what produced it here.' : 'Not a server error.');
}
