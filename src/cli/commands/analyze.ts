// logsleuth [analyze] [PATH…]: the ranked root-cause report.
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { resolveSources } from '../../input/sources.js';
import { analyzeSources } from '../../pipeline.js';
import type { InputReport } from '../../report/schema.js';
import { EXIT_INPUT, EXIT_OK, terminalWidth, toolVersion, useColor, warn, watchInterrupt, writeOut } from '../io.js';
import { inputOptions, jobsOption, readInputFlags, readJobs, settleZone, UsageError } from '../options.js';
import { createProgress } from '../progress.js';
import { renderFile, renderTerminal } from '../render.js';

function builder(y: Argv) {
  return jobsOption(inputOptions(y))
    .option('json', { type: 'boolean', describe: 'print the report as JSON (the schema is in src/report/report.schema.json)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to a file; the format follows the extension: .json, .md, .html (one self-contained page)' })
    .option('top', { type: 'number', describe: 'show at most N causes' })
    .option('follow', { alias: 'f', type: 'boolean', describe: 'keep reading the files as they grow (and across logrotate) and re-diagnose every --interval: a live table on a terminal, one line per new episode in a pipe, NDJSON with --json' })
    .option('interval', { type: 'number', default: 5, describe: 'seconds between diagnoses in --follow' })
    .option('host', { type: 'string', describe: 'only records of this host (syslog/journald name it); records that name none are taken as this host\'s' })
    .option('config-dir', { type: 'string', describe: 'read the server configuration here (normally /etc): access log formats, FPM pools, and fixes quoted against the values in force; found automatically for logs under <root>/var/log' })
    .option('save-digest', { type: 'string', describe: 'also write the mergeable digest to FILE for `logsleuth merge`; --save-digest=- writes it to stdout instead of the report' });
}


