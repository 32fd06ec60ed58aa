// Running the built CLI (bin/logsleuth.js → dist/) the way users do, and checking its process contract.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

export const BIN = join(process.cwd(), 'bin/logsleuth.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** run as another user (root cannot be denied a read, so permission cases drop to 'nobody') */
  uid?: number;
}

/** Colour off and a fixed zone unless a test says otherwise. */
export function runCli(args: readonly string[], o: RunOptions = {}): CliResult {
  const opts: SpawnSyncOptions = {
    input: o.input ?? '',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, TZ: 'UTC', ...o.env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  };
  if (o.uid !== undefined) {
    opts.uid = o.uid;
    opts.gid = o.uid;
  }
  const r = spawnSync(process.execPath, [BIN, ...args], opts);
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** A fresh directory, readable by every user, holding the given files. */
export function tmpDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-hard-'));
  chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

/** The uid to run as when a file must be unreadable: 'nobody' under root, ourselves otherwise. */
export function unprivilegedUid(): number | undefined {
  return process.getuid?.() === 0 ? 65534 : undefined;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A realistic nginx combined line with the usual timing tail; i sets the second and client. */
export function accessLine(i: number, status = 200, path = '/index.php'): string {
  const t = new Date(Date.UTC(2026, 0, 12, 10, 0, 0) + i * 1000);
  const stamp = `${pad(t.getUTCDate())}/Jan/2026:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
  const rt = status >= 500 ? '60.001' : '0.042';
  return (
    `203.0.113.${(i % 250) + 1} - - [${stamp}] "GET ${path}?p=${i} HTTP/1.1" ${status} ${status >= 500 ? 157 : 5120} "-" ` +
    `"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" rt=${rt} uct="0.000" uht="${rt}" urt="${rt}" ` +
    `ua="unix:/run/php/php8.2-fpm.sock" us="${status}"`
  );
}

/** n access lines, every tenth a 502. */
export function accessLog(n: number, from = 0): string {
  let s = '';
  for (let i = from; i < from + n; i++) s += `${accessLine(i, i % 10 === 9 ? 502 : 200)}\n`;
  return s;
}

/** stderr holds only one-line 'logsleuth: …' messages: no stack trace, no stray output. */
export function expectOneLineMessages(stderr: string): string[] {
  const lines = stderr.split('\n').filter((l) => l !== '');
  for (const l of lines) expect(l).toMatch(/^logsleuth: \S/);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines;
}

export interface InputEntry {
  path: string;
  format: string;
  gzip: boolean;
  lines: number;
  records: number;
  unrecognized: number;
  unrecognizedSamples: { line: number; text: string }[];
  truncatedLines: number;
  problems: string[];
}

export interface JsonReport {
  partial: boolean;
  inputs: InputEntry[];
  summary: { requests: number; errors5xx: number; byStatus: Record<string, number> };
  causes: { id: string }[];
}

/** stdout parses as one JSON report (the contract of --json in every case). */
export function parseReport(stdout: string): JsonReport {
  let parsed: unknown;
  expect(() => (parsed = JSON.parse(stdout)), `stdout is not JSON: ${stdout.slice(0, 200)}`).not.toThrow();
  const r = parsed as JsonReport;
  expect(r).toHaveProperty('schemaVersion', 1);
  expect(Array.isArray(r.inputs)).toBe(true);
  return r;
}

export function inputNamed(r: JsonReport, name: string): InputEntry {
  const found = r.inputs.find((i) => i.path === name || i.path.endsWith(`/${name}`));
  expect(found, `input ${name} in ${r.inputs.map((i) => i.path).join(', ')}`).toBeDefined();
  return found as InputEntry;
}
