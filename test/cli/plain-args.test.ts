// Runs read without yargs must get exactly the argv yargs gives the analyze handler; everything else must
// still go to yargs.
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { analyzeCommand } from '../../src/cli/commands/analyze.js';
import { plainAnalyzeArgs } from '../../src/cli/plain-args.js';

/** paths and json as the analyze handler receives them from yargs (main.ts's default command). */
async function viaYargs(args: string[]): Promise<{ paths?: unknown; json?: unknown }> {
  let got: Record<string, unknown> = {};
  await yargs(args)
    .command(analyzeCommand.command, analyzeCommand.describe, analyzeCommand.builder, (argv) => {
      got = argv;
    })
    .strictOptions()
    .parseAsync();
  const out: { paths?: unknown; json?: unknown } = {};
  if (got.paths !== undefined) out.paths = got.paths;
  if (got.json !== undefined) out.json = got.json;
  return out;
}

describe('plainAnalyzeArgs', () => {
  const plain: string[][] = [
    [],
    ['/var/log/nginx/access.log'],
    ['access.log', '--json'],
    ['--json', 'a.log', 'b.log.1.gz'],
    ['--json'],
    ['--json', '--json'],
    // words yargs could read as numbers or as object keys stay the paths they are
    ['0123', '1e3', '0x10', '12', '--json'],
    ['a b', 'x=y', 'a.b.c', 'toString', '__proto__', 'constructor'],
    [''],
  ];
  it.each(plain)('reads %j as yargs does', async (...args) => {
    const got = plainAnalyzeArgs(args);
    expect(got).not.toBeNull();
    expect(got).toEqual(await viaYargs(args));
  });

  const others: string[][] = [
    ['access.log', '--top', '3'],
    ['access.log', '-o', 'r.md'],
    ['--json=false', 'access.log'],
    ['--no-json', 'access.log'],
    ['--help'],
    ['-h'],
    ['--version'],
    ['-'],
    ['--', 'access.log'],
    ['-5'],
    ['parse', 'access.log'],
    ['--json', 'merge', 'a.digest.json'],
    ['access.log', 'formats'],
    ['causes'],
    ['analyze', 'access.log'],
    ['access.log', '--jobs', '2', '--json'],
  ];
  it.each(others)('leaves %j to yargs', (...args) => {
    expect(plainAnalyzeArgs(args)).toBeNull();
  });
});
