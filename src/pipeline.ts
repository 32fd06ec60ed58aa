// The whole job as one function: sources → records → digest → diagnosis → report. The CLI and the tests
// both go through here, so what the tests check is what users run.
import { readSources, type ReadOptions } from './cli/read.js';
import { accessCounter, addRecord, createDigest, normalize, type Digest } from './digest/digest.js';
import { diagnose, type Diagnosis } from './diagnose/diagnose.js';
import type { InputSummary } from './input/summary.js';
import type { Source } from './input/sources.js';
import { rereadLines } from './input/reread.js';
import { buildReport, evidenceRows } from './report/build.js';
import type { Report } from './report/schema.js';
import { rules } from './rules/index.js';

export interface AnalyzeOptions extends Omit<ReadOptions, 'onRecord' | 'onCount'> {
  version: string;
  top?: number;
  /** threads that parse (--jobs); 1 or unset: all on this thread */
  jobs?: number;
  /** told the bytes read as reading goes on (progress bar) */
  onBytes?(bytes: number): void;
}

/** Below this much input, starting worker threads costs more than it saves. */
const PARALLEL_MIN_BYTES = 16 << 20;

async function readAll(sources: readonly Source[], opts: AnalyzeOptions): Promise<{ digest: Digest; inputs: InputSummary[] }> {
  const jobs = opts.jobs ?? 1;
  // the worker threads' modules are loaded only for runs that may use them (--jobs 1 is the default on 2 cores)
  const parallel = jobs > 1 ? await import('./workers/parallel.js') : undefined;
  if (parallel && parallel.inputBytes(sources).reduce((a, b) => a + b, 0) >= PARALLEL_MIN_BYTES) {
    const { tz, inputFormat, nginxLogFormat, apacheLogFormat, since, until, shouldStop, onBytes } = opts;
    const r = await parallel.readParallel(sources, { tz, inputFormat, nginxLogFormat, apacheLogFormat, since, until, shouldStop, onBytes, threads: jobs });
    for (const i of r.inputs) for (const p of i.problems) opts.warn(`${i.path === '-' ? '<stdin>' : i.path}: ${p}`);
    return r;
  }
  const digest = createDigest();
  const counter = accessCounter(digest);
  const inputs = await readSources(sources, { ...opts, onRecord: (r) => addRecord(digest, r), onCount: counter.count });
  counter.flush();
  return { digest: normalize(digest), inputs };
}

export interface Analysis {
  digest: Digest;
  inputs: InputSummary[];
  diagnosis: Diagnosis;
  report: Report;
}

export async function analyzeSources(sources: readonly Source[], opts: AnalyzeOptions): Promise<Analysis> {
  const { digest, inputs } = await readAll(sources, opts);
  // partial means input was left unread: a Ctrl-C during the diagnosis itself loses nothing
  const partial = Boolean(opts.shouldStop?.());
  const diagnosis = diagnose(digest, rules);
  await rereadLines(digest.errors, evidenceRows(diagnosis, opts.top));
  const report = buildReport(digest, inputs, diagnosis, { tz: opts.tz, version: opts.version, top: opts.top, partial });
  return { digest, inputs, diagnosis, report };
}
