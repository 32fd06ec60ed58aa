// A digest being filled record by record that can be diagnosed at any moment: the live loop re-reports it
// every interval, `analyze --host` fills it in one pass, and `merge` reports a digest read from files.
import { readSources } from '../cli/read.js';
import { addRecord, createDigest, normalize, type Digest } from '../digest/digest.js';
import { diagnose, type Diagnosis } from '../diagnose/diagnose.js';
import type { LogRecord } from '../formats/types.js';
import type { InputSummary } from '../input/summary.js';
import type { Source } from '../input/sources.js';
import type { AnalyzeOptions } from '../pipeline.js';
import { rereadLines } from '../input/reread.js';
import { buildReport, evidenceRows, type BuildOptions } from '../report/build.js';
import type { Report } from '../report/schema.js';
import { rules } from '../rules/index.js';

export interface Scope {
  /**
   * Keep only this machine's records. Records that name no host (plain files read on the machine itself)
   * are taken to be this machine's, so per-host digests of plain logs merge into a report grouped by host.
   */
  host?: string;
  since?: number;
  until?: number;
}

/** A sink that applies the scope before handing records on; records without a time are kept. */
export function scoped(scope: Scope, sink: (r: LogRecord) => void): (r: LogRecord) => void {
  const { host, since, until } = scope;
  const lo = since ?? -Infinity;
  const hi = until ?? Infinity;
  return (r) => {
    if (host !== undefined) {
      if (r.host === undefined) r.host = host;
      else if (r.host !== host) return;
    }
    const t = r.time;
    if (t === t && (t < lo || t > hi)) return;
    sink(r);
  };
}

/** Diagnoses a digest and builds its report (the digest's lists are put in canonical order first). */
export function reportDigest(
  digest: Digest,
  inputs: readonly InputSummary[],
  opts: BuildOptions,
): { diagnosis: Diagnosis; report: Report } {
  normalize(digest);
  const diagnosis = diagnose(digest, rules);
  return { diagnosis, report: buildReport(digest, inputs, diagnosis, opts) };
}

/**
 * reportDigest for a one-shot report: the shown 5xx lines the digest did not keep are read again from their
 * files first. (The live loop reports without: its files move on under it.)
 */
export async function reportDigestWithLines(
  digest: Digest,
  inputs: readonly InputSummary[],
  opts: BuildOptions,
): Promise<{ diagnosis: Diagnosis; report: Report }> {
  normalize(digest);
  const diagnosis = diagnose(digest, rules);
  await rereadLines(digest.errors, evidenceRows(diagnosis, opts.top));
  return { diagnosis, report: buildReport(digest, inputs, diagnosis, opts) };
}

export class DigestSession {
  readonly digest: Digest = createDigest();
  /** the record sink, scope applied */
  readonly add: (r: LogRecord) => void;

  constructor(scope: Scope = {}) {
    const d = this.digest;
    this.add = scoped(scope, (r) => addRecord(d, r));
  }

  report(inputs: readonly InputSummary[], opts: BuildOptions): { diagnosis: Diagnosis; report: Report } {
    return reportDigest(this.digest, inputs, opts);
  }
}

/**
 * The batch analysis for one host (`analyze --host NAME`): every record goes through the host scope, so
 * ordinary access lines are parsed in full instead of only counted; the digest is the same.
 */
export async function analyzeHost(
  sources: readonly Source[],
  opts: AnalyzeOptions,
  host: string,
): Promise<{ digest: Digest; inputs: InputSummary[]; report: Report; diagnosis: Diagnosis }> {
  const session = new DigestSession({ host });
  const inputs = await readSources(sources, { ...opts, onRecord: session.add });
  const { report, diagnosis } = await reportDigestWithLines(session.digest, inputs, {
    tz: opts.tz, version: opts.version, top: opts.top, partial: Boolean(opts.shouldStop?.()),
  });
  return { digest: session.digest, inputs, report, diagnosis };
}
