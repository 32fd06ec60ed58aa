// Real-world nginx and Apache error logs (read-only corpus next to the repo, never copied into it): the
// parsers must recognise nearly every line, and each sniffer must prefer its own family.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS as corpus, readFamily } from '../corpus-files.js';
import { apacheError } from '../../src/formats/apache-error.js';
import { nginxError } from '../../src/formats/nginx-error.js';
import { LineResult } from '../../src/formats/types.js';
import type { LogFormat, LogRecord } from '../../src/formats/types.js';

type CorpusFile = ReturnType<typeof readFamily>[number];

function firstNonBlank(lines: readonly string[], n = 50): string[] {
  return lines.filter((l) => l.trim() !== '').slice(0, n);
}

interface Recognition {
  nonBlank: number;
  recognised: number;
  records: LogRecord[];
  misses: string[];
}

function recognise(format: LogFormat, files: readonly CorpusFile[]): Recognition {
  const out: Recognition = { nonBlank: 0, recognised: 0, records: [], misses: [] };
  for (const file of files) {
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
      if (r === LineResult.Record || r === LineResult.Continuation) out.recognised++;
      else out.misses.push(`${file.name}:${i + 1}: ${text.slice(0, 160)}`);
    });
    parser.flush();
  }
  return out;
}

describe.skipIf(!existsSync(corpus))('real-world error logs', () => {
  const nginxFiles = readFamily('nginx-error');
  const apacheFiles = readFamily('apache-error');

  it.each([
    ['nginx-error', nginxError, nginxFiles],
    ['apache-error', apacheError, apacheFiles],
  ] as const)('%s: at least 99.5 percent of non-blank lines are records or continuations', (_name, format, files) => {
    expect(files.length).toBeGreaterThan(0);
    const r = recognise(format, files);
    expect(r.misses).toEqual([]);
    expect(r.recognised / r.nonBlank).toBeGreaterThanOrEqual(0.995);
    for (const rec of r.records) {
      expect(rec.kind).toBe('event');
      // only Apache startup lines ('AH00558: …' before the log is open) come without a level
      if (rec.kind === 'event' && rec.raw.startsWith('[')) expect(rec.level).toBeDefined();
    }
  });

  it('nginx: every entry with a stamp has a time, and context fields come out of real lines', () => {
    const r = recognise(nginxError, nginxFiles);
    const events = r.records.filter((x) => x.kind === 'event');
    expect(events.every((e) => Number.isFinite(e.time))).toBe(true);
    // request-scoped lines that kept their context have a client and a server
    const withClient = events.filter((e) => e.raw.includes(', client: ') && e.raw.includes(', server: '));
    expect(withClient.filter((e) => e.client !== undefined).length / withClient.length).toBeGreaterThan(0.99);
    // no message keeps the context it was parsed out of
    expect(events.filter((e) => e.client !== undefined && e.message.endsWith(', client: '))).toEqual([]);
  });

  it('apache: every line with a time bracket has a finite time', () => {
    const r = recognise(apacheError, apacheFiles);
    for (const e of r.records) {
      if (e.kind === 'event' && e.raw.startsWith('[') && /^\[[A-Z][a-z]{2} /.test(e.raw)) {
        expect(Number.isFinite(e.time), e.raw).toBe(true);
      }
    }
  });

  it.each(nginxFiles.map((f) => [f.name, f] as const))('sniff nginx-error/%s', (_name, f) => {
    const sample = firstNonBlank(f.lines);
    const own = nginxError.sniff(sample);
    expect(own).toBeGreaterThanOrEqual(0.8);
    expect(apacheError.sniff(sample)).toBeLessThan(own);
  });

  it.each(apacheFiles.map((f) => [f.name, f] as const))('sniff apache-error/%s', (_name, f) => {
    const sample = firstNonBlank(f.lines);
    const own = apacheError.sniff(sample);
    expect(own).toBeGreaterThanOrEqual(0.8);
    expect(nginxError.sniff(sample)).toBeLessThan(own);
  });
});
