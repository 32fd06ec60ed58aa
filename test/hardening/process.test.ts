// Process behaviour: a reader that closes the pipe early, Ctrl-C in the middle of a long read, colour only
// for a terminal that wants it, and the exit statuses documented where users look.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessLog, BIN, expectOneLineMessages, parseReport, runCli, tmpDir, type CliResult } from './cli.js';
import { hostileIncident, SGR } from './hostile-logs.js';

const HAS_SGR = new RegExp(SGR.source);

function pipeline(cmd: string): { status: number | null; stdout: string; stderr: string } {
  // bash for PIPESTATUS: the status of logsleuth, not of the reader
  const r = spawnSync('bash', ['-c', `${cmd}; exit \${PIPESTATUS[0]}`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a reader that stops early', () => {
  const dir = tmpDir({ 'access.log': accessLog(40_000) });
  const node = `"${process.execPath}" "${BIN}"`;

  it('parse | head -n 1: one line, exit 0, nothing on stderr', () => {
    const r = pipeline(`${node} parse "${dir}/access.log" | head -n 1`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe('');
  });

  it('analyze --json | head -c 100 and analyze | true: exit 0, nothing on stderr', () => {
    const json = pipeline(`${node} "${dir}" --json | head -c 100`);
    expect(json.status).toBe(0);
    expect(json.stdout).toHaveLength(100);
    expect(json.stderr).toBe('');
    const none = pipeline(`${node} "${dir}" | true`);
    expect(none.status).toBe(0);
    expect(none.stderr).toBe('');
  });

  it('a full disk is one line and exit 1, not a stack', () => {
    const r = pipeline(`${node} "${dir}" --json > /dev/full`);
    expect(r.status).toBe(1);
    expect(expectOneLineMessages(r.stderr)).toEqual(['logsleuth: cannot write the output: ENOSPC: no space left on device, write']);
  });
});

describe('Ctrl-C during a long read', () => {
  // 400 000 requests, every tenth a 502 (5xx are kept in full), about 110 MB: seconds of reading
  const dir = tmpDir();
  const big = join(dir, 'access.log');
  const out = openSync(big, 'w');
  for (let i = 0; i < 200; i++) writeSync(out, accessLog(2000, i * 2000));
  closeSync(out);

  /** Bytes the child has read so far, all threads together, from /proc (Linux only; elsewhere undefined). */
  function bytesRead(pid: number): number | undefined {
    if (!existsSync('/proc/self/io')) return undefined;
    try {
      return Number(/rchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0; // not started yet
    }
  }

  /** Starts an analysis of the big file and sends SIGINT once it is reading it. */
  async function interrupt(args: readonly string[]): Promise<CliResult> {
    const child = spawn(process.execPath, [BIN, 'analyze', big, ...args], { env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const t0 = Date.now();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      // startup reads a few MB of modules; 30 MB means it is well into the 110 MB log
      const read = child.pid === undefined ? undefined : bytesRead(child.pid);
      if ((read !== undefined && read > 30 << 20) || (read === undefined && Date.now() - t0 > 3000)) break;
      if (Date.now() - t0 > 20_000) break;
    }
    child.kill('SIGINT');
    const status = await exited;
    return { status, stdout, stderr };
  }

  it('prints the report of what was read, marked partial, exit 0', async () => {
    const r = await interrupt(['--json']);
    expect(r.status).toBe(0);
    const lines = expectOneLineMessages(r.stderr);
    expect(lines[0]).toBe('logsleuth: interrupted — finishing the report with what was read (Ctrl-C again to quit)');
    expect(lines[1]).toMatch(/access\.log: interrupted after line \d+$/);
    const report = parseReport(r.stdout);
    expect(report.partial).toBe(true);
    const input = report.inputs[0];
    expect(input?.problems[0]).toMatch(/^interrupted after line \d+$/);
    expect(input?.records).toBeGreaterThan(10_000);
    expect(input?.records).toBeLessThan(400_000);
    expect(report.summary.errors5xx).toBeGreaterThan(0);
  }, 60_000);

  it('the table says PARTIAL', async () => {
    const r = await interrupt([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('PARTIAL: interrupted, only what was read');
  }, 60_000);
});

describe('colour', () => {
  const dir = tmpDir(hostileIncident('x'));

  it('is off when stdout is not a terminal, and with NO_COLOR even when forced', () => {
    const piped = runCli(['analyze', dir], { env: { NO_COLOR: undefined } });
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toContain('\u001b');
    const forced = runCli(['analyze', dir], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(HAS_SGR);
    const both = runCli(['analyze', dir], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(both.stdout).not.toContain('\u001b');
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)('is on for a real terminal, and NO_COLOR turns it off there', () => {
    const onTty = (env: string): string =>
      spawnSync('script', ['-qec', `${env} "${process.execPath}" "${BIN}" analyze "${dir}"`, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TZ: 'UTC' },
      }).stdout;
    expect(onTty('env')).toMatch(HAS_SGR);
    // (a progress line on the terminal may use erase-line; NO_COLOR is about colour)
    expect(onTty('env NO_COLOR=1')).not.toMatch(HAS_SGR);
  });
});

describe('exit statuses are documented', () => {
  const CONTRACT = /0\D+report\D+1\D+input could not be read at all\D+2\D+usage error/i;
  it('in --help and in the README', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(CONTRACT);
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8').replace(/\*\*/g, '');
    expect(readme.replace(/\s+/g, ' ')).toMatch(CONTRACT);
  });

  it('and hold: 0 with a report, 1 with nothing readable, 2 on a usage error', () => {
    expect(runCli(['--json'], { input: accessLog(5) }).status).toBe(0);
    expect(runCli(['analyze', '/nonexistent/x.log']).status).toBe(1);
    expect(runCli(['analyze', '--since', 'yesterday-ish'], { input: accessLog(5) }).status).toBe(2);
    expect(parseReport(runCli(['--json'], { input: accessLog(5) }).stdout).summary.requests).toBe(5);
  });
});
