// Broken input, end to end through the real CLI: every case names the file (and line) in one stderr line,
// the analysis goes on with the other inputs, the report lists the problem under its input, --json stays
// JSON, and the exit status follows the contract (0 report, 1 nothing readable, 2 usage).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, createWriteStream, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { accessLine, accessLog, BIN, expectOneLineMessages, inputNamed, parseReport, runCli, tmpDir, unprivilegedUid, type CliResult } from './cli.js';

const GOOD = accessLog(30); // 30 requests, 3 of them 502
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56), Buffer.from('\x01\x02\x03\x04payload\x00\x00\x05')]);

/** The good log is always read in full next to the broken one. */
function expectGoodInputRead(r: ReturnType<typeof parseReport>, dir: string): void {
  const good = inputNamed(r, join(dir, 'access.log'));
  expect(good).toMatchObject({ format: 'nginx-access', lines: 30, records: 30, unrecognized: 0, problems: [] });
  expect(r.summary.requests).toBeGreaterThanOrEqual(30);
  expect(r.summary.byStatus['502']).toBeGreaterThanOrEqual(3);
}

describe('binary files', () => {
  it('are skipped with a note while the logs beside them are read', () => {
    const dir = tmpDir({ 'access.log': GOOD, 'php-fpm.log.core': ELF });
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    expect(expectOneLineMessages(r.stderr)).toEqual([`logsleuth: ${dir}/php-fpm.log.core: binary file, skipped`]);
    const report = parseReport(r.stdout);
    expect(inputNamed(report, 'php-fpm.log.core')).toMatchObject({ format: 'binary', lines: 0, problems: ['binary file, skipped'] });
    expectGoodInputRead(report, dir);
  });

  it('alone: exit 1, the note, and still a JSON report that lists the input', () => {
    const dir = tmpDir({ 'core.log': ELF });
    const r = runCli(['analyze', join(dir, 'core.log'), '--json']);
    expect(r.status).toBe(1);
    expect(expectOneLineMessages(r.stderr)).toContain(`logsleuth: ${dir}/core.log: binary file, skipped`);
    expect(inputNamed(parseReport(r.stdout), 'core.log').problems).toEqual(['binary file, skipped']);
  });
});

describe('gzip', () => {
  const whole = gzipSync(accessLog(2000, 100));

  it('truncated: every complete line before the cut is kept, the message names the last good line', () => {
    const dir = tmpDir({ 'access.log': GOOD, 'access.log.2.gz': whole.subarray(0, Math.floor(whole.length / 2)) });
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    const [msg] = expectOneLineMessages(r.stderr);
    expect(msg).toMatch(new RegExp(`^logsleuth: ${dir}/access\\.log\\.2\\.gz: truncated gzip data: input ends early after line \\d+$`));
    const after = Number(/after line (\d+)/.exec(msg ?? '')?.[1]);
    const report = parseReport(r.stdout);
    const cut = inputNamed(report, 'access.log.2.gz');
    expect(cut).toMatchObject({ gzip: true, format: 'nginx-access' });
    expect(cut.problems).toEqual([`truncated gzip data: input ends early after line ${after}`]);
    // half of the compressed bytes hold a good share of the lines; all of them were parsed
    expect(after).toBeGreaterThan(200);
    expect(after).toBeLessThan(2000);
    expect(cut.records).toBeGreaterThanOrEqual(after);
    expectGoodInputRead(report, dir);
  });

  it('corrupt deflate data right after the header: nothing read from it, exit 1 when alone', () => {
    const bad = Buffer.from(whole);
    for (let i = 12; i < 40; i++) bad[i] = 0xff;
    const dir = tmpDir({ 'access.log': GOOD, 'old.gz': bad });
    const withGood = runCli(['analyze', dir, '--json']);
    expect(withGood.status).toBe(0);
    expect(expectOneLineMessages(withGood.stderr)).toEqual([`logsleuth: ${dir}/old.gz: corrupt gzip data`]);
    const report = parseReport(withGood.stdout);
    expect(inputNamed(report, 'old.gz')).toMatchObject({ lines: 0, records: 0, problems: ['corrupt gzip data'] });
    expectGoodInputRead(report, dir);

    const alone = runCli(['analyze', join(dir, 'old.gz'), '--json']);
    expect(alone.status).toBe(1);
    expect(expectOneLineMessages(alone.stderr)[0]).toBe(`logsleuth: ${dir}/old.gz: corrupt gzip data`);
    expect(inputNamed(parseReport(alone.stdout), 'old.gz').problems).toEqual(['corrupt gzip data']);
  });

  it('a damaged CRC trailer is reported after the lines that were read', () => {
    const bad = gzipSync(accessLog(40_000, 100));
    const at = bad.length - 8; // CRC32 of the gzip member trailer
    bad[at] = (bad[at] ?? 0) ^ 0xff;
    const dir = tmpDir({ 'access.log.1': bad });
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    const [msg] = expectOneLineMessages(r.stderr);
    expect(msg).toMatch(new RegExp(`^logsleuth: ${dir}/access\\.log\\.1: corrupt gzip data after line \\d+$`));
    const after = Number(/after line (\d+)/.exec(msg ?? '')?.[1]);
    const input = inputNamed(parseReport(r.stdout), 'access.log.1');
    expect(after).toBeGreaterThan(20_000);
    expect(input).toMatchObject({ gzip: true, format: 'nginx-access', problems: [`corrupt gzip data after line ${after}`] });
    expect(input.records).toBeGreaterThanOrEqual(after);
  });
});

