// logsleuth parse [PATH…]: normalized records as NDJSON, for jq and friends.
import type { Argv } from 'yargs';
import { resolveSources } from '../../input/sources.js';
import { EXIT_INPUT, EXIT_OK, warn, watchInterrupt, writeOut } from '../io.js';
import { inputOptions, readInputFlags, settleZone, UsageError } from '../options.js';
import { readSources } from '../read.js';

function builder(y: Argv) {
  return inputOptions(y);
}


const FLUSH_AT = 256 * 1024;

export async function runParse(argv: Record<string, unknown>): Promise<number> {
  const flags = readInputFlags(argv);
  const { sources, problems } = resolveSources(flags.paths, !process.stdin.isTTY);
  for (const p of problems) warn(`${p.path}: ${p.message}`);
  settleZone(flags, sources, warn);
  if (sources.length === 0) {
    if (problems.length === 0) throw new UsageError('no input: give log files or directories, or pipe logs on stdin');
    return EXIT_INPUT;
  }
  let buf = '';
  const flush = async (): Promise<void> => {
    if (buf.length === 0) return;
    const s = buf;
    buf = '';
    await writeOut(s);
  };
  const inputs = await readSources(sources, {
    ...flags,
    onRecord: (r) => {
      buf += `${JSON.stringify(r)}\n`;
    },
    afterChunk: () => (buf.length >= FLUSH_AT ? flush() : undefined),
    shouldStop: watchInterrupt(),
    warn,
  });
  await flush();
  for (const i of inputs) {
    if (i.unrecognized > 0) warn(`${i.path === '-' ? '<stdin>' : i.path}: ${i.unrecognized} line(s) not recognised (first at line ${i.unrecognizedSamples[0]?.line ?? '?'})`);
  }
  return inputs.some((i) => i.lines > 0) || inputs.every((i) => i.problems.length === 0) ? EXIT_OK : EXIT_INPUT;
}

export const parseCommand = {
  command: 'parse [paths..]',
  describe: 'print the normalized records as NDJSON (one JSON object per line)',
  builder,
  run: runParse,
};
