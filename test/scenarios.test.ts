// Every scenario in fixtures/scenarios/ that has an expected.json is run through the real pipeline and must
// rank its expected causes where expected.json says, with the confidence inside the stated band.
//
// expected.json: { description, source, stack, tz, expect: [ { cause, rank, confidence: [lo, hi],
// fivexx?, variant? } ], notes }. An empty `expect` means the report must name no cause at all (noise only).
// `fivexx` (the cause's affected 5xx) and `variant` are checked when a scenario states them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeDir } from './analyze-helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'scenarios');

interface ExpectedCause {
  cause: string;
  rank: number;
  confidence: [number, number];
  fivexx?: number;
  variant?: string;
}

interface Expected {
  description: string;
  source: string;
  stack: string;
  tz: string;
  expect: ExpectedCause[];
  notes?: string;
}

function isExpected(x: unknown): x is Expected {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.tz === 'string' && Array.isArray(o.expect);
}

function scenarios(): { name: string; dir: string; expected: Expected }[] {
  if (!existsSync(ROOT)) return [];
  const out: { name: string; dir: string; expected: Expected }[] = [];
  for (const name of readdirSync(ROOT).sort()) {
    const dir = join(ROOT, name);
    const file = join(dir, 'expected.json');
    if (!statSync(dir).isDirectory() || !existsSync(file)) continue;
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isExpected(parsed)) throw new Error(`${file}: not a scenario expectation (needs tz and expect[])`);
    out.push({ name, dir, expected: parsed });
  }
  return out;
}

const all = scenarios();

describe('fixtures/scenarios', () => {
  it('has scenarios to run', () => {
    expect(all.length).toBeGreaterThan(0);
  });

  describe.each(all)('$name', ({ dir, expected }) => {
    it('has a well-formed expected.json', () => {
      for (const e of expected.expect) {
        expect(typeof e.cause).toBe('string');
        expect(Number.isInteger(e.rank) && e.rank >= 1).toBe(true);
        expect(e.confidence).toHaveLength(2);
        expect(e.confidence[0]).toBeLessThanOrEqual(e.confidence[1]);
      }
    });

    it(expected.expect.length === 0 ? 'names no cause' : `ranks ${expected.expect.map((e) => `${e.cause} #${e.rank}`).join(', ')}`, async () => {
      const { report } = await analyzeDir(dir, expected.tz);
      const got = report.causes.map((c) => `#${c.rank} ${c.id} ${c.confidence} (${c.affectedRequests} 5xx${c.variant ? `, ${c.variant}` : ''})`);
      const context = `causes: ${got.length > 0 ? got.join('; ') : 'none'}`;
      if (expected.expect.length === 0) {
        expect(report.causes, context).toEqual([]);
        return;
      }
      for (const e of expected.expect) {
        const c = report.causes.find((x) => x.id === e.cause);
        expect(c, `${e.cause} is reported — ${context}`).toBeDefined();
        if (!c) continue;
        expect(c.rank, `${e.cause} rank — ${context}`).toBe(e.rank);
        expect(c.confidence, `${e.cause} confidence ≥ ${e.confidence[0]} — ${context}`).toBeGreaterThanOrEqual(e.confidence[0]);
        expect(c.confidence, `${e.cause} confidence ≤ ${e.confidence[1]} — ${context}`).toBeLessThanOrEqual(e.confidence[1]);
        if (e.fivexx !== undefined) expect(c.affectedRequests, `${e.cause} affected 5xx — ${context}`).toBe(e.fivexx);
        if (e.variant !== undefined) expect(c.variant, `${e.cause} variant — ${context}`).toBe(e.variant);
      }
    });
  });
});
