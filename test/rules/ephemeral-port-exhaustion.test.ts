import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';
import { access, at, background, cause, connectFail, kern } from './web-lines.js';

const EADDRNOTAVAIL = '99: Cannot assign requested address';

describe('ephemeral-port-exhaustion', () => {
  it('errno 99 to a TCP FPM → fast 502s joined, kernel TIME_WAIT overflow as support, keepalive fix', async () => {
    const n = 6;
    const acc: string[] = [];
    const err: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = at('10:03:00', Math.floor(i / 2));
      const r = `GET /product/${i} HTTP/1.1`;
      acc.push(access(t, `198.51.100.${i + 1}`, r, 502, { rt: 0, urt: '-', ua: '127.0.0.1:9000' }));
      err.push(connectFail(t, EADDRNOTAVAIL, `198.51.100.${i + 1}`, r, '127.0.0.1:9000', 'crit'));
    }
    const { report } = await analyzeFiles(
      { 'access.log': [...background(0, 5, 1), ...acc], 'error.log': err, 'kern.log': [kern('10:02:59', 'TCP: time wait bucket table overflow')] },
      'UTC',
    );
    const c = cause(report, 'ephemeral-port-exhaustion');
    expect(c?.rank).toBe(1);
    expect(c?.affectedRequests).toBe(n);
    expect(c?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(c?.fix.directives.map((d) => d.set)).toEqual(expect.arrayContaining(['upstream { … keepalive }', 'net.ipv4.ip_local_port_range']));
    expect(c?.fix.summary).toMatch(/time wait bucket table overflow/);
    expect(c?.evidence.some((e) => e.text.includes('time wait bucket'))).toBe(true);
  });

  it('does not fire on a kernel TIME_WAIT warning alone, nor on refused connects', async () => {
    const { report } = await analyzeFiles(
      {
        'access.log': [...background(0, 1), access('10:00:07', '203.0.113.7', 'GET / HTTP/1.1', 502, { rt: 0, ua: '127.0.0.1:9000' })],
        'error.log': [connectFail('10:00:07', '111: Connection refused', '203.0.113.7', 'GET / HTTP/1.1', '127.0.0.1:9000')],
        'kern.log': [kern('10:00:05', 'TCP: time wait bucket table overflow')],
      },
      'UTC',
    );
    expect(cause(report, 'ephemeral-port-exhaustion')).toBeUndefined();
    expect(cause(report, 'upstream-down')?.rank).toBe(1);
  });
});