export async function runAnalyze(argv: Record<string, unknown>): Promise<number> {
  const flags = readInputFlags(argv);
  const output = typeof argv.output === 'string' ? argv.output : undefined;
  const outExt = output ? extname(output).toLowerCase() : undefined;
  if (outExt !== undefined && !['.json', '.md', '.markdown', '.html', '.htm'].includes(outExt)) {
    throw new UsageError(`-o ${output}: unknown report type '${outExt}' (use .json, .md or .html)`);
  }
  const top = typeof argv.top === 'number' && argv.top > 0 ? Math.floor(argv.top) : undefined;
  const host = typeof argv.host === 'string' && argv.host !== '' ? argv.host : undefined;
  const saveDigest = typeof argv.saveDigest === 'string' ? argv.saveDigest : undefined;
  // yargs reads a lone '-' as a path (stdin), leaving the flag empty
  if (saveDigest === '') throw new UsageError('--save-digest needs a file name (--save-digest=- writes the digest to stdout)');
  const interval = typeof argv.interval === 'number' ? argv.interval : 5;
  if (argv.follow && (output !== undefined || saveDigest !== undefined)) {
    throw new UsageError('--follow writes to stdout as it goes: -o and --save-digest are for one-shot runs');
  }
  if (!(interval > 0)) throw new UsageError(`--interval: '${String(argv.interval)}' is not a positive number of seconds`);

  const { sources, problems, directories } = resolveSources(flags.paths, !process.stdin.isTTY);
  for (const p of problems) warn(`${p.path}: ${p.message}`);
  settleZone(flags, sources, warn);
  const configDir = typeof argv.configDir === 'string' ? argv.configDir : undefined;
  // the configuration is only looked for beside logs under …/var/log (config/discover.ts configDirFor):
  // elsewhere its modules (and fast-glob) are not even loaded
  const config = configDir !== undefined || flags.paths.some((p) => resolve(p).includes('/var/log'))
    ? (await import('../../config/load.js')).loadConfig(configDir, flags.paths, warn)
    : undefined;
  if (config) {
    const { accessFormatsOf } = await import('../../config/load.js');
    const formats = accessFormatsOf(config);
    if (flags.nginxLogFormat === undefined && formats.nginx !== undefined) flags.nginxLogFormat = formats.nginx;
    if (flags.apacheLogFormat === undefined && formats.apache !== undefined) flags.apacheLogFormat = formats.apache;
  }
  if (sources.length === 0 && problems.length === 0) {
    throw new UsageError('no input: give log files or directories, or pipe logs on stdin (see --help)');
  }

  if (argv.follow) {
    // what only some runs need is loaded when they need it: startup is a fifth of a 1 M-line analysis
    const { runFollow } = await import('../../follow/run.js');
    await runFollow(sources, {
      flags, directories, scope: { host, since: flags.since, until: flags.until }, json: Boolean(argv.json), intervalSeconds: interval, top,
      version: toolVersion(), tty: Boolean(process.stdout.isTTY), color: useColor(), width: terminalWidth, write: writeOut, warn,
    });
    return EXIT_OK;
  }

  const shouldStop = watchInterrupt();
  // a progress line only for a person watching: never in pipes, never mixed into JSON on stdout
  const progress = process.stderr.isTTY && !argv.json
    ? createProgress((await import('../../workers/parallel.js')).inputBytes(sources).reduce((a, b) => a + b, 0))
    : undefined;
  const opts = { ...flags, version: toolVersion(), top, shouldStop, warn, jobs: readJobs(argv), onBytes: progress?.add };
  const { inputs, report, digest, diagnosis } = host === undefined ? await analyzeSources(sources, opts) : await (await import('../../follow/session.js')).analyzeHost(sources, opts, host);
  if (config) {
    const [{ applyConfig }, { peakInFlight }] = await Promise.all([import('../../config/apply.js'), import('../../digest/digest.js')]);
    applyConfig(report, diagnosis, config, peakInFlight(digest));
  }
  progress?.done();
  // a path that named nothing readable is an input too: the report lists it with its problem
  report.inputs.unshift(...problems.map((p) => unreadableInput(p.path, p.message)));
  // exit 1 says nothing was readable, but --json and -o still get a report: scripts parse it either way
  const nothingRead = report.inputs.every((i) => i.lines === 0 && i.problems.length > 0);
  if (nothingRead && inputs.length > 0) warn('nothing could be read');

  if (saveDigest !== undefined) {
    const [{ serializeDigest }, { rereadLines }] = await Promise.all([import('../../digest/serialize.js'), import('../../input/reread.js')]);
    // the digest file travels without the logs: every 5xx line it holds is read again now
    await rereadLines(digest.errors, Array.from({ length: digest.errors.length }, (_, i) => i));
    const text = serializeDigest({ digest, inputs, host: host ?? null, timezoneAssumed: report.timezoneAssumed, toolVersion: toolVersion() });
    if (saveDigest === '-') {
      // stdout carries the digest (ssh host logsleuth … --save-digest=- > host.digest.json): no report there
      await writeOut(text);
      return EXIT_OK;
    }
    writeFileSync(saveDigest, text);
    process.stderr.write(`logsleuth: digest written to ${saveDigest} (${Math.ceil(Buffer.byteLength(text) / 1024)} KB)\n`);
  }
  const asJson = `${JSON.stringify(report, null, 2)}\n`;
  if (output) {
    writeFileSync(output, outExt === '.json' ? asJson : await renderFile(report, outExt));
    if (!argv.json) process.stderr.write(`logsleuth: report written to ${output}\n`);
  }
  if (argv.json) await writeOut(asJson);
  else if (!output && !nothingRead) await writeOut(await renderTerminal(report));
  return nothingRead ? EXIT_INPUT : EXIT_OK;
}

function unreadableInput(path: string, problem: string): InputReport {
  return {
    path, format: 'unknown', gzip: false, lines: 0, records: 0, unrecognized: 0, unrecognizedSamples: [],
    truncatedLines: 0, from: null, to: null, problems: [problem],
  };
}

export const analyzeCommand = {
  command: ['analyze [paths..]', '$0 [paths..]'],
  describe: 'rank the root causes of the 5xx in these logs (the default command)',
  builder,
  run: runAnalyze,
};
