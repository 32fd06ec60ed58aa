// Flags shared by the commands that read logs, and their validation (usage errors exit 2).
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { formatIds } from '../formats/index.js';
import type { FormatId } from '../formats/types.js';
import type { Source } from '../input/sources.js';
import { inferZoneFromAccessLogs } from '../time/infer-zone.js';
import { isValidZone, machineZone } from '../time/zone.js';

export class UsageError extends Error {}

export interface InputFlags {
  paths: string[];
  tz: string;
  /** --tz or TZ was given: never second-guessed */
  tzExplicit: boolean;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  since?: number;
  until?: number;
}

export function inputOptions<T>(y: Argv<T>) {
  return y
    .positional('paths', { type: 'string', array: true, describe: "log files, directories, globs, or '-' for stdin" })
    .option('tz', { type: 'string', describe: "zone for stamps without one (nginx/Apache error, FPM), e.g. 'Europe/Berlin' or '+01:00'", defaultDescription: 'the offset the access logs carry, else this machine\'s zone' })
    .option('input-format', { type: 'string', describe: `force the log family: ${formatIds.join(', ')}` })
    .option('nginx-log-format', { type: 'string', describe: "the access log_format string in use, e.g. '$remote_addr - [$time_local] \"$request\" $status …'" })
    .option('apache-log-format', { type: 'string', describe: 'the LogFormat string in use, e.g. \'%h %l %u %t "%r" %>s %b %D\'' })
    .option('since', { type: 'string', describe: "only records at or after: ISO time or relative like '2h', '30m', '1d'" })
    .option('until', { type: 'string', describe: "only records at or before: ISO time or relative like '10m'" });
}

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** '2h' → now - 2 h; ISO → that instant. */
export function parseWhen(flag: string, value: string, now = Date.now()): number {
  const rel = RELATIVE.exec(value.trim());
  if (rel) return now - Number(rel[1]) * (UNIT_MS[rel[2] ?? 's'] ?? 1000);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`--${flag}: '${value}' is neither an ISO time nor a duration like 2h`);
  return t;
}

export function readInputFlags(argv: Record<string, unknown>): InputFlags {
  const tz = typeof argv.tz === 'string' ? argv.tz : process.env.TZ || machineZone();
  if (!isValidZone(tz)) throw new UsageError(`--tz: unknown time zone '${tz}' (use an IANA name like Europe/Berlin or an offset like +01:00)`);
  const inputFormat = argv.inputFormat;
  if (inputFormat !== undefined && (typeof inputFormat !== 'string' || !formatIds.includes(inputFormat as FormatId))) {
    throw new UsageError(`--input-format: unknown format '${String(inputFormat)}' (known: ${formatIds.join(', ')})`);
  }
  const paths = Array.isArray(argv.paths) ? argv.paths.map(String) : [];
  // yargs drops a lone '-' (it reads it as an empty flag); '-' means stdin, in the place it was given
  const rawArgs = process.argv.slice(2);
  if (rawArgs.includes('-') && !paths.includes('-')) {
    const before = rawArgs.slice(0, rawArgs.indexOf('-')).filter((a) => paths.includes(a)).length;
    paths.splice(before, 0, '-');
  }
  const flags: InputFlags = {
    paths,
    tz,
    tzExplicit: typeof argv.tz === 'string' || Boolean(process.env.TZ),
  };
  if (typeof inputFormat === 'string') flags.inputFormat = inputFormat as FormatId;
  if (typeof argv.nginxLogFormat === 'string') flags.nginxLogFormat = argv.nginxLogFormat;
  if (typeof argv.apacheLogFormat === 'string') flags.apacheLogFormat = argv.apacheLogFormat;
  if (typeof argv.since === 'string') flags.since = parseWhen('since', argv.since);
  if (typeof argv.until === 'string') flags.until = parseWhen('until', argv.until);
  return flags;
}

/**
 * Without --tz, zone-less logs are read in the offset the access logs carry when it differs from this
 * machine's zone (analysing another host's logs); the user is told, once, on stderr.
 */
export function settleZone(flags: InputFlags, sources: readonly Source[], warn: (m: string) => void): void {
  if (flags.tzExplicit) return;
  const inferred = inferZoneFromAccessLogs(sources, flags.tz);
  if (inferred === undefined) return;
  warn(`reading zone-less logs (error, FPM) in ${inferred}, the offset the access logs carry; use --tz to override`);
  flags.tz = inferred;
}

/**
 * --jobs N: threads that parse. Default: the machine's cores, but one thread on two cores or fewer: there
 * a second parsing thread gained nothing (V8's concurrent GC and the reads already use the other core) and
 * cost ~35 MiB of peak memory (README, Performance).
 */
export function jobsOption<T>(y: Argv<T>) {
  return y.option('jobs', { alias: 'j', type: 'number', describe: 'threads that parse big inputs in parallel (1: this thread only)', defaultDescription: 'the number of CPU cores; 1 on 2 cores or fewer' });
}

export function readJobs(argv: Record<string, unknown>): number {
  const j = argv.jobs;
  if (j === undefined) {
    const cores = availableParallelism();
    return cores <= 2 ? 1 : cores;
  }
  if (typeof j !== 'number' || !Number.isInteger(j) || j < 1 || j > 256) throw new UsageError(`--jobs: '${String(j)}' is not a whole number from 1 to 256`);
  return j;
}
