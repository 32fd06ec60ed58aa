// The CLI as users run it: exit codes, one-line errors, valid JSON, stdin, gzip, broken inputs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin/logsleuth.js');

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ACCESS = [
  '203.0.113.7 - - [12/Jan/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"',
  '203.0.113.8 - - [12/Jan/2026:10:00:02 +0000] "GET /checkout HTTP/1.1" 502 157 "-" "Mozilla/5.0"',
  'this line is not a log line',
].join('\n') + '\n';

function tmp(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-cli-'));
  for (const [n, c] of Object.entries(files)) writeFileSync(join(dir, n), c);
  return dir;
}

describe('logsleuth CLI', () => {
  it('analyzes piped stdin and reports inputs, summary and unrecognised samples as JSON', () => {
    const r = run(['--json'], ACCESS);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.inputs[0]).toMatchObject({ path: '-', format: 'nginx-access', lines: 3, records: 2, unrecognized: 1 });
    expect(report.inputs[0].unrecognizedSamples).toEqual([{ line: 3, text: 'this line is not a log line' }]);
    expect(report.summary).toMatchObject({ requests: 2, byStatus: { 200: 1, 502: 1 }, errors5xx: 1 });
    expect(report.timezoneAssumed).toBe('UTC');
  });

  it('detects gzip by content, whatever the name', () => {
    const dir = tmp({ 'old-access': gzipSync(ACCESS) });
    const r = run(['analyze', join(dir, 'old-access'), '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).inputs[0]).toMatchObject({ gzip: true, format: 'nginx-access', records: 2 });
  });

  it('keeps going past a truncated gzip, a binary file and a missing path, naming each on stderr', () => {
    const gz = gzipSync(ACCESS.repeat(200));
    const dir = tmp({ 'access.log': ACCESS, 'cut.log.1.gz': gz.subarray(0, Math.floor(gz.length / 2)), 'core.log': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]) });
    const r = run(['analyze', dir, join(dir, 'missing.log'), '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    const byName = Object.fromEntries(report.inputs.map((i: { path: string }) => [i.path.split('/').pop(), i]));
    expect(byName['core.log'].format).toBe('binary');
    expect(byName['cut.log.1.gz'].problems.join(' ')).toMatch(/truncated gzip|unexpected end/);
    expect(byName['cut.log.1.gz'].records).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/missing\.log: no such file or directory/);
    expect(r.stderr).toMatch(/core\.log: binary file, skipped/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 when nothing could be read and 2 on usage errors, in one line, without a stack', () => {
    const missing = run(['analyze', '/nonexistent/access.log']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('logsleuth: /nonexistent/access.log: no such file or directory\n');
    const badTz = run(['--tz', 'Mars/Olympus', '--json'], ACCESS);
    expect(badTz.status).toBe(2);
    expect(badTz.stderr).toMatch(/unknown time zone 'Mars\/Olympus'/);
    const badFlag = run(['--no-such-flag'], ACCESS);
    expect(badFlag.status).toBe(2);
    const badFormat = run(['--input-format', 'iis'], ACCESS);
    expect(badFormat.status).toBe(2);
  });

  it("reads '-' as stdin next to files, in the order given", () => {
    const dir = tmp({ 'error.log': '2026/01/12 10:00:02 [error] 1#1: *1 connect() to unix:/run/php/php8.2-fpm.sock failed (111: Connection refused) while connecting to upstream, client: 203.0.113.8, server: x, request: "GET /checkout HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "x"\n' });
    const r = run(['analyze', '-', join(dir, 'error.log'), '--json', '--tz', 'UTC'], ACCESS);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.inputs.map((i: { path: string; format: string }) => [i.path === '-' ? '-' : 'file', i.format])).toEqual([['-', 'nginx-access'], ['file', 'nginx-error']]);
  });

  it('parse prints one JSON record per line', () => {
    const out = execFileSync(process.execPath, [BIN, 'parse', '-'], { input: ACCESS, encoding: 'utf8' });
    const recs = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(recs.map((r) => [r.kind, r.status, r.path])).toEqual([['access', 200, '/'], ['access', 502, '/checkout']]);
  });

  it('ends quietly when the reader closes the pipe early', () => {
    const dir = tmp({ 'access.log': ACCESS.repeat(20000) });
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" parse "${join(dir, 'access.log')}" | head -n 1`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('');
  });

  it('lists the cause catalogue from the rule files', () => {
    const r = run(['causes', '--json']);
    expect(r.status).toBe(0);
    const causes = JSON.parse(r.stdout) as { id: string; layer: string; fix: { summary: string } }[];
    expect(causes.length).toBe(30);
    expect(causes.map((c) => c.id)).toContain('oom-killer');
    for (const c of causes) expect(c.fix.summary.length).toBeGreaterThan(10);
  });
});
