// logsleuth [analyze] [PATH…]: the ranked root-cause report.
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Argv } from 'yargs';
import { addRecord, createDigest, normalize } from '../../digest/digest.js';
import { diagnose } from '../../diagnose/diagnose.js';
import { resolveSources } from '../../input/sources.js';
import { buildReport } from '../../report/build.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderTable } from '../../report/table.js';
import { rules } from '../../rules/index.js';
import { EXIT_INPUT, EXIT_OK, terminalWidth, toolVersion, useColor, warn, watchInterrupt, writeOut } from '../io.js';
import { inputOptions, readInputFlags, UsageError } from '../options.js';
import { readSources } from '../read.js';

function builder(y: Argv) {
  return inputOptions(y)
    .option('json', { type: 'boolean', describe: 'print the report as JSON (the schema is in src/report/report.schema.json)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to a file; the format follows the extension: .json, .md' })
    .option('top', { type: 'number', describe: 'show at most N causes' });
}


export async function runAnalyze(argv: Record<string, unknown>): Promise<number> {
  const flags = readInputFlags(argv);
  const output = typeof argv.output === 'string' ? argv.output : undefined;
  const outExt = output ? extname(output).toLowerCase() : undefined;
  if (outExt !== undefined && !['.json', '.md', '.markdown'].includes(outExt)) {
    throw new UsageError(
      outExt === '.html' || outExt === '.htm'
        ? '-o report.html: the HTML report is not implemented yet; use .json or .md'
        : `-o ${output}: unknown report type '${outExt}' (use .json or .md)`,
    );
  }
  const top = typeof argv.top === 'number' && argv.top > 0 ? Math.floor(argv.top) : undefined;

  const { sources, problems } = resolveSources(flags.paths, !process.stdin.isTTY);
  for (const p of problems) warn(`${p.path}: ${p.message}`);
  if (sources.length === 0) {
    if (problems.length === 0) throw new UsageError('no input: give log files or directories, or pipe logs on stdin (see --help)');
    return EXIT_INPUT;
  }

  const shouldStop = watchInterrupt();
  const digest = createDigest();
  const inputs = await readSources(sources, { ...flags, onRecord: (r) => addRecord(digest, r), shouldStop, warn });
  const readable = inputs.filter((i) => i.lines > 0);
  if (readable.length === 0 && inputs.every((i) => i.problems.length > 0) && problems.length + inputs.length > 0) {
    warn('nothing could be read');
    return EXIT_INPUT;
  }
  normalize(digest);
  const diagnosis = diagnose(digest, rules);
  const report = buildReport(digest, inputs, diagnosis, { tz: flags.tz, version: toolVersion(), top, partial: shouldStop() });

  const asJson = `${JSON.stringify(report, null, 2)}\n`;
  if (output) {
    writeFileSync(output, outExt === '.json' ? asJson : renderMarkdown(report));
    if (!argv.json) process.stderr.write(`logsleuth: report written to ${output}\n`);
  }
  if (argv.json) await writeOut(asJson);
  else if (!output) await writeOut(renderTable(report, { color: useColor(), width: terminalWidth() }));
  return EXIT_OK;
}

export const analyzeCommand = {
  command: ['analyze [paths..]', '$0 [paths..]'],
  describe: 'rank the root causes of the 5xx in these logs (the default command)',
  builder,
  run: runAnalyze,
};
