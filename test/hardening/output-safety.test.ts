// A log line carrying an OSC title change (ESC ] 0 ; … BEL), a clear-screen (ESC [ 2 J) and <script> must come
// out inert in every medium: visible escapes on the terminal, code or escaped text in Markdown, entities in
// HTML, and the exact original string in JSON (JSON is data; escaping it is the consumer's job).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { analyzeFiles } from '../analyze-helpers.js';
import { expectOneLineMessages, parseReport, runCli, tmpDir } from './cli.js';
import { hostileIncident, PAYLOAD, RAW_CONTROL, SGR, unescapedMarkup } from './hostile-logs.js';

const VISIBLE = '\\x1b]0;pwned\\x07\\x1b[2J<script>alert(1)</script>';
const HAS_HTML = existsSync(join(process.cwd(), 'src/report/html.ts'));


function incidentDir(): string {
  return tmpDir(hostileIncident());
}

describe('terminal output', () => {
  it('shows the payload as visible escapes in the table, the evidence, the fix note and the inputs', () => {
    const r = runCli(['analyze', incidentDir()]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).not.toContain('\u001b');
    // the payload did reach the report (else this test could not fail)
    expect(r.stdout).toContain('fpm-request-terminated');
    expect(r.stdout).toContain(`most often "POST /report${VISIBLE}.php?id=`);
    expect(r.stdout).toContain(`garbage ${VISIBLE} that no parser knows`);
    expect(r.stdout.split(VISIBLE.slice(0, 20)).length).toBeGreaterThan(3);
  });

  it('with colour forced on, the only escape sequences are our own SGR colours', () => {
    const r = runCli(['analyze', incidentDir()], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout.match(SGR)?.length ?? 0).toBeGreaterThan(5);
    const withoutColours = r.stdout.replace(SGR, '');
    expect(withoutColours).not.toMatch(RAW_CONTROL);
    expect(withoutColours).toContain(VISIBLE.slice(0, 30));
  });

  it('stderr notes quoting a hostile file name are escaped too', () => {
    const dir = incidentDir();
    const name = 'core\u001b]0;pwned\u0007\u001b[2J.log';
    writeFileSync(join(dir, name), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    const r = runCli(['analyze', dir, '--json']);
    expect(r.status).toBe(0);
    expect(expectOneLineMessages(r.stderr)).toEqual([`logsleuth: ${dir}/core\\x1b]0;pwned\\x07\\x1b[2J.log: binary file, skipped`]);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('usage errors echoing a hostile argument are escaped', () => {
    const r = runCli(['analyze', '--tz', 'Evil\u001b]0;x\u0007Zone']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown time zone 'Evil\\x1b]0;x\\x07Zone'");
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('Markdown output', () => {
  it('keeps the payload inside code spans and blocks or escaped, never as markup', () => {
    const dir = incidentDir();
    const out = join(dir, 'incident.md');
    const r = runCli(['analyze', dir, '-o', out]);
    expect(r.status).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).not.toMatch(RAW_CONTROL);
    expect(md).toContain(VISIBLE);
    expect(md).toContain('fpm-request-terminated');
    expect(unescapedMarkup(md)).toEqual([]);
  });
});

describe('JSON output', () => {
  it('carries the original string, byte for byte, as data', () => {
    const r = runCli(['analyze', incidentDir(), '--json']);
    expect(r.status).toBe(0);
    const report = parseReport(r.stdout);
    expect(r.stdout).not.toMatch(RAW_CONTROL); // JSON.stringify escapes controls as \u001b
    const texts = JSON.stringify(report);
    expect(texts).toContain(JSON.stringify(`/report${PAYLOAD}.php`).slice(1, -1));
  });
});

/** The HTML renderer, once src/report/html.ts exists (it is written separately); undefined before. */
async function htmlRenderer(): Promise<((r: Report) => string) | undefined> {
  const file = join(process.cwd(), 'src/report/html.ts');
  if (!existsSync(file)) return undefined;
  const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { renderHtml?: unknown };
  expect(typeof mod.renderHtml, 'src/report/html.ts exports renderHtml(report)').toBe('function');
  return mod.renderHtml as (r: Report) => string;
}

describe('HTML output', () => {
  it.runIf(HAS_HTML)('escapes markup and shows controls as visible escapes', async () => {
    const render = await htmlRenderer();
    const { report } = await analyzeFiles(hostileIncident());
    const html = render?.(report) ?? '';
    expect(report.causes.map((c) => c.id)).toContain('fpm-request-terminated');
    expect(html).not.toMatch(RAW_CONTROL);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('\\x1b]0;pwned\\x07');
    // quotes are entities too, so a value cannot close an attribute
    expect(html).not.toMatch(/="[^"]*Evil\\x1b/);
  });
});