describe('empty input', () => {
  it('an empty file is listed as empty, without noise, and the run succeeds', () => {
    const dir = tmpDir({ 'access.log': GOOD, 'error.log': '' });
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const report = parseReport(r.stdout);
    expect(inputNamed(report, 'error.log')).toMatchObject({ format: 'empty', lines: 0, records: 0, problems: [] });
    expectGoodInputRead(report, dir);
  });

  it('empty stdin gives an empty report, exit 0', () => {
    const r = runCli(['--json'], { input: '' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const report = parseReport(r.stdout);
    expect(report.summary.requests).toBe(0);
    expect(report.causes).toEqual([]);
  });
});

describe('over-long lines', () => {
  it('a 2 MB line is cut at 64 KB and counted; the lines after it are read', () => {
    const huge = accessLine(5, 502, `/search/${'A'.repeat(2 * 1024 * 1024)}`);
    const text = `${accessLine(1)}\n${accessLine(2)}\n${huge}\n${accessLog(27, 10)}`;
    const dir = tmpDir({ 'access.log': GOOD, 'big.log': text });
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    expect(expectOneLineMessages(r.stderr)).toEqual([`logsleuth: ${dir}/big.log: 1 line(s) longer than 64 KB truncated (first at line 3)`]);
    const big = inputNamed(parseReport(r.stdout), 'big.log');
    expect(big).toMatchObject({ lines: 30, truncatedLines: 1, format: 'nginx-access' });
    // the cut line lost its closing quote and fields: not a request, but sampled, clipped, not dropped
    expect(big.records + big.unrecognized).toBe(30);
    for (const s of big.unrecognizedSamples) expect(s.text.length).toBeLessThanOrEqual(301);
    expect(r.stdout.length).toBeLessThan(200_000);
  });

  it('a 2 MB line without a final newline, on stdin', () => {
    const r = runCli(['--json'], { input: `${accessLog(5)}${'x'.repeat(2 * 1024 * 1024)}` });
    expect(r.status).toBe(0);
    expect(expectOneLineMessages(r.stderr)).toEqual(['logsleuth: <stdin>: 1 line(s) longer than 64 KB truncated (first at line 6)']);
    expect(inputNamed(parseReport(r.stdout), '-')).toMatchObject({ lines: 6, records: 5, unrecognized: 1, truncatedLines: 1 });
  });
});

describe('bytes that are not clean UTF-8 text', () => {
  it('invalid UTF-8 is replaced with U+FFFD; the request still counts', () => {
    const line = accessLine(3, 502, '/caf').replace('?p=3', '');
    // Latin-1 'é' in the path, a lone continuation byte in the user agent, a cut 3-byte sequence on its own line
    const hostile = Buffer.from(line.replace('/caf ', '/caf\u0001 ').replace('Firefox', 'Fire\u0002fox'), 'utf8');
    const bytes = Buffer.from(hostile.map((b) => (b === 1 ? 0xe9 : b === 2 ? 0x80 : b)));
    const dir = tmpDir({ 'access.log': GOOD, 'latin1.log': Buffer.concat([Buffer.from(accessLog(3, 40)), bytes, Buffer.from('\n\xe2\x82\n', 'latin1')]) });
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const report = parseReport(r.stdout);
    expect(inputNamed(report, 'latin1.log')).toMatchObject({ lines: 5, records: 4, unrecognized: 1 });
    expect(report.summary.byStatus['502']).toBe(4);
    const recs = runCli(['parse', join(dir, 'latin1.log')]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; userAgent: string });
    expect(recs[3]).toMatchObject({ path: '/caf\ufffd', userAgent: expect.stringContaining('Fire\ufffdfox') });
  });

  it('NUL bytes inside a line: that line is unrecognised and shown escaped, the rest is read', () => {
    const text = `${accessLog(100, 40)}GET /\u0000\u0000\u0000 junk\n${accessLog(5, 200)}`;
    const dir = tmpDir({ 'access.log': GOOD, 'nul.log': text });
    const json = runCli(['analyze', dir, '--json']);
    expect(json.status).toBe(0);
    expect(json.stderr).toBe('');
    const nul = inputNamed(parseReport(json.stdout), 'nul.log');
    expect(nul).toMatchObject({ format: 'nginx-access', lines: 106, records: 105, unrecognized: 1 });
    expect(nul.unrecognizedSamples).toEqual([{ line: 101, text: 'GET /\u0000\u0000\u0000 junk' }]);
    const table = runCli(['analyze', dir]);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('line 101: GET /\\x00\\x00\\x00 junk');
    expect(table.stdout).not.toContain('\u0000');
  });

  it('a block of NULs at the start (logrotate copytruncate, a crash) does not make a log "binary"', () => {
    const text = Buffer.concat([Buffer.alloc(8192), Buffer.from(accessLog(50, 300))]);
    const dir = tmpDir({ 'access.log': GOOD, 'php-app.log': text });
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    const app = inputNamed(parseReport(r.stdout), 'php-app.log');
    expect(app.format).toBe('nginx-access');
    expect(app.records).toBe(50);
  });

  it('CRLF line ends read the same as LF, with no stray CR in any field', () => {
    const lf = accessLog(30);
    const dir = tmpDir({ 'access.log': GOOD, 'win.log': lf.replace(/\n/g, '\r\n') });
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const report = parseReport(r.stdout);
    expect(inputNamed(report, 'win.log')).toMatchObject({ format: 'nginx-access', lines: 30, records: 30, unrecognized: 0 });
    expect(r.stdout).not.toContain('\\r');
    const parsed = runCli(['parse', join(dir, 'win.log')]);
    const recs = parsed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { raw: string; protocol: string });
    expect(recs).toHaveLength(30);
    for (const rec of recs) expect(rec.raw.endsWith('\r')).toBe(false);
  });
});

