import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverConfig } from '../src/config/discover.js';
import { phpBytes, phpSetting, durationSeconds } from '../src/config/php-fpm.js';

const TREE = join(process.cwd(), 'fixtures/config/wordpress-host/etc');

describe('reading a host configuration tree', () => {
  const cfg = discoverConfig(TREE);

  it('follows nginx includes and learns the access log_format in use', () => {
    expect(cfg.nginx?.accessLogs).toEqual([
      expect.objectContaining({ path: '/var/log/nginx/access.log', formatName: 'upstream', file: '/etc/nginx/nginx.conf' }),
    ]);
    expect(cfg.nginx?.accessLogs[0]?.format).toBe(
      '$time_iso8601 $remote_addr $host "$request" $status $body_bytes_sent $request_time $upstream_response_time "$upstream_addr" $upstream_status "$http_user_agent"',
    );
    expect(cfg.nginx?.errorLogs.map((e) => e.value)).toEqual(['/var/log/nginx/error.log']);
  });

  it('maps fastcgi_pass through an upstream block to the FPM socket', () => {
    expect(cfg.nginx?.upstreams).toEqual([
      expect.objectContaining({ via: 'fastcgi_pass', target: 'php', addresses: ['unix:/run/php/php8.2-fpm.sock'], file: '/etc/nginx/sites-enabled/shop.example.com' }),
    ]);
    expect(cfg.nginx?.settings.get('fastcgi_read_timeout')).toMatchObject({ value: '60s', line: 14 });
    expect(cfg.nginx?.settings.get('worker_connections')?.value).toBe('768');
  });

  it('reads FPM pools through include= with $pool expanded, and php.ini under the pool overrides', () => {
    expect(cfg.fpmPools.map((p) => p.name)).toEqual(['www']);
    const www = cfg.fpmPools[0];
    expect(www?.settings.get('pm.max_children')).toEqual({ value: '5', file: '/etc/php/8.2/fpm/pool.d/www.conf', line: 8 });
    expect(www?.settings.get('slowlog')?.value).toBe('/var/log/php-fpm/www.slow.log');
    expect(www?.settings.get('request_terminate_timeout')).toBeUndefined();
    expect(phpSetting(www, cfg.phpIni, 'memory_limit')?.value).toBe('256M');
    expect(phpSetting(www, cfg.phpIni, 'max_execution_time')).toMatchObject({ value: '30', file: '/etc/php/8.2/fpm/php.ini' });
  });

  it('converts PHP sizes and durations', () => {
    expect(phpBytes('256M')).toBe(256 * 1024 * 1024);
    expect(phpBytes('-1')).toBe(Infinity);
    expect(durationSeconds('60s')).toBe(60);
    expect(durationSeconds('5m')).toBe(300);
    expect(durationSeconds('30')).toBe(30);
  });
});
