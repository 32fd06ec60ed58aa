// src/report/report.schema.json is the machine-checkable form of src/report/schema.ts: real reports of the
// pipeline and of the built CLI (`node bin/logsleuth.js … --json`) must validate against it, and its keys must
// be the interfaces' keys (required = not optional), so the two cannot drift apart unnoticed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDir, analyzeFiles } from './analyze-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_PATH = join(ROOT, 'src/report/report.schema.json');
const SCHEMA_TS = join(ROOT, 'src/report/schema.ts');
const SCENARIOS = join(ROOT, 'fixtures/scenarios');
const BIN = join(ROOT, 'bin/logsleuth.js');

type JsonObject = Record<string, unknown>;
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonObject;

// ajv ships CommonJS: under ESM the class is the default export's `default`
const Ajv2020 = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module) as typeof Ajv2020Module;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

function check(report: unknown, label: string): void {
  const ok = validate(report);
  const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  expect(ok, `${label}: ${errors.join('; ')}`).toBe(true);
}

/** Top-level members of each `export interface X { … }` in schema.ts: name → optional? */
function interfacesOf(source: string): Map<string, Map<string, boolean>> {
  const out = new Map<string, Map<string, boolean>>();
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^export interface (\w+) \{\s*$/.exec(lines[i] ?? '');
    if (!head?.[1]) continue;
    const members = new Map<string, boolean>();
    let depth = 0;
    for (i++; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (depth === 0 && /^\}/.test(line)) break;
      const m = depth === 0 ? /^\s+(\w+)(\?)?:/.exec(line) : null;
      if (m?.[1]) members.set(m[1], m[2] === '?');
      // nested inline object types span lines: only depth 0 holds the interface's own members
      for (const ch of line.replace(/\/\*.*?\*\/|\/\/.*$/g, '')) {
        if (ch === '{') depth++;
        else if (ch === '}') depth--;
      }
    }
    out.set(head[1], members);
  }
  return out;
}

function defOf(name: string): JsonObject | undefined {
  if (name === 'Report') return schema;
  return (schema.$defs as Record<string, JsonObject> | undefined)?.[name];
}

describe('report.schema.json', () => {
  it('is a valid draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof validate).toBe('function');
  });

  it('has exactly the keys of every interface in schema.ts, required unless optional there', () => {
    const ifaces = interfacesOf(readFileSync(SCHEMA_TS, 'utf8'));
    expect(ifaces.size).toBeGreaterThan(5);
    for (const [name, members] of ifaces) {
      const def = defOf(name);
      expect(def, `schema has a definition for ${name}`).toBeDefined();
      if (!def) continue;
      const props = Object.keys((def.properties as JsonObject | undefined) ?? {}).sort();
      expect(props, `${name} keys`).toEqual([...members.keys()].sort());
      const required = [...((def.required as string[] | undefined) ?? [])].sort();
      expect(required, `${name} required keys`).toEqual([...members].filter(([, opt]) => !opt).map(([k]) => k).sort());
      expect(def.additionalProperties, `${name} is closed`).toBe(false);
    }
  });

  it('rejects a report with a missing or mistyped key', async () => {
    const { report } = await analyzeDir(join(SCENARIOS, 'catalogue-disk-full'), 'UTC');
    const copy = JSON.parse(JSON.stringify(report)) as JsonObject;
    delete copy.summary;
    expect(validate(copy)).toBe(false);
    const bad = JSON.parse(JSON.stringify(report)) as { causes: { confidence: unknown }[] };
    if (bad.causes[0]) bad.causes[0].confidence = 'high';
    expect(validate(bad)).toBe(report.causes.length === 0);
  });

  const dirs = existsSync(SCENARIOS)
    ? readdirSync(SCENARIOS)
        .filter((d) => existsSync(join(SCENARIOS, d, 'expected.json')))
        .sort()
    : [];

  it.each(dirs)('validates the pipeline report of fixtures/scenarios/%s', async (name) => {
    const expected = JSON.parse(readFileSync(join(SCENARIOS, name, 'expected.json'), 'utf8')) as { tz?: string };
    const { report } = await analyzeDir(join(SCENARIOS, name), expected.tz ?? 'UTC');
    check(JSON.parse(JSON.stringify(report)), name);
  });

  it('validates reports of edge inputs: no access log, nothing recognisable', async () => {
    const onlyPhp = await analyzeFiles({ 'php-error.log': ['[12-Jan-2026 10:00:01 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3'] }, 'UTC');
    check(JSON.parse(JSON.stringify(onlyPhp.report)), 'php error log only');
    const junk = await analyzeFiles({ 'notes.txt': ['hello', 'world'] }, 'Europe/Berlin');
    check(JSON.parse(JSON.stringify(junk.report)), 'unrecognised input');
  });

  describe('the built CLI', () => {
    beforeAll(() => {
      // the CLI tests run the build in dist/; build it once when it is missing (npm run build)
      if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
        spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
      }
    }, 120_000);

    it.each(['catalogue-backend-5xx', 'nginx-database-unavailable', 'apache-fpm-pool-exhausted', 'nginx-healthy-control'].filter((d) => dirs.includes(d)))(
      'node bin/logsleuth.js %s --json validates',
      (name) => {
        const expected = JSON.parse(readFileSync(join(SCENARIOS, name, 'expected.json'), 'utf8')) as { tz?: string };
        const r = spawnSync(process.execPath, [BIN, join(SCENARIOS, name), '--json', '--tz', expected.tz ?? 'UTC'], {
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' },
          maxBuffer: 64 * 1024 * 1024,
        });
        expect(r.status, r.stderr).toBe(0);
        check(JSON.parse(r.stdout), `CLI ${name}`);
      },
      60_000,
    );
  });
});