/**
 * Runs the CLI with a named pipe as its first input and the files after it. Once the CLI has consumed a
 * megabyte from the pipe it is past resolving its paths and is reading, so `meanwhile` changes the other
 * files mid-run, deterministically.
 */
async function runMidRun(dir: string, args: readonly string[], meanwhile: () => void, uid?: number): Promise<CliResult> {
  const fifo = join(dir, 'live.log');
  execFileSync('mkfifo', ['-m', '0666', fifo]);
  const child = spawn(process.execPath, [BIN, 'analyze', fifo, ...args], {
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const pipe = createWriteStream(fifo);
  await new Promise<void>((resolve, reject) => pipe.write(accessLog(8000, 5000), (err) => (err ? reject(err) : resolve())));
  meanwhile();
  await new Promise<void>((resolve) => pipe.end(() => resolve()));
  const status = await exited;
  return { status, stdout, stderr };
}

describe('files that go away or lock up mid-run', () => {
  it('a file deleted after the scan and one made unreadable are named; the rest is reported', async () => {
    const uid = unprivilegedUid();
    const dir = tmpDir({ 'access.log': GOOD, 'access.log.1': accessLog(10, 100), 'access.log.2': accessLog(10, 200) });
    const r = await runMidRun(
      dir,
      [join(dir, 'access.log.1'), join(dir, 'access.log.2'), join(dir, 'access.log'), '--json'],
      () => {
        unlinkSync(join(dir, 'access.log.1'));
        chmodSync(join(dir, 'access.log.2'), 0o000);
      },
      uid,
    );
    expect(r.status).toBe(0);
    expect(expectOneLineMessages(r.stderr)).toEqual([
      `logsleuth: ${dir}/access.log.1: no such file or directory`,
      `logsleuth: ${dir}/access.log.2: permission denied`,
    ]);
    const report = parseReport(r.stdout);
    expect(inputNamed(report, 'access.log.1').problems).toEqual(['no such file or directory']);
    expect(inputNamed(report, 'access.log.2').problems).toEqual(['permission denied']);
    expect(inputNamed(report, 'live.log')).toMatchObject({ lines: 8000, records: 8000 });
    expectGoodInputRead(report, dir);
  });

  it('an unreadable file alone: exit 1, one line, a JSON report listing it', () => {
    const dir = tmpDir({ 'error.log': '2026/01/12 10:00:01 [error] 1#1: *1 connect() failed (111: Connection refused)\n' });
    chmodSync(join(dir, 'error.log'), 0o000);
    const r = runCli(['analyze', join(dir, 'error.log'), '--json'], { uid: unprivilegedUid() });
    expect(r.status).toBe(1);
    expect(expectOneLineMessages(r.stderr)[0]).toBe(`logsleuth: ${dir}/error.log: permission denied`);
    expect(inputNamed(parseReport(r.stdout), 'error.log').problems).toEqual(['permission denied']);
  });
});

describe('missing paths', () => {
  it('are named, listed in the report, and the other inputs are analysed', () => {
    const dir = tmpDir({ 'access.log': GOOD });
    const missing = join(dir, 'php8.2-fpm.log');
    const r = runCli(['analyze', missing, dir, '--json']);
    expect(r.status).toBe(0);
    expect(expectOneLineMessages(r.stderr)).toEqual([`logsleuth: ${missing}: no such file or directory`]);
    const report = parseReport(r.stdout);
    expect(inputNamed(report, 'php8.2-fpm.log')).toMatchObject({ lines: 0, records: 0, problems: ['no such file or directory'] });
    expectGoodInputRead(report, dir);
  });

  it('alone: exit 1 with one line and a JSON report; a glob that matches nothing likewise', () => {
    const r = runCli(['analyze', '/nonexistent/access.log', '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('logsleuth: /nonexistent/access.log: no such file or directory\n');
    expect(inputNamed(parseReport(r.stdout), '/nonexistent/access.log').problems).toEqual(['no such file or directory']);

    const dir = tmpDir();
    const glob = runCli(['analyze', `${dir}/*.log`, '--json']);
    expect(glob.status).toBe(1);
    expect(glob.stderr).toBe(`logsleuth: ${dir}/*.log: no file matches this pattern\n`);
    parseReport(glob.stdout);
  });

  it('without --json, a missing path prints no report on stdout, only the message', () => {
    const r = runCli(['analyze', '/nonexistent/access.log']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('logsleuth: /nonexistent/access.log: no such file or directory\n');
  });

  it('a usage error is exit 2, one line, nothing on stdout', () => {
    writeFileSync(join(tmpDir(), 'x.log'), GOOD);
    const r = runCli(['analyze', '--since', 'yesterday-ish', '--json'], { input: GOOD });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(expectOneLineMessages(r.stderr)).toHaveLength(1);
  });
});
