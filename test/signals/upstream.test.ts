import { describe, expect, it } from 'vitest';
import { upstreamKeyOf } from '../../src/signals/upstream.js';
import { connectVariant, errnoOfText, linuxErrno } from '../../src/signals/errno.js';

describe('upstreamKeyOf', () => {
  it.each([
    ['fastcgi://unix:/run/php/php8.2-fpm.sock:', 'unix:/run/php/php8.2-fpm.sock'],
    ['http://unix:/tmp/app.sock:/api/v1?x=1', 'unix:/tmp/app.sock'],
    ['unix:/run/php/php8.2-fpm.sock', 'unix:/run/php/php8.2-fpm.sock'],
    ['fastcgi://127.0.0.1:9000', '127.0.0.1:9000'],
    ['http://10.0.0.5:8080/x', '10.0.0.5:8080'],
    ['https://10.0.0.5:443/path?q#f', '10.0.0.5:443'],
    ['http://backend/v1/items', 'backend'],
    ['http://[::1]:8080/x', '[::1]:8080'],
    ['balancer://appcluster', 'appcluster'],
    ['/run/php/php8.2-fpm.sock', 'unix:/run/php/php8.2-fpm.sock'],
    ['127.0.0.1:9000', '127.0.0.1:9000'],
  ])('%s → %s', (printed, key) => {
    expect(upstreamKeyOf(printed)).toBe(key);
  });
});

describe('errno helpers', () => {
  it('key on the number; texts only correct non-Linux numbering', () => {
    expect(linuxErrno(11, 'Operation would block')).toBe(11);
    expect(linuxErrno(111, 'Unknown error')).toBe(111);
    expect(linuxErrno(61, 'Connection refused')).toBe(111);
    expect(linuxErrno(60, 'Operation timed out')).toBe(110);
    expect(linuxErrno(undefined, 'File table overflow')).toBe(23);
    expect(linuxErrno(70007, 'The timeout specified has expired')).toBe(70007);
    expect(errnoOfText('nonsense')).toBeUndefined();
  });

  it('maps connect errnos to variants', () => {
    expect([11, 111, 2, 13, 99, 113, 104, 70007, 42].map(connectVariant)).toEqual([
      'backlog-full', 'refused', 'socket-missing', 'permission', 'ports-exhausted', 'unreachable', 'reset', 'timeout', 'errno-42',
    ]);
  });
});
