// Digest ⇄ JSON, for `analyze --save-digest` on each host and `merge` in one place. The file holds the
// digest and the per-input summaries the report needs, nothing else: ordinary requests are already reduced
// to per-second counts, so the file grows with the time span, the 5xx and the signals, not with traffic.
//
// The round trip is exact: JSON cannot hold NaN or ±Infinity (a line without a time, an empty coverage
// range), so non-finite numbers are written as {"$num":"NaN"}. No log-derived value is ever an object
// (log text only arrives as strings), so that tag cannot be forged by a log line.
import type { InputSummary } from '../input/summary.js';
import type { Signal } from '../signals/types.js';
import { BucketTable, DIGEST_VERSION, type Bucket, type Digest, type SignalOverflow } from './digest.js';
import { rowsOf, tableOf as errorTableOf, type ErrorRow } from './error-table.js';

export const DIGEST_FILE_FORMAT = 'logsleuth-digest';
/** Version of the file layout below; bumped when a reader of the old layout would misread the new one. */
export const DIGEST_FILE_VERSION = 1;

/** A bucket as [total, bots, status, count, status, count, …]; a second's bucket is prefixed with the second. */
type FlatBucket = number[];

export interface DigestFile {
  format: typeof DIGEST_FILE_FORMAT;
  version: number;
  /** layout of the digest itself (digest.ts DIGEST_VERSION): digests of different versions do not merge */
  digestVersion: number;
  tool: { name: 'logsleuth'; version: string };
  /** the --host the digest was made for; null when the records name their own hosts (or none) */
  host: string | null;
  /** the zone zone-less stamps were read in: times inside are epoch ms, this only says how they were read */
  timezoneAssumed: string;
  inputs: InputSummary[];
  digest: {
    buckets: FlatBucket[];
    untimed: FlatBucket;
    /** the 5xx; `raw` is the line, absent when it was neither kept nor found again */
    errors: ErrorRow[];
    errorsDropped: number;
    hiddenUpstreamFailures: number;
    signals: Signal[];
    signalOverflow: SignalOverflow[];
    coverage: [family: string, from: number, to: number, records: number][];
    signalCounts: [sig: string, count: number][];
    /** second → busy seconds (absent in files from before it existed: read as empty) */
    busy?: [sec: number, seconds: number][];
  };
}

export interface SavedDigest {
  digest: Digest;
  inputs: InputSummary[];
  host: string | null;
  timezoneAssumed: string;
  toolVersion: string;
}

export class DigestFileError extends Error {}

function flatten(b: Bucket): FlatBucket {
  const out = [b.total, b.bots];
  for (const [status, n] of Object.entries(b.byStatus)) out.push(Number(status), n);
  return out;
}

/**
 * Same shape as digest.ts builds its status maps: an object born with a huge index keeps dictionary
 * elements, where keys like 200…504 would otherwise get a 505-slot array per second (see newStatusMap).
 */
function statusMap(): Record<string, number> {
  const m: Record<string, number> = { 2147483647: 0 };
  delete m[2147483647];
  return m;
}

function unflatten(flat: readonly number[], from: number): Bucket {
  const byStatus = statusMap();
  for (let i = from + 2; i + 1 < flat.length; i += 2) byStatus[flat[i] ?? 0] = flat[i + 1] ?? 0;
  return { total: flat[from] ?? 0, bots: flat[from + 1] ?? 0, byStatus };
}

function tableOf(flats: readonly FlatBucket[]): BucketTable {
  const t = new BucketTable();
  for (const flat of flats) t.addBucket(flat[0] ?? 0, unflatten(flat, 1));
  return t;
}

