// Lines of 5xx that the digest did not keep (past RAW_BUDGET), read again from their files for the few a
// report shows. Same opening and line splitting as the first read, so line numbers mean the same lines.
import type { ErrorTable } from '../digest/error-table.js';
import { LineSplitter } from './lines.js';
import { openInput } from './open.js';
import { maxOf } from '../numbers.js';

/**
 * Reads again, file by file, the lines of these rows that are not at hand, and hands them to the table.
 * A row of stdin, of a file gone or changed since (the line no longer holds the client and the status),
 * stays without. (Not the request: the row's is unescaped, the line may hold it escaped.)
 */
export async function rereadLines(errors: ErrorTable, rows: readonly number[]): Promise<void> {
  const wanted = new Map<string, Map<number, number[]>>();
  for (const i of rows) {
    if (!(i >= 0 && i < errors.length) || errors.hasRaw(i)) continue;
    const source = errors.sourceAt(i);
    if (source === '-' || source === '') continue;
    let byLine = wanted.get(source);
    if (!byLine) wanted.set(source, (byLine = new Map()));
    const line = errors.lineAt(i);
    const list = byLine.get(line);
    if (list) list.push(i);
    else byLine.set(line, [i]);
  }
  for (const [source, byLine] of wanted) await readLinesOf(errors, source, byLine);
}

async function readLinesOf(errors: ErrorTable, path: string, byLine: Map<number, number[]>): Promise<void> {
  let left = byLine.size;
  const last = maxOf(byLine.keys());
  const splitter = new LineSplitter((text, lineNo) => {
    const rows = byLine.get(lineNo);
    if (!rows) return;
    left--;
    for (const i of rows) if (text.includes(errors.clientAt(i)) && text.includes(String(errors.statusAt(i)))) errors.setRaw(i, text);
  });
  try {
    const opened = await openInput({ path, kind: 'file' });
    for await (const chunk of opened.chunks) {
      splitter.push(chunk);
      // leaving the loop closes the stream: the rest of a big file is never read
      if (left === 0 || splitter.stats.lines > last) break;
    }
    splitter.end();
  } catch {
    // gone, unreadable or damaged since the first read: those rows keep no line, as stdin's do
  }
}
