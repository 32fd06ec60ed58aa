// Every row's regex and the classifier on 64 KB adversarial lines: long runs of the row's literal, spaces,
// digits, quotes, parentheses and nginx context separators, alone and spliced into the row's own sample.
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/formats/types.js';
import { signatures } from '../../src/signals/catalog.js';
import { classify } from '../../src/signals/classify.js';
import { phpLocation, splitPhpMessages } from '../../src/signals/php.js';
import { recordOf } from './records.js';

const SIZE = 64 * 1024;
const LIMIT_MS = 50;

function fill(unit: string, size = SIZE): string {
  if (!unit) return '';
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function hostileLines(literal: string, message: string): string[] {
  const runs = [
    literal,
    `${literal} `,
    `${literal}(`,
    `${literal}"`,
    `${literal}1`,
    `${literal}, client: `,
    ' ',
    '1',
    '"',
    '(',
    'a',
    ', client: ',
    ' in ',
    ' on line ',
    'PHP message: ',
    '\\n',
  ];
  const lines: string[] = [];
  for (const r of runs) {
    const run = fill(r);
    lines.push(run);
    lines.push(literal + run);
    lines.push(`${literal}${run}${literal}`);
    // spliced into the real message, so the regex gets far before failing
    for (const at of [Math.floor(message.length / 3), Math.floor((2 * message.length) / 3), message.length]) {
      lines.push(message.slice(0, at) + fill(r, SIZE - message.length) + message.slice(at));
    }
  }
  return lines;
}

/** Best of up to three runs: super-linear work is slow every time, a busy machine only sometimes. */
function time(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3 && best >= LIMIT_MS / 2; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('hostile input', () => {
  it.each(signatures.map((s, i) => [`${i} ${s.id}: ${s.title}`, s] as const))('%s', (_n, row) => {
    const rec = recordOf(row.families[0]!, row.sample);
    let worst = 0;
    let worstLine = '';
    for (const line of hostileLines(row.literal, rec.message)) {
      const t1 = time(() => row.match.exec(line));
      const r: EventRecord = { ...rec, message: line, raw: line.slice(0, 4096) };
      const t2 = time(() => classify(r));
      const t = Math.max(t1, t2);
      if (t > worst) [worst, worstLine] = [t, line];
    }
    expect(worst, `slowest: ${worstLine.slice(0, 80)}…`).toBeLessThan(LIMIT_MS);
  });

  it('PHP message helpers stay linear and bounded', () => {
    for (const unit of [' in ', ' on line ', ' in /', 'PHP message: ', ':1', '\n']) {
      const line = fill(unit);
      expect(time(() => phpLocation(line))).toBeLessThan(LIMIT_MS);
      expect(time(() => splitPhpMessages(line))).toBeLessThan(LIMIT_MS);
      expect(splitPhpMessages(line).length).toBeLessThanOrEqual(16);
    }
  });

  it('a container stuffed with PHP messages yields a bounded number of signals', () => {
    const msg = `FastCGI sent in stderr: "${fill('PHP message: PHP Fatal error:  Allowed memory size of 1 bytes exhausted (tried to allocate 1 bytes)')}"`;
    const rec = recordOf('nginx-error', '2026/02/03 14:22:10 [error] 3101#3101: *1 FastCGI sent in stderr: "x"');
    const sigs = classify({ ...rec, message: msg });
    expect(sigs.length).toBeLessThanOrEqual(1 + 16 * 2);
  });
});
