// logsleuth merge *.digest.json: one report across hosts from the digests each host saved with
// `analyze --save-digest`. Digests add up exactly, so this is the report of all logs read in one place.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Argv } from 'yargs';
import { merge, type Digest } from '../../digest/digest.js';
import { deserializeDigest, DigestFileError, type SavedDigest } from '../../digest/serialize.js';
import { reportDigestWithLines } from '../../follow/session.js';
import type { InputSummary } from '../../input/summary.js';
import { isValidZone } from '../../time/zone.js';
import { EXIT_INPUT, EXIT_OK, toolVersion, warn, writeOut } from '../io.js';
import { UsageError } from '../options.js';
import { renderFile, renderTerminal } from '../render.js';

function builder(y: Argv) {
  return y
    .positional('digests', { type: 'string', array: true, describe: 'digest files written by analyze --save-digest (gzipped or not)' })
    .option('json', { type: 'boolean', describe: 'print the report as JSON' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to a file: .json, .md or .html' })
    .option('top', { type: 'number', describe: 'show at most N causes' })
    .option('tz', { type: 'string', describe: 'zone to print times in', defaultDescription: 'the zone the digests were made with' });
}

/** A digest file, gunzipped when its first bytes say gzip (digests shrink ~10× and travel over ssh). */
function readDigestText(path: string): string {
  const buf = readFileSync(path);
  return (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
}

function describeError(err: unknown): string {
  if (err instanceof DigestFileError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(err);
}

/**
 * The inputs of every digest, named after their host when the digest was made for one: on a fleet every
 * host has its own /var/log/nginx/access.log.
 */
function inputsOf(saved: readonly SavedDigest[]): InputSummary[] {
  return saved.flatMap((s) => (s.host === null ? s.inputs : s.inputs.map((i) => ({ ...i, path: `${s.host}:${i.path}` }))));
}

export async function runMerge(argv: Record<string, unknown>): Promise<number> {
  const files = Array.isArray(argv.digests) ? argv.digests.map(String) : [];
  if (files.length === 0) throw new UsageError('merge: give the digest files to merge (written by analyze --save-digest FILE)');
  const output = typeof argv.output === 'string' ? argv.output : undefined;
  const outExt = output ? extname(output).toLowerCase() : undefined;
  if (outExt !== undefined && !['.json', '.md', '.markdown', '.html', '.htm'].includes(outExt)) {
    throw new UsageError(`-o ${output}: unknown report type '${outExt}' (use .json, .md or .html)`);
  }
  if (typeof argv.tz === 'string' && !isValidZone(argv.tz)) throw new UsageError(`--tz: unknown time zone '${argv.tz}'`);
  const top = typeof argv.top === 'number' && argv.top > 0 ? Math.floor(argv.top) : undefined;

  const saved: SavedDigest[] = [];
  for (const f of files) {
    try {
      saved.push(deserializeDigest(readDigestText(f)));
    } catch (err) {
      warn(`${f}: ${describeError(err)}`);
    }
  }
  const first = saved[0];
  if (first === undefined) {
    warn('no digest could be read');
    return EXIT_INPUT;
  }
  const zones = new Set(saved.map((s) => s.timezoneAssumed));
  if (zones.size > 1 && typeof argv.tz !== 'string') {
    // times inside are epoch ms whatever the zone: only the printing zone has to be chosen
    warn(`the digests were read in different zones (${[...zones].join(', ')}); times are printed in ${first.timezoneAssumed} (--tz to choose)`);
  }
  const tz = typeof argv.tz === 'string' ? argv.tz : first.timezoneAssumed;

  let digest: Digest = first.digest;
  for (const s of saved.slice(1)) digest = merge(digest, s.digest);
  const { report } = await reportDigestWithLines(digest, inputsOf(saved), { tz, version: toolVersion(), top });

  const asJson = `${JSON.stringify(report, null, 2)}\n`;
  if (output) {
    writeFileSync(output, outExt === '.json' ? asJson : await renderFile(report, outExt));
    if (!argv.json) process.stderr.write(`logsleuth: report written to ${output}\n`);
  }
  if (argv.json) await writeOut(asJson);
  else if (!output) await writeOut(await renderTerminal(report));
  return EXIT_OK;
}

export const mergeCommand = {
  command: 'merge <digests..>',
  describe: 'one report from the digests several hosts saved with analyze --save-digest',
  builder,
  run: runMerge,
};
