// logsleuth [analyze] [PATH…]: the ranked root-cause report.
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Argv } from 'yargs';
import { resolveSources } from '../../input/sources.js';
import { analyzeSources } from '../../pipeline.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderTable } from '../../report/table.js';
import { EXIT_INPUT, EXIT_OK, terminalWidth, toolVersion, useColor, warn, watchInterrupt, writeOut } from '../io.js';
import { inputOptions, readInputFlags, UsageError } from '../options.js';

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
  const { inputs, report } = await analyzeSources(sources, { ...flags, version: toolVersion(), top, shouldStop, warn });
  if (inputs.every((i) => i.lines === 0 && i.problems.length > 0)) {
    warn('nothing could be read');
    return EXIT_INPUT;
  }

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
