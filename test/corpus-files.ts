// The real-world corpus next to the checkout (../shared/corpus): read-only test data, never copied here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CORPUS = path.resolve(process.cwd(), '../shared/corpus');
export const HAVE_CORPUS = existsSync(CORPUS);

/** A file's lines as the input layer hands them over: split at LF, a CR before the LF dropped. */
export function corpusLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The .log files of one corpus folder, by name; empty when the corpus or the folder is absent. */
export function corpusFiles(family: string): string[] {
  const dir = path.join(CORPUS, family);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Each file of a folder with its lines. */
export function readFamily(family: string): { name: string; lines: string[] }[] {
  return corpusFiles(family).map((file) => ({ name: path.basename(file), lines: corpusLines(file) }));
}
