// Issue 7 part 1: logs next to their host's /etc need no flags; the top fix quotes the value in force,
// its file, and a value computed from the logs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adviseDirectives } from '../src/config/advice.js';
import { configDirFor, discoverConfig } from '../src/config/discover.js';
import { createDigest, peakInFlight } from '../src/digest/digest.js';

const HOST = join(process.cwd(), 'fixtures/config/wordpress-host');

describe('config-aware advice', () => {
  it('finds <root>/etc for logs under <root>/var/log, and nothing for logs elsewhere', () => {
    const exists = (p: string) => p === '/srv/copy/etc/nginx/nginx.conf';
    expect(configDirFor(['/srv/copy/var/log/nginx/access.log'], exists)).toBe('/srv/copy/etc');
    expect(configDirFor(['/srv/copy/var/logs/x.log', '/home/me/access.log', '-'], exists)).toBeUndefined();
  });

  it('analyses a custom log_format with no flags and rewrites the pool fix against www.conf', () => {
    const r = spawnSync(process.execPath, ['bin/logsleuth.js', join(HOST, 'var/log'), '--json'], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/using the configuration in .*wordpress-host\/etc/);
    const report = JSON.parse(r.stdout);
    const access = report.inputs.find((i: { path: string }) => i.path.endsWith('access.log'));
    expect(access).toMatchObject({ format: 'nginx-access', records: 382, unrecognized: 0 });
    const top = report.causes[0];
    expect(top.id).toBe('fpm-pool-exhausted');
    const pool = top.fix.directives.find((d: { set: string }) => d.set === 'pm.max_children');
    expect(pool.current).toEqual({ value: '5', file: '/etc/php/8.2/fpm/pool.d/www.conf', line: 8 });
    expect(pool.file).toBe('/etc/php/8.2/fpm/pool.d/www.conf:8');
    expect(Number(pool.to)).toBeGreaterThan(5);
    expect(pool.why).toMatch(/peak in-flight PHP requests \d+/);
    expect(report.config.files).toContain('/etc/nginx/sites-enabled/shop.example.com');
  });

  it('quotes the read timeout in force and how many 504s ended at it', () => {
    const config = discoverConfig(join(HOST, 'etc'));
    const [d] = adviseDirectives(
      [{ file: 'nginx location', set: 'fastcgi_read_timeout', to: '60s' }],
      config,
      ['unix:/run/php/php8.2-fpm.sock'],
      { timeoutDurations: [60.001, 60.002, 59.9, 12.5] },
    );
    expect(d?.current).toMatchObject({ value: '60s', file: '/etc/nginx/sites-enabled/shop.example.com' });
    expect(d?.why).toBe('is 60s and 3 of 4 504s ended at it; raising it only moves the wait — fix what is slow');
  });

  it("measures requests in flight with Little's law over a sliding window", () => {
    const d = createDigest();
    // 10 seconds in which 40 backend-seconds of requests ended: 4 in flight on average
    for (let s = 0; s < 10; s++) d.busy.set(1_000 + s, 4);
    d.busy.set(5_000, 1);
    expect(peakInFlight(d)).toBe(4);
    expect(peakInFlight(createDigest())).toBeUndefined();
  });
});
