// `logsleuth --follow` as a process: NDJSON per interval with --json, one line per new episode in a pipe,
// Ctrl-C ends it with exit status 0.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin/logsleuth.js');
const SOCK = 'unix:/run/php/php8.2-fpm.sock';

/** A 502 in the access log and nginx's line saying why, for one request (same client, same request line). */
function failedRequest(min: number, sec: number, n: number, path = '/checkout'): { access: string; error: string } {
  const mm = String(min).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  const client = `198.51.100.${n}`;
  return {
    access: `${client} - - [12/Jan/2026:10:${mm}:${ss} +0000] "GET ${path} HTTP/1.1" 502 157 "-" "Mozilla/5.0"\n`,
    error:
      `2026/01/12 10:${mm}:${ss} [crit] 900#900: *${n} connect() to ${SOCK} failed (2: No such file or directory) while connecting to upstream, ` +
      `client: ${client}, server: example.test, request: "GET ${path} HTTP/1.1", upstream: "fastcgi://${SOCK}:", host: "example.test"\n`,
  };
}

function ok(min: number, sec: number, n: number): string {
  return `203.0.113.${n} - - [12/Jan/2026:10:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')} +0000] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n`;
}

function write(dir: string, failures: { access: string; error: string }[], okLines: string[] = []): void {
  appendFileSync(join(dir, 'access.log'), okLines.join('') + failures.map((f) => f.access).join(''));
  appendFileSync(join(dir, 'error.log'), failures.map((f) => f.error).join(''));
}

function startCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    out: () => stdout,
    err: () => stderr,
    until: async (pred: (out: string) => boolean, what: string) => {
      const deadline = Date.now() + 10_000;
      while (!pred(stdout)) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`timed out waiting for ${what}; stdout: ${stdout.slice(-500)} stderr: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

function tmpLogs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-follow-cli-'));
  writeFileSync(join(dir, 'access.log'), '');
  writeFileSync(join(dir, 'error.log'), '');
  return dir;
}

describe('logsleuth --follow', () => {
  it('--json prints one report per interval as NDJSON and ends cleanly on Ctrl-C', async () => {
    const dir = tmpLogs();
    write(dir, [failedRequest(0, 1, 1)], [ok(0, 0, 1), ok(0, 0, 2)]);
    const cli = startCli(['--follow', '--json', '--interval', '0.1', join(dir, 'access.log'), join(dir, 'error.log')]);
    await cli.until((o) => o.split('\n').length > 2, 'two reports');
    write(dir, [failedRequest(0, 2, 2), failedRequest(0, 3, 3)]);
    await cli.until((o) => o.includes('"requests":5,'), 'a report with the appended requests');
    expect(await cli.stop()).toBe(0);
    const reports = cli.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(reports.length).toBeGreaterThan(2);
    const last = reports[reports.length - 1];
    expect(last.summary).toMatchObject({ requests: 5, errors5xx: 3 });
    expect(last.causes[0]).toMatchObject({ id: 'upstream-down', affectedRequests: 3 });
    expect(cli.err()).not.toMatch(/\n\s+at /);
  });

  it('in a pipe, prints one escaped line per new episode, not one per report', async () => {
    const dir = tmpLogs();
    const hostile = '/x\u001b]0;pwned\u0007\u001b[2J';
    write(dir, [failedRequest(0, 1, 1, hostile), failedRequest(0, 2, 2, hostile)], [ok(0, 0, 1)]);
    const cli = startCli(['--follow', '--interval', '0.1', join(dir, 'access.log'), join(dir, 'error.log')]);
    await cli.until((o) => o.includes('new episode'), 'the first episode');
    // the same burst goes on: no new line
    write(dir, [failedRequest(0, 5, 3, hostile)]);
    await new Promise((r) => setTimeout(r, 400));
    // ten minutes later: a new episode
    write(dir, [failedRequest(10, 0, 4), failedRequest(10, 1, 5)]);
    await cli.until((o) => o.split('new episode').length === 3, 'the second episode');
    expect(await cli.stop()).toBe(0);
    const lines = cli.out().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^2026-01-12T10:00:01.* new episode {2}upstream-down \[\w+, \d+%\]: 2 × 5xx/);
    expect(lines[1]).toMatch(/^2026-01-12T10:10:00.* new episode {2}upstream-down/);
    expect(cli.out()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});
