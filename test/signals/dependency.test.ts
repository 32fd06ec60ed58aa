import { describe, expect, it } from 'vitest';
import { dependencyClassOf, dependencyOf } from '../../src/signals/dependency.js';

describe('dependencyOf: slow-log top frames (§3.5, §5.9)', () => {
  it.each([
    // specific functions decide on their own
    ['curl_exec', '/var/www/html/wp-includes/Requests/src/Transport/Curl.php', 'http'],
    ['curl_multi_exec', '/srv/app/vendor/guzzlehttp/guzzle/src/Handler/CurlMultiHandler.php', 'http'],
    ['curl_multi_select', '/srv/app/lib/Fetch.php', 'http'],
    ['__doRequest', '/srv/app/lib/Soap.php', 'http'],
    ['mysqli_query', '/var/www/html/wp-includes/class-wpdb.php', 'db'],
    ['mysqli_real_connect', '/var/www/html/wp-includes/class-wpdb.php', 'db'],
    ['pg_query', '/srv/app/db.php', 'db'],
    ['mysql_query', '/srv/legacy/db.inc.php', 'db'],
    ['sleep', '/srv/app/jobs/Retry.php', 'sleep'],
    ['usleep', '/srv/app/jobs/Retry.php', 'sleep'],
    ['session_start', '/var/www/html/index.php', 'session'],
    ['flock', '/srv/app/lib/Mutex.php', 'lock'],
    // classes as PHP traces print them
    ['PDOStatement->execute', '/srv/app/src/Repo.php', 'db'],
    ['PDO->__construct', '/srv/app/src/Db.php', 'db'],
    ['Redis->get', '/srv/app/src/Cache.php', 'redis'],
    ['Memcached->getMulti', '/srv/app/src/Cache.php', 'memcached'],
    ['SoapClient->__soapCall', '/srv/app/src/Erp.php', 'http'],
    // generic names decided by the caller's file
    ['execute', '/srv/app/vendor/doctrine/dbal/src/Statement.php', 'db'],
    ['query', '/var/www/html/wp-includes/class-wpdb.php', 'db'],
    ['prepare', '/srv/app/vendor/laravel/framework/src/Illuminate/Database/Connection.php', 'db'],
    ['get', '/srv/app/vendor/predis/predis/src/Client.php', 'redis'],
    ['fread', '/srv/app/vendor/predis/predis/src/Connection/StreamConnection.php', 'redis'],
    ['fwrite', '/srv/app/vendor/predis/predis/src/Connection/StreamConnection.php', 'redis'],
    ['get', '/var/www/html/wp-content/object-cache-memcached.php', 'memcached'],
    ['stream_select', '/srv/app/vendor/guzzlehttp/guzzle/src/Handler/StreamHandler.php', 'http'],
    ['file_get_contents', '/var/www/html/wp-includes/class-wp-http-streams.php', 'http'],
    // stream and socket I/O outside known clients
    ['file_get_contents', '/var/www/html/wp-content/plugins/weather/widget.php', 'socket'],
    ['fsockopen', '/srv/app/lib/Smtp.php', 'socket'],
    ['stream_socket_client', '/srv/app/lib/Mq.php', 'socket'],
    // local writes
    ['file_put_contents', '/srv/app/lib/Export.php', 'disk'],
    ['fflush', '/srv/app/lib/Export.php', 'disk'],
  ])('%s() in %s → %s', (fn, file, dep) => {
    expect(dependencyOf(fn, file)).toBe(dep);
  });

  it.each([
    ['preg_match', '/var/www/html/wp-includes/formatting.php'],
    ['preg_replace_callback', '/var/www/html/wp-includes/class-wpdb.php'],
    ['array_map', '/srv/app/vendor/predis/predis/src/Client.php'],
    ['render', '/srv/app/vendor/twig/twig/src/Template.php'],
    ['[INCLUDE_OR_EVAL]', '/var/www/html/wp-settings.php'],
    ['???', 'unknown'],
  ])('%s() in %s is PHP itself (cpu)', (fn, file) => {
    expect(dependencyOf(fn, file)).toBeUndefined();
    expect(dependencyClassOf(dependencyOf(fn, file))).toBe('cpu');
  });

  it('accepts the name with its parentheses', () => {
    expect(dependencyOf('curl_exec()')).toBe('http');
  });

  it.each([
    ['http', 'http-call'],
    ['socket', 'http-call'],
    ['db', 'database'],
    ['redis', 'cache'],
    ['memcached', 'cache'],
    ['sleep', 'sleep'],
    ['session', 'lock'],
    ['lock', 'lock'],
    ['disk', 'disk-io'],
  ] as const)('%s belongs to %s', (dep, cls) => {
    expect(dependencyClassOf(dep)).toBe(cls);
  });
});
