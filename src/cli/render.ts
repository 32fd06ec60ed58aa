// Report renderers, loaded only when a run draws one: a `--json` run never needs them (nor cli-table3),
// and loading modules is a good part of the startup that every run pays.
import type { Report } from '../report/schema.js';
import { terminalWidth, useColor } from './io.js';

/** The report as a file of the kind its extension names: '.html'/'.htm' a page, anything else Markdown. */
export async function renderFile(report: Report, ext: string | undefined): Promise<string> {
  if (ext === '.html' || ext === '.htm') return (await import('../report/html.js')).renderHtml(report);
  return (await import('../report/markdown.js')).renderMarkdown(report);
}

/** The report as the terminal table. */
export async function renderTerminal(report: Report): Promise<string> {
  const { renderTable } = await import('../report/table.js');
  return renderTable(report, { color: useColor(), width: terminalWidth() });
}
