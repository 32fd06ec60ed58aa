// logsleuth formats [PATH…]: the known families, or what each input is detected as.
import type { Argv } from 'yargs';
import { formats } from '../../formats/index.js';
import { ingestSource } from '../../input/ingest.js';
import { resolveSources } from '../../input/sources.js';
import { escapeTerminal } from '../../report/escape.js';
import { EXIT_INPUT, EXIT_OK, warn, writeOut } from '../io.js';
import { inputOptions, readInputFlags } from '../options.js';

function builder(y: Argv) {
  return inputOptions(y).option('json', { type: 'boolean', describe: 'print JSON' });
}


export async function runFormats(argv: Record<string, unknown>): Promise<number> {
  const flags = readInputFlags(argv);
  if (flags.paths.length === 0 && process.stdin.isTTY) {
    if (argv.json) await writeOut(`${JSON.stringify(formats.map((f) => ({ id: f.id, title: f.title })), null, 2)}\n`);
    else await writeOut(formats.map((f) => `${f.id.padEnd(14)} ${f.title}`).join('\n') + '\n');
    return EXIT_OK;
  }
  const { sources, problems } = resolveSources(flags.paths, !process.stdin.isTTY);
  for (const p of problems) warn(`${p.path}: ${p.message}`);
  const rows = [];
  for (const src of sources) {
    const s = await ingestSource(src, { ...flags, onRecord: () => undefined });
    rows.push({ path: s.path, format: s.format, gzip: s.gzip, lines: s.lines, records: s.records, unrecognized: s.unrecognized, alsoFound: s.alsoFound, problems: s.problems });
  }
  if (argv.json) await writeOut(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    for (const r of rows) {
      const also = Object.entries(r.alsoFound).map(([k, v]) => `${k}:${v}`).join(' ');
      await writeOut(`${escapeTerminal(r.path)}\t${r.format}${r.gzip ? ' (gzip)' : ''}\t${r.lines} lines, ${r.unrecognized} unrecognised${also ? `\talso ${also}` : ''}${r.problems.length ? `\t! ${escapeTerminal(r.problems.join('; '))}` : ''}\n`);
    }
  }
  return rows.length === 0 && problems.length > 0 ? EXIT_INPUT : EXIT_OK;
}

export const formatsCommand = {
  command: 'formats [paths..]',
  describe: 'list the log families logsleuth reads, or show what each input is detected as',
  builder,
  run: runFormats,
};
