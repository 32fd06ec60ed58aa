// Which dependency a PHP-FPM slow-log top frame is waiting on (signatures.md §3.5 table, §5.9).
//
// The slow log prints a function without its class ('execute', 'get') and, for internal functions, the
// file and line of the calling user code. So the function name decides when it is specific (curl_exec,
// mysqli_query, sleep) and the file decides for generic method names (a 'query' inside class-wpdb.php).

/** Dependency names used in SignalKeys.dependency. */
export type Dependency = 'http' | 'socket' | 'db' | 'redis' | 'memcached' | 'cache' | 'sleep' | 'session' | 'lock' | 'disk';

/** The §3.5 / §5.9 class of a slow entry: the `variant` of S-ENTRY. */
export type DependencyClass = 'http-call' | 'database' | 'cache' | 'sleep' | 'lock' | 'disk-io' | 'cpu';

const BY_FUNCTION: ReadonlyMap<string, Dependency> = new Map<string, Dependency>([
  ...(['curl_exec', 'curl_multi_exec', 'curl_multi_select', 'curl_multi_info_read', '__dorequest'] as const).map(
    (f) => [f, 'http'] as const,
  ),
  ...(
    [
      'mysqli_query', 'mysqli_real_query', 'mysqli_multi_query', 'mysqli_real_connect', 'mysqli_connect',
      'mysqli_stmt_execute', 'mysqli_execute', 'mysqli_ping', 'mysqli_next_result', 'mysqli_store_result',
      'mysqli_poll', 'mysql_query', 'mysql_connect', 'mysql_pconnect', 'mysql_unbuffered_query', 'pg_query',
      'pg_query_params', 'pg_execute', 'pg_prepare', 'pg_connect', 'pg_pconnect', 'pg_get_result',
      'oci_execute', 'oci_connect', 'sqlsrv_query', 'sqlsrv_connect', 'sqlsrv_execute',
    ] as const
  ).map((f) => [f, 'db'] as const),
  ...(['sleep', 'usleep', 'time_nanosleep', 'time_sleep_until'] as const).map((f) => [f, 'sleep'] as const),
  ...(['session_start', 'session_regenerate_id'] as const).map((f) => [f, 'session'] as const),
  ['flock', 'lock'],
  ['sem_acquire', 'lock'],
  ...(
    [
      'fsockopen', 'pfsockopen', 'stream_socket_client', 'stream_select', 'socket_connect', 'socket_read',
      'socket_recv', 'socket_select', 'stream_get_contents', 'stream_socket_recvfrom', 'fgets', 'fread',
      'file_get_contents', 'fopen', 'file', 'gethostbyname', 'dns_get_record',
    ] as const
  ).map((f) => [f, 'socket'] as const),
  ...(['file_put_contents', 'fwrite', 'fputs', 'fflush', 'unlink', 'rename', 'copy', 'fsync', 'ftruncate'] as const).map(
    (f) => [f, 'disk'] as const,
  ),
]);

const BY_CLASS: ReadonlyMap<string, Dependency> = new Map<string, Dependency>([
  ['pdo', 'db'],
  ['pdostatement', 'db'],
  ['mysqli', 'db'],
  ['mysqli_stmt', 'db'],
  ['redis', 'redis'],
  ['rediscluster', 'redis'],
  ['redisarray', 'redis'],
  ['memcached', 'memcached'],
  ['memcache', 'memcached'],
  ['soapclient', 'http'],
]);

// Path fragments (matched case-sensitively: they are written as projects spell them)
const HTTP_PATHS = ['/guzzlehttp/', '/Requests/', 'class-wp-http', 'class-http.php', '/http-client/', '/php-http/', '/HttpClient/', '/Http/Client/'];
const DB_PATHS = [
  'class-wpdb.php', 'wp-db.php', '/doctrine/dbal/', '/Illuminate/Database/', '/Zend/Db/', '/laminas-db/',
  '/Laminas/Db/', '/Magento/Framework/DB/', '/yiisoft/db/', '/cakephp/database/', '/propel/', '/Doctrine/DBAL/',
  '/Drupal/Core/Database/', '/adodb',
];
const REDIS_PATHS = ['/predis/', '/Predis/', '/phpredis/', '/Redis', '/redis'];
const MEMCACHED_PATHS = ['Memcache', 'memcache'];
const CACHE_PATHS = ['/Cache/', '/cache/'];

