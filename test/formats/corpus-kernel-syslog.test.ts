// Real-world kernel and syslog/journald-wrapped logs (read-only corpus next to the repo, never copied into
// it): the kernel and wrapper parsers must recognise nearly every line, and must not claim foreign files.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS as corpus, readFamily } from '../corpus-files.js';
import { kernel } from '../../src/formats/kernel.js';
import { syslog } from '../../src/formats/syslog.js';
import { journald } from '../../src/formats/journald.js';
import { LineResult } from '../../src/formats/types.js';
import type { EventRecord, LogFormat, LogRecord } from '../../src/formats/types.js';

type CorpusFile = ReturnType<typeof readFamily>[number];

function sample(lines: readonly string[]): string[] {
  return lines.filter((l) => l.trim() !== '').slice(0, 50);
}

/** The candidate with the highest sniff score (the first on ties, as the registry orders them). */
function pick(candidates: readonly LogFormat[], lines: readonly string[]): LogFormat {
  const s = sample(lines);
  let best = candidates[0]!;
  let bestScore = -1;
  for (const f of candidates) {
    const score = f.sniff(s);
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

interface Outcome {
  format: string;
  nonBlank: number;
  recognised: number;
  records: LogRecord[];
  misses: string[];
}

function run(format: LogFormat, file: CorpusFile): Outcome {
  const out: Outcome = { format: format.id, nonBlank: 0, recognised: 0, records: [], misses: [] };
  const parser = format.createParser({
    tz: 'UTC',
    referenceTime: Date.UTC(2026, 0, 1),
    source: file.name,
    emit: (r) => out.records.push(r),
  });
  file.lines.forEach((text, i) => {
    const r = parser.line(text, i + 1);
    if (text.trim() === '') return;
    out.nonBlank++;
    if (r !== LineResult.Unrecognized) out.recognised++;
    else out.misses.push(`${file.name}:${i + 1}: ${text.slice(0, 160)}`);
  });
  parser.flush();
  return out;
}

function pct(o: { recognised: number; nonBlank: number }): string {
  return `${o.recognised}/${o.nonBlank} (${((100 * o.recognised) / Math.max(1, o.nonBlank)).toFixed(2)} %)`;
}

describe.skipIf(!existsSync(corpus))('corpus: kernel/', () => {
  const files = readFamily('kernel');

  it('recognises ≥ 99.5 % of the lines with kernel or syslog, whichever sniffs higher', () => {
    let nonBlank = 0;
    let recognised = 0;
    for (const file of files) {
      const o = run(pick([kernel, syslog], file.lines), file);
      console.log(`kernel/${file.name}: ${o.format} ${pct(o)}`, o.misses.slice(0, 5));
      nonBlank += o.nonBlank;
      recognised += o.recognised;
      expect(o.recognised / o.nonBlank, file.name).toBeGreaterThanOrEqual(0.995);
    }
    console.log(`kernel/ total: ${pct({ nonBlank, recognised })}`);
    expect(files.length).toBeGreaterThan(0);
  });

  it('finds every OOM kill line and its victim pid, in every kernel era', () => {
    for (const file of files) {
      const o = run(pick([kernel, syslog], file.lines), file);
      const killLines = file.lines.filter((l) => /Kill(?:ed)? process \d+/.test(l) && !l.includes('reaped process')).length;
      const kills = o.records.filter(
        (r): r is EventRecord => r.kind === 'event' && /Kill(?:ed)? process \d+/.test(r.message),
      );
      expect(kills.length, file.name).toBe(killLines);
      for (const k of kills) expect(k.pid, k.raw).toBeGreaterThan(0);
    }
  });

  it('keeps OOM dumps out of the records', () => {
    for (const file of files) {
      const o = run(pick([kernel, syslog], file.lines), file);
      const dump = o.records.filter((r) => r.kind === 'event' && /^(?:Call Trace:| \[<|\[ *\d+\] )/.test(r.message));
      expect(dump, file.name).toHaveLength(0);
    }
  });
});

describe.skipIf(!existsSync(corpus))('corpus: syslog-wrapped/', () => {
  it('recognises the wrapped files with syslog or journald', () => {
    let nonBlank = 0;
    let recognised = 0;
    for (const file of readFamily('syslog-wrapped')) {
      const o = run(pick([journald, syslog], file.lines), file);
      console.log(`syslog-wrapped/${file.name}: ${o.format} ${pct(o)}`, o.misses.slice(0, 5));
      nonBlank += o.nonBlank;
      recognised += o.recognised;
    }
    console.log(`syslog-wrapped/ total: ${pct({ nonBlank, recognised })}`);
    expect(recognised / nonBlank).toBeGreaterThanOrEqual(0.9);
  });
});

describe.skipIf(!existsSync(corpus))('corpus: robustness', () => {
  const others = ['mixed-or-unknown', 'nginx-access', 'nginx-error', 'apache-access', 'apache-error', 'php-fpm', 'php-fpm-slow', 'php-error'];

  it('does not claim foreign files', () => {
    for (const family of others) {
      for (const file of readFamily(family)) {
        const s = sample(file.lines);
        for (const f of [kernel, syslog, journald]) {
          expect(f.sniff(s), `${f.id} on ${family}/${file.name}`).toBeLessThan(0.5);
        }
      }
    }
  });

  it('survives every corpus line', () => {
    for (const family of [...others, 'kernel', 'syslog-wrapped']) {
      for (const file of readFamily(family)) {
        for (const f of [kernel, syslog, journald]) expect(() => run(f, file)).not.toThrow();
      }
    }
  });
});
