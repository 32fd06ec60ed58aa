// Worker threads change nothing but speed: the report with --jobs 2 or 3 (big access logs cut into blocks,
// files spread over threads) is the report of --jobs 1, byte for byte. Runs the built CLI (npm test builds
// first), as worker threads load dist/workers/worker.js.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessLines } from '../access-generator.js';

const BIN = join(process.cwd(), 'bin/logsleuth.js');

interface InputJson {
  path: string;
  format: string;
  lines: number;
  records: number;
  unrecognized: number;
  unrecognizedSamples: { line: number; text: string }[];
}
interface ReportJson {
  inputs: InputJson[];
  summary: { requests: number; errors5xx: number; byStatus: Record<string, number> };
}

function analyze(args: string[]): { json: string; report: ReportJson } {
  const r = spawnSync(process.execPath, [BIN, 'analyze', '--json', '--tz', 'UTC', ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' },
  });
  expect(r.stderr).not.toMatch(/internal error|worker:/);
  expect(r.status).toBe(0);
  return { json: r.stdout, report: JSON.parse(r.stdout) as ReportJson };
}

// Inputs above 16 MB in all take the parallel path, and files above 2 MB are cut into 1 MB blocks.
const LINES = 26_000;
let dir: string;
const text: Record<string, string[]> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ls-par-'));
  text.nginx = accessLines('combined', LINES, 1);
  text.extended = accessLines('extended', LINES, 2, Date.UTC(2026, 0, 12, 11, 0, 0));
  text.positional = accessLines('positional', LINES, 3);
  // %D values stay below 1000 for the first third: blocks after the switch read some as seconds, so
  // this input is read again on one thread
  text.apache = accessLines('apache-d', LINES, 4);
  text.gz = accessLines('extended', LINES, 5, Date.UTC(2026, 0, 12, 12, 0, 0));
  writeFileSync(join(dir, 'access.log'), `${text.nginx.join('\n')}\n`);
  writeFileSync(join(dir, 'extended.log'), `${text.extended.join('\r\n')}\r\n`);
  // no final LF: the last line is still a line
  writeFileSync(join(dir, 'positional.log'), text.positional.join('\n'));
  writeFileSync(join(dir, 'apache_access.log'), `${text.apache.join('\n')}\n`);
  writeFileSync(join(dir, 'shop.log.2.gz'), gzipSync(`${text.gz.join('\n')}\n`));
  writeFileSync(join(dir, 'error.log'), [
    '2026/01/12 10:00:05 [error] 1234#1234: *5 connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream, client: 203.0.113.8, server: shop.example, request: "GET /checkout HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example"',
    '2026/01/12 10:03:00 [error] 1234#1234: *9 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.9, server: shop.example, request: "POST /cart HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock", host: "shop.example"',
  ].join('\n') + '\n');
});

describe('--jobs', () => {
  it('gives the single-threaded report byte for byte, on plain, CRLF, unterminated, %D and gzip access logs', () => {
    const one = analyze(['--jobs', '1', dir]);
    expect(one.report.inputs).toHaveLength(6);
    expect(one.report.summary.errors5xx).toBeGreaterThan(20_000);
    for (const jobs of ['2', '3']) expect(analyze(['--jobs', jobs, dir]).json).toBe(one.json);
  });

  it('keeps line numbers of unrecognised samples exact in a file read in blocks', () => {
    const { report } = analyze(['--jobs', '2', join(dir, 'access.log')]);
    const input = report.inputs[0];
    expect(input?.lines).toBe(LINES);
    const junk = text.nginx?.filter((l) => l.startsWith('GET /index.html')).length ?? 0;
    expect(input?.unrecognized).toBe(junk);
    expect(input?.unrecognizedSamples.length).toBe(Math.min(junk, 5));
    for (const s of input?.unrecognizedSamples ?? []) expect(text.nginx?.[s.line - 1]).toBe(s.text);
  });

  it('applies --since/--until before the digest, in blocks as on one thread', () => {
    const since = '2026-01-12T11:00:00Z';
    const until = '2026-01-12T12:00:00Z';
    const lo = Date.parse(since), hi = Date.parse(until);
    const inWindow = (text.nginx ?? []).filter((l) => {
      const m = /\[(\d\d)\/Jan\/2026:(\d\d):(\d\d):(\d\d) \+0000\]/.exec(l);
      if (!m) return false;
      const t = Date.UTC(2026, 0, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
      return t >= lo && t <= hi;
    });
    const fivexx = inWindow.filter((l) => / 5\d\d \d+ "/.test(l)).length;
    expect(inWindow.length).toBeGreaterThan(1000);
    expect(inWindow.length).toBeLessThan(LINES / 2);
    const file = join(dir, 'access.log');
    const one = analyze(['--jobs', '1', '--since', since, '--until', until, file]);
    expect(one.report.summary.requests).toBe(inWindow.length);
    expect(one.report.summary.errors5xx).toBe(fivexx);
    // the big files together pass the size at which threads start
    const all = ['--since', since, '--until', until, dir];
    expect(analyze(['--jobs', '2', ...all]).json).toBe(analyze(['--jobs', '1', ...all]).json);
  });

  it('reads a directory of 120 rotated files in rotation order, the same on 1 and 2 threads', () => {
    const many = mkdtempSync(join(tmpdir(), 'ls-many-'));
    mkdirSync(join(many, 'nginx'));
    const lines = accessLines('extended', 12_000, 9);
    for (let i = 0; i < 120; i++) {
      // access.log.119.gz (oldest) … access.log.1, access.log: 100 lines each, older files hold earlier lines
      const part = lines.slice((119 - i) * 100, (120 - i) * 100).join('\n') + '\n';
      const name = i === 0 ? 'access.log' : i === 1 ? 'access.log.1' : `access.log.${i}.gz`;
      writeFileSync(join(many, 'nginx', name), i >= 2 ? gzipSync(part) : part);
    }
    // big enough to start threads, so the 120 small files are spread over them
    writeFileSync(join(many, 'big_access.log'), `${text.nginx?.join('\n')}\n${text.positional?.join('\n')}\n${text.extended?.join('\n')}\n`);
    const one = analyze(['--jobs', '1', many]);
    const names = one.report.inputs.map((i) => i.path.slice(many.length + 1));
    expect(names).toHaveLength(121);
    expect(names.slice(1, 4)).toEqual(['nginx/access.log.119.gz', 'nginx/access.log.118.gz', 'nginx/access.log.117.gz']);
    expect(names.slice(-2)).toEqual(['nginx/access.log.1', 'nginx/access.log']);
    expect(analyze(['--jobs', '2', many]).json).toBe(one.json);
  });
});
