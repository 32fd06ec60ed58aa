// Entry point: yargs wiring, exit codes, and the one-line error contract (never a stack trace).
import { analyzeCommand } from './commands/analyze.js';
import { EXIT_INPUT, EXIT_USAGE, quietOnClosedPipe, toolVersion, warn } from './io.js';
import { UsageError } from './options.js';
import { plainAnalyzeArgs } from './plain-args.js';

const EPILOG = `Examples:
  logsleuth /var/log/nginx /var/log/php8.2-fpm.log     rank the causes of the 5xx in these logs
  zcat access.log.*.gz | logsleuth                     read piped logs (gzip is detected by content too)
  logsleuth /var/log/nginx --json > report.json         the report as JSON
  logsleuth /var/log/nginx -o incident.md               a Markdown report for a ticket
  logsleuth parse error.log | jq 'select(.errno==111)'  normalized records as NDJSON
  logsleuth --follow /var/log/nginx                    live: re-diagnose every few seconds while the logs grow
  logsleuth /var/log/nginx --host web1 --save-digest web1.digest.json
  logsleuth merge *.digest.json                        one report across hosts from their saved digests

Exit status: 0 report produced, 1 input could not be read at all, 2 usage error.`;

function fail(message: string, code: number): never {
  // usage errors echo what was typed: folded to one line, then made terminal-safe by warn()
  warn(message.replace(/\s+/g, ' ').trim());
  process.exit(code);
}

/** Last resort for errors outside the command's promise chain (stream events): still one line. */
function onUncaught(err: unknown): void {
  if (process.env.LOGSLEUTH_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  fail(`internal error: ${err instanceof Error ? err.message : String(err)} (LOGSLEUTH_DEBUG=1 shows where)`, EXIT_INPUT);
}

async function main(): Promise<void> {
  process.on('uncaughtException', onUncaught);
  quietOnClosedPipe();
  // as yargs' hideBin reads it for node (not a bundled Electron app)
  const args = process.argv.slice(2);
  // 'analyze' is the default command: run it as such. yargs renders and caches the whole help text before
  // every named command (≈ 20 ms of string-width work per run), which the default command skips.
  if (args[0] === 'analyze' && !args.includes('--help') && !args.includes('-h')) args.shift();
  const plain = plainAnalyzeArgs(args);
  if (plain !== null) {
    process.exitCode = await analyzeCommand.run(plain);
    return;
  }
  // the other commands are loaded only when yargs is: a plain analyze needs neither
  const [{ default: yargs }, { parseCommand }, { formatsCommand }, { causesCommand }, { mergeCommand }] = await Promise.all([
    import('yargs'), import('./commands/parse.js'), import('./commands/formats.js'), import('./commands/causes.js'), import('./commands/merge.js'),
  ]);
  await yargs(args)
    .scriptName('logsleuth')
    .usage('$0 [analyze] [PATH…] [options]\n\nWhy is my site throwing 502s? Reads nginx, Apache, PHP-FPM, PHP and kernel logs and ranks the root causes.')
    .command(analyzeCommand.command, analyzeCommand.describe, analyzeCommand.builder, async (argv) => {
      process.exitCode = await analyzeCommand.run(argv);
    })
    .command(parseCommand.command, parseCommand.describe, parseCommand.builder, async (argv) => {
      process.exitCode = await parseCommand.run(argv);
    })
    .command(formatsCommand.command, formatsCommand.describe, formatsCommand.builder, async (argv) => {
      process.exitCode = await formatsCommand.run(argv);
    })
    .command(causesCommand.command, causesCommand.describe, causesCommand.builder, async (argv) => {
      process.exitCode = await causesCommand.run(argv);
    })
    .command(mergeCommand.command, mergeCommand.describe, mergeCommand.builder, async (argv) => {
      process.exitCode = await mergeCommand.run(argv);
    })
    .epilog(EPILOG)
    .strictOptions()
    .version(toolVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err instanceof UsageError) fail(err.message, EXIT_USAGE);
      if (err) fail(err.message, EXIT_INPUT);
      fail(`${msg} (see --help)`, EXIT_USAGE);
    })
    .parseAsync();
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) fail(err.message, EXIT_USAGE);
  fail(err instanceof Error ? err.message : String(err), EXIT_INPUT);
});
