// Property: whatever a client writes into the fields a log records, no report renderer lets a raw control
// character out (terminal, Markdown, HTML) and Markdown never turns it into markup. Reports are made by the
// real pipeline from an incident whose attacker-controlled fields carry the generated string.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTerminal, markdownCode, markdownText } from '../../src/report/escape.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/schema.js';
import { renderTable } from '../../src/report/table.js';
import { analyzeFiles } from '../analyze-helpers.js';
import { hostileIncident, RAW_CONTROL, SGR, unescapedMarkup } from './hostile-logs.js';

/** Hostile pieces: C0/C1 controls, escape sequences, bidi and invisible characters, markup of every medium. */
const PIECES = [
  '\u001b[2J', '\u001b]0;t\u0007', '\u001b]8;;http://x\u001b\\', '\u009b31m', '\u0007', '\u0008', '\u000d', '\u0000', '\u007f', '\u0085',
  '\u202e', '\u2066', '\u200b', '\u2028', '\ufeff', '\u00ad', '\u061c', '\u{e0041}', '<script>', '</td>', '&amp;', '<img src=x onerror=alert(1)>',
  '`', '```', '|', '*', '_', '[x](javascript:alert(1))', '~~', '\\', '#', '\ud83d\ude00', '\\x1B[2J', '%1B',
];
const piece = fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 }));
/** Inside a quoted log field: no space, quote or line break (those would end the field or the line). */
const payload = fc.array(piece, { minLength: 1, maxLength: 8 }).map((a) => a.join('').replace(/[\s"'\n]/g, ''));

async function renderHtml(): Promise<((r: Report) => string) | undefined> {
  const file = join(process.cwd(), 'src/report/html.ts');
  if (!existsSync(file)) return undefined;
  const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { renderHtml?: (r: Report) => string };
  return mod.renderHtml;
}

function expectInert(report: Report, html: ((r: Report) => string) | undefined): void {
  for (const color of [false, true]) {
    const out = renderTable(report, { color, width: 100 }).replace(SGR, '');
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).not.toContain('\u001b');
  }
  const md = renderMarkdown(report);
  expect(md).not.toMatch(RAW_CONTROL);
  expect(unescapedMarkup(md)).toEqual([]);
  if (html) {
    const page = html(report);
    expect(page).not.toMatch(RAW_CONTROL);
    expect(page).not.toMatch(/<script>|<img src=x/);
  }
}

describe('rendering never emits raw control characters', () => {
  it('escape helpers: nothing unsafe survives, for any string', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((a) => a.join('')), (s) => {
        expect(escapeTerminal(s)).not.toMatch(RAW_CONTROL);
        expect(markdownCode(s)).not.toMatch(RAW_CONTROL);
        expect(unescapedMarkup(markdownText(s))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('table, Markdown (and HTML) of reports built from logs carrying generated strings', async () => {
    const html = await renderHtml();
    let causes = 0;
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const { report } = await analyzeFiles(hostileIncident(p));
        causes += report.causes.length;
        expectInert(report, html);
      }),
      { numRuns: 40 },
    );
    // the payload went through a diagnosed incident, so evidence and fix notes were rendered too
    expect(causes).toBeGreaterThan(20);
  }, 60_000);
});
