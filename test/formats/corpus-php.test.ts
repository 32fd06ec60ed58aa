// The PHP families against real-world files from ../shared/corpus (read-only test data, never copied here).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS as corpus, corpusFiles, corpusLines } from '../corpus-files.js';
import { phpError } from '../../src/formats/php-error.js';
import { phpFpmSlow } from '../../src/formats/php-fpm-slow.js';
import { phpFpm } from '../../src/formats/php-fpm.js';
import type { EventRecord, LogFormat } from '../../src/formats/types.js';
import { parseLines } from '../helpers.js';

const families: readonly [string, LogFormat][] = [
  ['php-fpm', phpFpm],
  ['php-fpm-slow', phpFpmSlow],
  ['php-error', phpError],
];

function sample(lines: readonly string[]): string[] {
  return lines.filter((l) => l.trim() !== '').slice(0, 50);
}

describe.skipIf(!existsSync(corpus))('PHP families on the real-world corpus', () => {
  for (const [dir, format] of families) {
    describe(dir, () => {
      const files = corpusFiles(dir);

      it('has files', () => {
        expect(files.length).toBeGreaterThan(0);
      });

      it('recognises at least 99.5 % of the non-blank lines', () => {
        let total = 0;
        let bad = 0;
        const misses: string[] = [];
        for (const file of files) {
          const lines = corpusLines(file);
          const { results } = parseLines(format, lines, { source: path.basename(file) });
          results.forEach((r, i) => {
            const text = lines[i] ?? '';
            if (text.trim() === '') return;
            total++;
            if (r === 3) {
              bad++;
              if (misses.length < 5) misses.push(`${path.basename(file)}:${i + 1}`);
            }
          });
        }
        expect(total).toBeGreaterThan(0);
        expect(bad / total, `unrecognised: ${misses.join(', ')}`).toBeLessThanOrEqual(0.005);
      });

      it('every record has a time and an origin', () => {
        for (const file of files) {
          const { records } = parseLines(format, corpusLines(file), { source: path.basename(file) });
          expect(records.length).toBeGreaterThan(0);
          for (const r of records as EventRecord[]) {
            expect(r.family).toBe(format.id);
            expect(Number.isFinite(r.time), `${file}:${r.origin.line}`).toBe(true);
            expect(r.origin.source).toBe(path.basename(file));
            expect(r.raw.length).toBeLessThanOrEqual(4096);
          }
        }
      });

      it('sniffs its own files at 0.8 or more, above the other PHP families', () => {
        for (const file of files) {
          const lines = sample(corpusLines(file));
          const own = format.sniff(lines);
          expect(own, path.basename(file)).toBeGreaterThanOrEqual(0.8);
          for (const [, other] of families) {
            if (other === format) continue;
            expect(other.sniff(lines), `${other.id} on ${path.basename(file)}`).toBeLessThan(own);
          }
        }
      });
    });
  }

  it('php-fpm records of the corpus carry the fields the signatures join on', () => {
    const recs: EventRecord[] = [];
    for (const file of corpusFiles('php-fpm')) {
      recs.push(...(parseLines(phpFpm, corpusLines(file)).records as EventRecord[]));
    }
    const slow = recs.filter((r) => r.message.includes('executing too slow'));
    expect(slow.length).toBeGreaterThan(0);
    for (const r of slow) {
      expect(r.pool).toBeTruthy();
      expect(r.childPid).toBeGreaterThan(0);
      expect(r.script).toMatch(/\.php$/);
    }
    const bind = recs.find((r) => r.message.startsWith('unable to bind listening socket'));
    expect(bind?.errno).toBe(98);
    expect(recs.some((r) => r.level === 'debug' && r.pid !== undefined)).toBe(true);
  });

  it('php-fpm-slow entries of the corpus have a script and frames', () => {
    for (const file of corpusFiles('php-fpm-slow')) {
      const recs = parseLines(phpFpmSlow, corpusLines(file)).records as EventRecord[];
      expect(recs.length).toBeGreaterThan(0);
      for (const r of recs) {
        expect(r.script, `${file}:${r.origin.line}`).toMatch(/\.php$/);
        expect(r.frames?.length, `${file}:${r.origin.line}`).toBeGreaterThan(0);
        expect(r.childPid).toBeGreaterThan(0);
      }
    }
  });

  it('php-error traces join their entry', () => {
    const recs: EventRecord[] = [];
    for (const file of corpusFiles('php-error')) {
      recs.push(...(parseLines(phpError, corpusLines(file)).records as EventRecord[]));
    }
    const uncaught = recs.filter((r) => r.message.includes('Uncaught '));
    expect(uncaught.length).toBeGreaterThan(0);
    for (const r of uncaught) {
      expect(r.trace?.[0]).toBe('Stack trace:');
      expect(r.file).toBeTruthy();
    }
    expect(recs.every((r) => !r.message.startsWith('#'))).toBe(true);
  });

  it('an FPM access log is not taken for any PHP family', () => {
    const file = path.join(corpus, 'mixed-or-unknown', 'hufangfang1-php-fpm-access.log');
    if (!existsSync(file)) return;
    const lines = corpusLines(file);
    for (const [, format] of families) expect(format.sniff(sample(lines))).toBeLessThan(0.5);
    const { results } = parseLines(phpFpm, lines);
    expect(results.every((r) => r === 2)).toBe(true);
  });
});
