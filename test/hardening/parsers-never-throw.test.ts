// Property: no line, random or a mutation of a real one, makes any parser (or the classifier after it) throw,
// in normal and in fallback mode, and sniffing never throws either. Parsers are the only code that sees every
// byte of every input; one throw would lose a whole input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formats } from '../../src/formats/index.js';
import type { LogRecord, ParseContext } from '../../src/formats/types.js';
import { classify } from '../../src/signals/classify.js';
import { SAMPLES } from './samples.js';

const ALL_SAMPLES = Object.values(SAMPLES).flat();

/** Characters parsers branch on, plus controls, invalid-UTF-8 replacements and astral characters. */
const SPECIAL = [...' "\'[](){}:,;=-/\\#*<>|%.0123456789\t\r\u0000\u001b\u0007\u007f\u0085\u00a0\u2028\u202e\ufffd', '\u{1f600}', '\\x1B', '" "', '] [', ', client: ', ' while ', ' on line ', '" 502 ', 'PHP ', 'kernel: '];

const fragment = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(...ALL_SAMPLES).chain((s) => fc.nat(s.length).chain((a) => fc.nat(s.length).map((b) => s.slice(Math.min(a, b), Math.max(a, b))))),
);

type Mutation = { op: 'insert' | 'delete' | 'replace' | 'duplicate' | 'truncate'; at: number; len: number; text: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('insert', 'delete', 'replace', 'duplicate', 'truncate'),
  at: fc.nat(),
  len: fc.nat(40),
  text: fragment,
});

function mutate(line: string, m: Mutation): string {
  const at = line.length === 0 ? 0 : m.at % (line.length + 1);
  switch (m.op) {
    case 'insert': return line.slice(0, at) + m.text + line.slice(at);
    case 'delete': return line.slice(0, at) + line.slice(at + m.len);
    case 'replace': return line.slice(0, at) + m.text + line.slice(at + m.text.length);
    case 'duplicate': return line.slice(0, at + m.len) + line.slice(at, at + m.len) + line.slice(at + m.len);
    case 'truncate': return line.slice(0, at);
  }
}

const mutatedLine = fc.tuple(fc.constantFrom(...ALL_SAMPLES), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([s, ms]) => ms.reduce(mutate, s));
const randomLine = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 }), fc.array(fragment, { maxLength: 30 }).map((a) => a.join('')));
/** Several lines in a row: multi-line families keep state between them. */
const lineBatch = fc.array(fc.oneof(mutatedLine, randomLine, fc.constantFrom(...ALL_SAMPLES)), { minLength: 1, maxLength: 8 });

function feedEverywhere(lines: readonly string[]): LogRecord[] {
  const records: LogRecord[] = [];
  for (const f of formats) {
    f.sniff(lines);
    for (const fallback of [false, true]) {
      const ctx: ParseContext = { tz: 'America/New_York', referenceTime: Date.UTC(2026, 2, 8, 7), source: 'fuzz.log', fallback, emit: (r) => records.push(r) };
      const p = f.createParser(ctx);
      lines.forEach((l, i) => p.line(l, i + 1));
      p.flush();
    }
  }
  for (const r of records) if (r.kind === 'event') classify(r);
  return records;
}

describe('parsers never throw', () => {
  it('on mutated real lines', () => {
    fc.assert(fc.property(fc.array(mutatedLine, { minLength: 1, maxLength: 4 }), (lines) => void feedEverywhere(lines)), { numRuns: 400 });
  });

  it('on random lines and mixed batches', () => {
    fc.assert(fc.property(lineBatch, (lines) => void feedEverywhere(lines)), { numRuns: 400 });
  });

  it('and what they emit is well-formed: a number time, a string raw, the origin line it came from', () => {
    fc.assert(
      fc.property(lineBatch, (lines) => {
        for (const r of feedEverywhere(lines)) {
          expect(typeof r.time).toBe('number');
          expect(typeof r.raw).toBe('string');
          expect(r.origin.line).toBeGreaterThanOrEqual(1);
          expect(r.origin.line).toBeLessThanOrEqual(lines.length);
          if (r.kind === 'access') expect(Number.isInteger(r.status)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
