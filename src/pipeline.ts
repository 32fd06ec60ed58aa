// The whole job as one function: sources → records → digest → diagnosis → report. The CLI and the tests
// both go through here, so what the tests check is what users run.
import { readSources, type ReadOptions } from './cli/read.js';
import { addRecord, createDigest, normalize, type Digest } from './digest/digest.js';
import { diagnose, type Diagnosis } from './diagnose/diagnose.js';
import type { InputSummary } from './input/ingest.js';
import type { Source } from './input/sources.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/schema.js';
import { rules } from './rules/index.js';

export interface AnalyzeOptions extends Omit<ReadOptions, 'onRecord'> {
  version: string;
  top?: number;
}

export interface Analysis {
  digest: Digest;
  inputs: InputSummary[];
  diagnosis: Diagnosis;
  report: Report;
}

export async function analyzeSources(sources: readonly Source[], opts: AnalyzeOptions): Promise<Analysis> {
  const digest = createDigest();
  const inputs = await readSources(sources, { ...opts, onRecord: (r) => addRecord(digest, r) });
  normalize(digest);
  const diagnosis = diagnose(digest, rules);
  const report = buildReport(digest, inputs, diagnosis, {
    tz: opts.tz,
    version: opts.version,
    top: opts.top,
    partial: Boolean(opts.shouldStop?.()),
  });
  return { digest, inputs, diagnosis, report };
}
