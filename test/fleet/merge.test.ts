// Many hosts: per-host digests saved with --save-digest and merged give the report of all logs read in one
// place; causes are grouped per host in JSON, table and Markdown; --host scopes a central log to one machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const BIN = join(ROOT, 'bin/logsleuth.js');
const SYSLOG = join(ROOT, 'fixtures/fleet/syslog');
const SCENARIOS = join(ROOT, 'fixtures/scenarios');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[], cwd: string): Report {
  const r = run([...args, '--json'], cwd);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

interface Report {
  inputs: { path: string }[];
  summary: { requests: number; errors5xx: number };
  causes: { id: string; affectedRequests: number; hosts: { host: string; requests: number }[] }[];
  hosts: { host: string; errors5xx: number; unexplained: number; causes: { id: string; requests: number }[] }[];
}

const work = (): string => mkdtempSync(join(tmpdir(), 'logsleuth-fleet-'));

describe('merge of per-host digests', () => {
  it('equals the analysis of both hosts\' syslog files in one place, byte for byte', () => {
    const dir = work();
    for (const h of ['web1', 'web2']) {
      const r = run([join(SYSLOG, `${h}.log`), '--save-digest', `${h}.digest.json`, '--json'], dir);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`digest written to ${h}\\.digest\\.json \\(\\d+ KB\\)`));
    }
    const merged = run(['merge', 'web1.digest.json', 'web2.digest.json', '--json'], dir);
    const combined = run([join(SYSLOG, 'web1.log'), join(SYSLOG, 'web2.log'), '--json'], dir);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(combined.stdout);

    const report = JSON.parse(merged.stdout) as Report;
    expect(report.summary).toMatchObject({ requests: 210 + 176, errors5xx: 99 + 6 });
    const byId = Object.fromEntries(report.causes.map((c) => [c.id, c]));
    expect(byId['upstream-down']?.hosts).toEqual([{ host: 'web1', requests: byId['upstream-down']?.affectedRequests }]);
    expect(byId['php-memory-exhausted']?.hosts).toEqual([{ host: 'web2', requests: 6 }]);
    expect(report.hosts.map((h) => [h.host, h.errors5xx])).toEqual([['web1', 99], ['web2', 6]]);
    expect(report.hosts[1]?.causes).toEqual([{ id: 'php-memory-exhausted', requests: 6 }]);
    const web1 = report.hosts[0];
    expect((web1?.causes ?? []).reduce((n, c) => n + c.requests, 0) + (web1?.unexplained ?? 0)).toBe(99);
  });

  it('groups per host in the table and in Markdown', () => {
    const dir = work();
    for (const h of ['web1', 'web2']) expect(run([join(SYSLOG, `${h}.log`), '--save-digest', `${h}.digest.json`], dir).status).toBe(0);
    const table = run(['merge', 'web1.digest.json', 'web2.digest.json'], dir);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/\nBy host\n {2}web1: 99× 5xx — upstream-down \d+/);
    expect(table.stdout).toMatch(/\n {2}web2: 6× 5xx — php-memory-exhausted 6\n/);
    expect(table.stdout).toMatch(/ {3}hosts: web2 \(6\)\n/);
    expect(run(['merge', 'web1.digest.json', 'web2.digest.json', '-o', 'fleet.md'], dir).status).toBe(0);
    const md = readFileSync(join(dir, 'fleet.md'), 'utf8');
    expect(md).toContain('## By host');
    expect(md).toMatch(/- `web2`: 6 5xx — `php-memory-exhausted` 6/);
    expect(md).toContain('- **Hosts:** `web2` (6)');
  });

  it('plain per-host directories analysed with --host NAME merge into the combined analysis, grouped by host', () => {
    const dir = work();
    const web1 = join(SCENARIOS, 'nginx-upstream-down-unix');
    const web2 = join(SCENARIOS, 'nginx-php-memory-exhausted');
    expect(run([web1, '--host', 'web1', '--save-digest', 'web1.digest.json'], dir).status).toBe(0);
    // '-': the digest on stdout, as over ssh
    const d2 = run([web2, '--host', 'web2', '--save-digest=-'], dir);
    expect(d2.status, d2.stderr).toBe(0);
    // digests travel gzipped
    writeFileSync(join(dir, 'web2.digest.json.gz'), gzipSync(d2.stdout));

    const merged = json(['merge', 'web1.digest.json', 'web2.digest.json.gz'], dir);
    const combined = json([web1, web2], dir);
    // plain files name no host: the combined run cannot know them, the merged one was told with --host
    expect(combined.hosts).toEqual([]);
    expect(merged.inputs.map((i) => i.path)).toEqual(combined.inputs.map((i) => i.path.replace(`${web1}/`, `web1:${web1}/`).replace(`${web2}/`, `web2:${web2}/`)));
    const withoutHosts = (r: Report) => ({ ...r, inputs: r.inputs.map((i) => ({ ...i, path: i.path.replace(/^web\d:/, '') })), hosts: [], causes: r.causes.map((c) => ({ ...c, hosts: [] })) });
    expect(withoutHosts(merged)).toEqual(withoutHosts(combined));
    expect(merged.hosts.map((h) => h.host)).toEqual(['web1', 'web2']);
    expect(merged.causes.find((c) => c.id === 'php-memory-exhausted')?.hosts).toEqual([{ host: 'web2', requests: 6 }]);
    validateAgainstSchema(merged);
  });

  it('--host keeps one machine of a central syslog file', () => {
    const dir = work();
    const central = join(dir, 'all.log');
    writeFileSync(central, readFileSync(join(SYSLOG, 'web1.log'), 'utf8') + readFileSync(join(SYSLOG, 'web2.log'), 'utf8'));
    const scoped = json([central, '--host', 'web2'], dir);
    const alone = json([join(SYSLOG, 'web2.log')], dir);
    expect(scoped.summary).toEqual(alone.summary);
    // evidence points into a different file (all.log) at different lines: compare the findings themselves
    const findings = (r: Report) => r.causes.map(({ id, affectedRequests, hosts }) => ({ id, affectedRequests, hosts }));
    expect(findings(scoped)).toEqual(findings(alone));
    expect(scoped.hosts).toEqual(alone.hosts);
    expect(scoped.causes.map((c) => c.id)).not.toContain('upstream-down');
  });

  it('names files that are not digests, and fails only when none could be read', () => {
    const dir = work();
    writeFileSync(join(dir, 'report.json'), '{"schemaVersion":1}');
    writeFileSync(join(dir, 'broken.json'), '{"format":"logsleuth-digest",');
    expect(run([join(SYSLOG, 'web2.log'), '--save-digest', 'web2.digest.json'], dir).status).toBe(0);
    const some = run(['merge', 'report.json', 'broken.json', 'missing.json', 'web2.digest.json', '--json'], dir);
    expect(some.status).toBe(0);
    expect(some.stderr).toMatch(/report\.json: not a logsleuth digest file/);
    expect(some.stderr).toMatch(/broken\.json: not valid JSON/);
    expect(some.stderr).toMatch(/missing\.json: no such file/);
    expect(JSON.parse(some.stdout).summary.errors5xx).toBe(6);
    const none = run(['merge', 'report.json'], dir);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no digest could be read/);
    expect(run(['merge'], dir).status).toBe(2);
    expect(run([join(SYSLOG, 'web2.log'), '--save-digest', '-'], dir)).toMatchObject({ status: 2, stderr: expect.stringMatching(/--save-digest=-/) });
  });
});

