// Real-world access logs (read-only corpus beside the repo): nearly every line must come out as a record.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apacheAccess } from '../../src/formats/apache-access.js';
import { nginxAccess } from '../../src/formats/nginx-access.js';
import type { LogFormat } from '../../src/formats/types.js';
import { parseLines } from '../helpers.js';

const corpus = path.resolve(process.cwd(), '../shared/corpus');

function linesOfFile(file: string): string[] {
  // as the input layer hands them over: no line ending, CRLF tolerated
  return readFileSync(file, 'utf8').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function recognition(format: LogFormat, dir: string): { lines: number; records: number; misses: string[] } {
  let lines = 0, records = 0;
  const misses: string[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) {
    const all = linesOfFile(path.join(dir, name)).filter((l) => l.trim() !== '');
    const { results } = parseLines(format, all, { source: name });
    lines += all.length;
    results.forEach((r, i) => {
      if (r === 0) records++;
      else misses.push(`${name}: ${(all[i] ?? '').slice(0, 120)}`);
    });
  }
  return { lines, records, misses };
}

describe.skipIf(!existsSync(corpus))('access-log corpus', () => {
  for (const [family, format] of [['nginx-access', nginxAccess], ['apache-access', apacheAccess]] as const) {
    it(`${family}: at least 99.5 % of non-blank lines are records`, () => {
      const r = recognition(format, path.join(corpus, family));
      const share = r.records / r.lines;
      if (share < 1) console.log(`${family}: ${r.records}/${r.lines} records; misses:\n  ${r.misses.join('\n  ')}`);
      expect(r.lines).toBeGreaterThan(0);
      expect(share).toBeGreaterThanOrEqual(0.995);
    });
  }

  it('the other family parser also reads the corpus (shared scanner)', () => {
    const r = recognition(nginxAccess, path.join(corpus, 'apache-access'));
    expect(r.records / r.lines).toBeGreaterThanOrEqual(0.995);
  });

  it('sniffing prefers the right family on the corpus files that carry evidence', () => {
    const firstLines = (file: string): string[] =>
      linesOfFile(path.join(corpus, file)).filter((l) => l.trim() !== '').slice(0, 50);
    for (const file of ['nginx-access/elastic-beats-nginx-ingress-controller.log']) {
      const lines = firstLines(file);
      expect(nginxAccess.sniff(lines)).toBeGreaterThan(apacheAccess.sniff(lines));
    }
    for (const file of ['apache-access/elastic-beats-apache-access-darwin-2.4.23.log', 'apache-access/mtail-apache-common.log']) {
      const lines = firstLines(file);
      expect(apacheAccess.sniff(lines)).toBeGreaterThan(nginxAccess.sniff(lines));
    }
  });
});