export function toDigestFile(saved: SavedDigest): DigestFile {
  const d = saved.digest;
  return {
    format: DIGEST_FILE_FORMAT,
    version: DIGEST_FILE_VERSION,
    digestVersion: d.version,
    tool: { name: 'logsleuth', version: saved.toolVersion },
    host: saved.host,
    timezoneAssumed: saved.timezoneAssumed,
    inputs: saved.inputs,
    digest: {
      buckets: [...d.buckets].map(([sec, b]) => [sec, ...flatten(b)]),
      untimed: flatten(d.untimed),
      errors: rowsOf(d.errors),
      errorsDropped: d.errorsDropped,
      hiddenUpstreamFailures: d.hiddenUpstreamFailures,
      signals: d.signals,
      signalOverflow: [...d.signalOverflow.values()],
      coverage: [...d.coverage].map(([family, c]) => [family, c.from, c.to, c.records]),
      signalCounts: [...d.signalCounts],
      busy: [...d.busy],
    },
  };
}

function encodeNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { $num: String(value) } : value;
}

function decodeNumber(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tag = (value as { $num?: unknown }).$num;
    if (typeof tag === 'string' && Object.keys(value).length === 1) return Number(tag);
  }
  return value;
}

/** The digest file as JSON text: one line, since it is meant to be moved, not read. */
export function serializeDigest(saved: SavedDigest): string {
  return `${JSON.stringify(toDigestFile(saved), encodeNumber)}\n`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

/** Checks the layout far enough that a wrong or damaged file is named as such instead of failing later. */
function checkFile(v: unknown): DigestFile {
  if (!isObject(v) || v.format !== DIGEST_FILE_FORMAT) throw new DigestFileError('not a logsleuth digest file');
  if (v.version !== DIGEST_FILE_VERSION) {
    throw new DigestFileError(`digest file version ${String(v.version)} is not supported (this logsleuth reads version ${DIGEST_FILE_VERSION})`);
  }
  if (v.digestVersion !== DIGEST_VERSION) {
    throw new DigestFileError(`digest version ${String(v.digestVersion)} cannot be merged by this logsleuth (it makes version ${DIGEST_VERSION})`);
  }
  const d = v.digest;
  const ok =
    isObject(d) &&
    Array.isArray(d.buckets) && d.buckets.every(isNumberArray) &&
    isNumberArray(d.untimed) &&
    Array.isArray(d.errors) && d.errors.every(isObject) &&
    Array.isArray(d.signals) && d.signals.every(isObject) &&
    Array.isArray(d.signalOverflow) && Array.isArray(d.coverage) && Array.isArray(d.signalCounts) &&
    typeof d.errorsDropped === 'number' && typeof d.hiddenUpstreamFailures === 'number' &&
    Array.isArray(v.inputs) && typeof v.timezoneAssumed === 'string';
  if (!ok) throw new DigestFileError('damaged digest file: a part of the digest is missing or has the wrong type');
  return v as unknown as DigestFile;
}

export function fromDigestFile(f: DigestFile): SavedDigest {
  const x = f.digest;
  const digest: Digest = {
    version: f.digestVersion,
    buckets: tableOf(x.buckets),
    untimed: unflatten(x.untimed, 0),
    errors: errorTableOf(x.errors),
    errorsDropped: x.errorsDropped,
    hiddenUpstreamFailures: x.hiddenUpstreamFailures,
    signals: x.signals,
    signalOverflow: new Map(x.signalOverflow.map((o) => [o.sig, o])),
    coverage: new Map(x.coverage.map(([family, from, to, records]) => [family, { from, to, records }])),
    signalCounts: new Map(x.signalCounts),
    busy: new Map(Array.isArray(x.busy) ? x.busy : []),
  };
  return { digest, inputs: f.inputs, host: f.host, timezoneAssumed: f.timezoneAssumed, toolVersion: f.tool.version };
}

/** Parses a digest file's text; throws DigestFileError with a one-line reason when it is not one. */
export function deserializeDigest(text: string): SavedDigest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, decodeNumber);
  } catch (err) {
    throw new DigestFileError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return fromDigestFile(checkFile(parsed));
}
