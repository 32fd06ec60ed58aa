import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../analyze-helpers.js';

function kill(hhmm: string, pid: number, client: string, path: string) {
  return {
    kern: `Jan 12 ${hhmm}:04 web1 kernel: [812345.678901] Out of memory: Killed process ${pid} (php-fpm8.2) total-vm:1023456kB, anon-rss:612340kB, file-rss:0kB, shmem-rss:12345kB, UID:33 pgtables:1480kB oom_score_adj:0`,
    fpm: `[12-Jan-2026 ${hhmm}:04] WARNING: [pool www] child ${pid} exited on signal 9 (SIGKILL) after 81.503321 seconds from start`,
    err: `2026/01/12 ${hhmm}:04 [error] 1234#1234: *${pid} upstream prematurely closed connection while reading response header from upstream, client: ${client}, server: shop.example.com, request: "GET ${path} HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"`,
    acc: `${client} - - [12/Jan/2026:${hhmm}:04 +0000] "GET ${path} HTTP/1.1" 502 157 "-" "Mozilla/5.0" rt=12.004 uct="0.000" uht="-" urt="12.003" ua="unix:/run/php/php8.2-fpm.sock" us="502"`,
  };
}

describe('the same cause found twice', () => {
  it('is one ranked row with one episode per burst', async () => {
    const a = kill('10:00', 4711, '203.0.113.7', '/export');
    const b = kill('10:20', 4802, '203.0.113.8', '/report');
    const { report } = await analyzeFiles({
      'kern.log': [a.kern, b.kern],
      'php8.2-fpm.log': [a.fpm, b.fpm],
      'error.log': [a.err, b.err],
      'access.log': [a.acc, b.acc],
    });
    const oom = report.causes.filter((c) => c.id === 'oom-killer');
    expect(oom).toHaveLength(1);
    expect(oom[0]).toMatchObject({ rank: 1, affectedRequests: 2, byStatus: { 502: 2 } });
    expect(oom[0]?.episodes).toHaveLength(2);
  });
});
