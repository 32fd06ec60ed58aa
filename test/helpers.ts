// Shared test helpers: run a format's parser over lines the way the input layer does.
import type { LineResult, LogFormat, LogRecord, ParseContext } from '../src/formats/types.js';

export interface ParsedLines {
  records: LogRecord[];
  results: LineResult[];
  unrecognized: number;
}

export function parseLines(
  format: LogFormat,
  lines: readonly string[],
  opts: Partial<Omit<ParseContext, 'emit'>> = {},
): ParsedLines {
  const records: LogRecord[] = [];
  const ctx: ParseContext = {
    tz: 'UTC',
    referenceTime: Date.UTC(2026, 5, 1),
    source: 'test.log',
    ...opts,
    emit: (r) => records.push(r),
  };
  const parser = format.createParser(ctx);
  const results: LineResult[] = [];
  let unrecognized = 0;
  lines.forEach((text, i) => {
    const r = parser.line(text, i + 1);
    results.push(r);
    if (r === 3) unrecognized++;
  });
  parser.flush();
  return { records, results, unrecognized };
}

/** Lines of a template literal, without the first and last empty ones and the common indent. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  while (lines.length && lines[0]!.trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent));
}