function validateAgainstSchema(report: unknown): void {
  const schema = JSON.parse(readFileSync(join(ROOT, 'src/report/report.schema.json'), 'utf8')) as object;
  const Ajv2020 = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module) as typeof Ajv2020Module;
  const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  expect(validate(report), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
}

describe('a digest file holds every 5xx line', () => {
  it('including those past the lines kept in memory, read again from the log when the digest is saved', () => {
    const dir = work();
    const lines: string[] = [];
    // ≈ 5.5 MB of 5xx lines: more than the 4 MiB held in memory
    for (let i = 0; i < 24_000; i++) {
      const t = 36_000 + Math.floor(i / 10);
      const hms = [Math.floor(t / 3600), Math.floor((t % 3600) / 60), t % 60].map((n) => String(n).padStart(2, '0')).join(':');
      lines.push(`198.51.100.${i % 250} - - [12/Jan/2026:${hms} +0000] "GET /slow/${i} HTTP/1.1" 502 157 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"`);
    }
    writeFileSync(join(dir, 'access.log'), `${lines.join('\n')}\n`);
    expect(run(['access.log', '--save-digest', 'd.json'], dir).status).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8')) as { digest: { errors: { line: number; raw?: string }[] } };
    const errors = saved.digest.errors;
    expect(errors).toHaveLength(lines.length);
    const last = errors[errors.length - 1];
    expect(last?.raw).toBe(lines[(last?.line ?? 0) - 1]);
    expect(errors.every((e) => e.raw === lines[e.line - 1])).toBe(true);
  });
});
