// The arguments of the plainest and most common run, `logsleuth [analyze] [PATH…] [--json]`, read without
// yargs: loading yargs (cliui, string-width and their Unicode tables come with it) is ≈ 45 ms of a startup
// of ≈ 150 ms, and such a run needs none of it.

/** Names yargs would read as a command rather than as a path (main.ts registers these). */
const COMMANDS: ReadonlySet<string> = new Set(['analyze', 'parse', 'formats', 'causes', 'merge']);

/**
 * The argv yargs would give the analyze handler, for arguments that are only paths and `--json` (after
 * main.ts dropped a leading 'analyze'); null for anything else — any other flag, '-' or '--', a word that
 * names a command — which then goes through yargs as before.
 */
export function plainAnalyzeArgs(args: readonly string[]): { paths?: string[]; json?: true } | null {
  const paths: string[] = [];
  let json = false;
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a.startsWith('-') || COMMANDS.has(a)) return null;
    else paths.push(a);
  }
  // yargs leaves out what was not given
  const argv: { paths?: string[]; json?: true } = {};
  if (paths.length > 0) argv.paths = paths;
  if (json) argv.json = true;
  return argv;
}