/** Method names that are I/O on a database handle, as the slow log prints them (class stripped). */
const DB_VERBS = new Set([
  'query', 'execute', 'exec', 'prepare', '__construct', 'fetchall', 'fetch', 'fetchcolumn', 'connect',
  'real_connect', 'next_result', 'store_result', 'ping', 'begintransaction', 'commit', 'rollback',
  'get_results', 'get_row', 'get_var', 'get_col', 'db_connect', 'select', 'insert', 'update', 'delete',
]);
/** CPU-bound builtins: a frame in cache client code that runs one of these is not waiting on the cache. */
const CPU_PREFIXES = ['preg_', 'str', 'array_', 'json_', 'serialize', 'unserialize', 'sprintf', 'implode', 'explode', 'in_array', 'count', 'md5', 'sha1', 'hash'];

function anyIn(file: string, parts: readonly string[]): boolean {
  for (const p of parts) if (file.includes(p)) return true;
  return false;
}

function isCpuBuiltin(fn: string): boolean {
  for (const p of CPU_PREFIXES) if (fn.startsWith(p)) return true;
  return false;
}

/**
 * The dependency a frame waits on, or undefined when it looks like PHP itself is busy ('cpu').
 * `fn` as printed by the slow log ('curl_exec', 'execute', '[INCLUDE_OR_EVAL]') or with its class
 * ('PDOStatement->execute', 'Redis::get') as PHP error traces print it.
 */
export function dependencyOf(fn: string, file?: string): Dependency | undefined {
  let name = fn.trim();
  if (name.endsWith('()')) name = name.slice(0, -2);
  let cls: string | undefined;
  const arrow = name.lastIndexOf('->');
  const colons = name.lastIndexOf('::');
  const sep = Math.max(arrow, colons);
  if (sep > 0) {
    cls = name.slice(0, sep);
    const bs = cls.lastIndexOf('\\');
    if (bs >= 0) cls = cls.slice(bs + 1);
    name = name.slice(sep + 2);
  }
  const lower = name.toLowerCase();
  const f = file ?? '';

  if (cls) {
    const byClass = BY_CLASS.get(cls.toLowerCase());
    if (byClass) return byClass;
  }
  const direct = BY_FUNCTION.get(lower);
  if (direct === 'http' || direct === 'db' || direct === 'sleep' || direct === 'session' || direct === 'lock') return direct;
  if (lower.startsWith('curl_multi')) return 'http';

  // the caller's file decides for generic names and for stream I/O done by client libraries
  if (anyIn(f, HTTP_PATHS)) return 'http';
  if (anyIn(f, REDIS_PATHS) && !isCpuBuiltin(lower)) return 'redis';
  if (anyIn(f, MEMCACHED_PATHS) && !isCpuBuiltin(lower)) return 'memcached';
  if (anyIn(f, DB_PATHS) && (DB_VERBS.has(lower) || lower.startsWith('mysqli_') || lower.startsWith('pg_'))) return 'db';
  if (direct) return direct;
  if (anyIn(f, CACHE_PATHS) && !isCpuBuiltin(lower) && (lower === 'get' || lower === 'set' || lower === 'connect')) return 'cache';
  return undefined;
}

/** The §3.5 class of a dependency (undefined → 'cpu': PHP itself is slow). */
export function dependencyClassOf(dep: Dependency | undefined): DependencyClass {
  switch (dep) {
    case 'http':
    case 'socket':
      return 'http-call';
    case 'db':
      return 'database';
    case 'redis':
    case 'memcached':
    case 'cache':
      return 'cache';
    case 'sleep':
      return 'sleep';
    case 'session':
    case 'lock':
      return 'lock';
    case 'disk':
      return 'disk-io';
    default:
      return 'cpu';
  }
}
