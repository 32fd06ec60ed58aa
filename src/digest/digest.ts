// The mergeable aggregate between parsing and diagnosis. Memory grows with time span x status keys, with the
// number of 5xx and with the number of signals, never with the number of ordinary requests.
import type { AccessCount } from '../formats/access-common.js';
import type { AccessRecord, EventRecord, LogRecord } from '../formats/types.js';
import { classify } from '../signals/classify.js';
import type { Signal } from '../signals/types.js';
import { ErrorTable, type PackedErrors } from './error-table.js';

export type { ErrorRequest } from './error-table.js';

export const BUCKET_MS = 1000;
export const DIGEST_VERSION = 1;
/** Signals kept in full per signature; beyond that only counted (a flood of client aborts must not grow memory). */
const MAX_SIGNALS_PER_SIG = 20_000;
/** 5xx kept in full; beyond that only counted per second and status. */
const MAX_ERRORS = 500_000;

/** Counts of one second: total requests and requests per status. */
export interface Bucket {
  total: number;
  byStatus: Record<string, number>;
  /** requests of well-known crawlers in this second */
  bots: number;
}

export interface SignalOverflow {
  sig: string;
  count: number;
  first: number;
  last: number;
}

/**
 * second (epoch ms / 1000, floored) → counts, as columns: one row per second (in the order seconds first
 * appeared), one Int32Array column per status. A Map of Bucket objects cost ≈ 390 bytes a second (a
 * dictionary of statuses, a heap number for the key) and summing them was a sixth of a 1 M-line analysis;
 * this is ≈ 4 bytes per second and status. Reads as a Map<number, Bucket> (get, has, keys, entries…), whose
 * Buckets are made on demand; the hot paths use the columns. Counts are int32: a second of one log, or of a
 * fleet's logs merged, is far below 2^31 requests.
 */
export class BucketTable {
  /**
   * minute → 1 + the row of each of its seconds (0: none). Seconds since 1970 are heap numbers to V8, so a
   * Map keyed by them hashed a double per lookup; minutes are small integers, and lines come in time order.
   */
  private readonly minutes = new Map<number, Int32Array>();
  private lastMinute = NaN;
  private lastRows: Int32Array = new Int32Array(60);
  private secs = new Float64Array(64);
  private totals = new Int32Array(64);
  private botCounts = new Int32Array(64);
  private readonly columns: Int32Array[] = [];
  private readonly columnOf = new Map<number, number>();
  /** status of each column, in the order they appeared */
  readonly statuses: number[] = [];
  /** each column's sum and the sum of all totals, kept as counts are added: totals read no column */
  private readonly columnSums: number[] = [];
  private allRequests = 0;
  private rows = 0;

  get size(): number {
    return this.rows;
  }

  /** Row + 1 of each second of a minute, created (all 0) when the minute has none. */
  private minute(m: number): Int32Array {
    if (m === this.lastMinute) return this.lastRows;
    let rows = this.minutes.get(m);
    if (rows === undefined) {
      rows = new Int32Array(60);
      this.minutes.set(m, rows);
    }
    this.lastMinute = m;
    this.lastRows = rows;
    return rows;
  }

  /** The row of a second, or -1. */
  private find(sec: number): number {
    const m = Math.floor(sec / 60);
    const rows = m === this.lastMinute ? this.lastRows : this.minutes.get(m);
    return (rows?.[sec - m * 60] ?? 0) - 1;
  }

  /** The row of a second (an integer), added (all zero) if it has none yet. */
  row(sec: number): number {
    const m = Math.floor(sec / 60);
    const rows = this.minute(m);
    const i = sec - m * 60;
    const known = rows[i] ?? 0;
    if (known !== 0) return known - 1;
    const r = this.rows++;
    if (r === this.secs.length) this.grow();
    rows[i] = r + 1;
    this.secs[r] = sec;
    return r;
  }

  private grow(): void {
    const cap = this.secs.length * 2;
    const widen = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.secs = widen(this.secs, (n) => new Float64Array(n));
    this.totals = widen(this.totals, (n) => new Int32Array(n));
    this.botCounts = widen(this.botCounts, (n) => new Int32Array(n));
    for (let c = 0; c < this.columns.length; c++) this.columns[c] = widen(this.columns[c] ?? new Int32Array(0), (n) => new Int32Array(n));
  }

  /** The column of a status, added (all zero) when the status is new. */
  private columnIndex(status: number): number {
    let c = this.columnOf.get(status);
    if (c === undefined) {
      c = this.columns.length;
      this.columnOf.set(status, c);
      this.statuses.push(status);
      this.columnSums.push(0);
      this.columns.push(new Int32Array(this.secs.length));
    }
    return c;
  }

  add(row: number, total: number, bots: number): void {
    this.allRequests += total;
    this.totals[row] = (this.totals[row] ?? 0) + total;
    this.botCounts[row] = (this.botCounts[row] ?? 0) + bots;
  }

  addStatus(row: number, status: number, n: number): void {
    const c = this.columnIndex(status);
    const col = this.columns[c];
    if (col) col[row] = (col[row] ?? 0) + n;
    this.columnSums[c] = (this.columnSums[c] ?? 0) + n;
  }

  /**
   * The seconds, totals and crawler counts by row (views, valid until the next row is added). Loops over
   * every second run once per report, mostly before V8 has compiled them: plain array reads there cost a
   * fraction of a method call per row.
   */
  columnsView(): { secs: Float64Array; totals: Int32Array; bots: Int32Array } {
    return { secs: this.secs.subarray(0, this.rows), totals: this.totals.subarray(0, this.rows), bots: this.botCounts.subarray(0, this.rows) };
  }

  /** Requests in one second (0 when it has none). */
  requestsIn(sec: number): number {
    const r = this.find(sec);
    return r < 0 ? 0 : (this.totals[r] ?? 0);
  }

  /** Requests over all seconds. */
  get requests(): number {
    return this.allRequests;
  }

  /** Requests of one status over all seconds. */
  sumOf(status: number): number {
    const c = this.columnOf.get(status);
    return c === undefined ? 0 : (this.columnSums[c] ?? 0);
  }

  secAt(row: number): number {
    return this.secs[row] ?? NaN;
  }

  totalAt(row: number): number {
    return this.totals[row] ?? 0;
  }

  botsAt(row: number): number {
    return this.botCounts[row] ?? 0;
  }

  /**
   * Rows in order of their second. Rows are added as seconds first appear, which is nearly in order for a
   * log read in order (a 5xx can open its second before the counts held for the second before it are
   * added): then a few rows move a step and an insertion sort does it in one pass. Otherwise (digests merged
   * from overlapping logs) a full sort.
   */
  rowsInTimeOrder(): Int32Array {
    const order = new Int32Array(this.rows);
    let descents = 0;
    for (let r = 0; r < order.length; r++) {
      order[r] = r;
      if (r > 0 && (this.secs[r - 1] ?? 0) > (this.secs[r] ?? 0)) descents++;
    }
    if (descents === 0) return order;
    if (descents > 1000) return order.sort((a, b) => (this.secs[a] ?? 0) - (this.secs[b] ?? 0));
    for (let i = 1; i < order.length; i++) {
      const r = order[i] ?? 0;
      const sec = this.secs[r] ?? 0;
      let j = i - 1;
      while (j >= 0 && (this.secs[order[j] ?? 0] ?? 0) > sec) {
        order[j + 1] = order[j] ?? 0;
        j--;
      }
      order[j + 1] = r;
    }
    return order;
  }

  /** The counts of one status, indexed by row (a view: valid until the next row is added). */
  countsOf(status: number): Int32Array {
    const c = this.columnOf.get(status);
    return c === undefined ? new Int32Array(0) : (this.columns[c] ?? new Int32Array(0)).subarray(0, this.rows);
  }

  private bucketAt(r: number): Bucket {
    const byStatus = newStatusMap();
    for (let c = 0; c < this.columns.length; c++) {
      const n = this.columns[c]?.[r] ?? 0;
      if (n !== 0) byStatus[this.statuses[c] ?? 0] = n;
    }
    return { total: this.totals[r] ?? 0, byStatus, bots: this.botCounts[r] ?? 0 };
  }

  get(sec: number): Bucket | undefined {
    const r = this.find(sec);
    return r < 0 ? undefined : this.bucketAt(r);
  }

  has(sec: number): boolean {
    return this.find(sec) >= 0;
  }

  *keys(): IterableIterator<number> {
    for (let r = 0; r < this.rows; r++) yield this.secs[r] ?? NaN;
  }

  *values(): IterableIterator<Bucket> {
    for (let r = 0; r < this.rows; r++) yield this.bucketAt(r);
  }

  *entries(): IterableIterator<[number, Bucket]> {
    for (let r = 0; r < this.rows; r++) yield [this.secs[r] ?? NaN, this.bucketAt(r)];
  }

  [Symbol.iterator](): IterableIterator<[number, Bucket]> {
    return this.entries();
  }

  /** Adds every row of src. */
  addTable(src: BucketTable): void {
    for (let r = 0; r < src.rows; r++) {
      const o = this.row(src.secs[r] ?? NaN);
      this.add(o, src.totals[r] ?? 0, src.botCounts[r] ?? 0);
      for (let c = 0; c < src.columns.length; c++) {
        const n = src.columns[c]?.[r] ?? 0;
        if (n !== 0) this.addStatus(o, src.statuses[c] ?? 0, n);
      }
    }
  }

  /** Adds one Bucket at a second (a digest file's or a worker's). */
  addBucket(sec: number, b: Bucket): void {
    const r = this.row(sec);
    this.add(r, b.total, b.bots);
    for (const k in b.byStatus) if (Object.hasOwn(b.byStatus, k)) this.addStatus(r, Number(k), b.byStatus[k] ?? 0);
  }
}

export interface Digest {
  version: number;
  /** second (epoch ms / 1000, floored) → counts */
  buckets: BucketTable;
  /** requests without a usable time: counted, not bucketed */
  untimed: Bucket;
  /** the 5xx, in time order once normalized */
  errors: ErrorTable;
  errorsDropped: number;
  /** requests whose upstream failed but the client got something else ('502, 200'): hidden failures */
  hiddenUpstreamFailures: number;
  signals: Signal[];
  signalOverflow: Map<string, SignalOverflow>;
  /** coverage per family: the time range each kind of log covers (rules conclude absence only inside it) */
  coverage: Map<string, { from: number; to: number; records: number }>;
  /** per-signature count of kept signals, for the cap */
  signalCounts: Map<string, number>;
  /**
   * second → summed request time (s) of the backend requests that ended in it. Over a window this is
   * Little's law: busy seconds / window seconds = requests in flight, which sizes pm.max_children.
   */
  busy: Map<number, number>;
}

/**
 * An empty status map. Status keys are array indices to V8, and an object keyed 200…504 otherwise gets
 * a contiguous element store of 505 slots (≈ 5 KB) per second of log: 86,400 buckets took 400+ MB. An
 * object born with one huge index keeps dictionary elements (≈ 300 bytes) after that index is removed;
 * keys and their order are unchanged. (A literal is twice as fast as adding the index afterwards.)
 */
function newStatusMap(): Record<string, number> {
  const m: Record<string, number> = { 2147483647: 0 };
  delete m[2147483647];
  return m;
}

function newBucket(): Bucket {
  return { total: 0, byStatus: newStatusMap(), bots: 0 };
}

export function createDigest(): Digest {
  return {
    version: DIGEST_VERSION,
    buckets: new BucketTable(),
    untimed: newBucket(),
    errors: new ErrorTable(),
    errorsDropped: 0,
    hiddenUpstreamFailures: 0,
    signals: [],
    signalOverflow: new Map(),
    coverage: new Map(),
    signalCounts: new Map(),
    busy: new Map(),
  };
}

// Crawler names from the user-agent strings the engines document; matched case-sensitively with indexOf.
const BOT_MARKERS = ['Googlebot', 'bingbot', 'Bingbot', 'Applebot', 'YandexBot', 'Baiduspider', 'DuckDuckBot', 'AdsBot-Google'];

export function isCrawler(ua: string | undefined): boolean {
  if (!ua) return false;
  // every marker holds 'bot', 'Bot' or 'spider': most browser agents are ruled out with these three scans
  if (ua.indexOf('bot') === -1 && ua.indexOf('Bot') === -1 && ua.indexOf('spider') === -1) return false;
  for (const m of BOT_MARKERS) if (ua.indexOf(m) !== -1) return true;
  return false;
}

interface Coverage {
  from: number;
  to: number;
  records: number;
}

function coverageOf(d: Digest, family: string): Coverage {
  let c = d.coverage.get(family);
  if (!c) {
    c = { from: Infinity, to: -Infinity, records: 0 };
    d.coverage.set(family, c);
  }
  return c;
}

function cover(c: Coverage, time: number): void {
  c.records++;
  if (time === time) {
    if (time < c.from) c.from = time;
    if (time > c.to) c.to = time;
  }
}

function addInto(o: Bucket, b: Bucket): void {
  o.total += b.total;
  o.bots += b.bots;
  const from = b.byStatus, to = o.byStatus;
  // for-in rather than Object.entries: no array per bucket when tens of thousands are summed
  for (const k in from) if (Object.hasOwn(from, k)) to[k] = (to[k] ?? 0) + (from[k] ?? 0);
}

function countRequest(b: Bucket, status: number, userAgent: string | undefined): void {
  b.total++;
  // status 0: a format that logs none (mod_ssl's ssl_request_log): a request, but no status to count.
  // A numeric key: the same property as its decimal string, without making that string per line.
  if (status !== 0) b.byStatus[status] = (b.byStatus[status] ?? 0) + 1;
  if (userAgent !== undefined && isCrawler(userAgent)) b.bots++;
}

/** Request time of a request that went to a backend (it has upstream fields), else NaN. */
export function backendSeconds(r: Pick<AccessRecord, 'requestTime' | 'upstreamAddr' | 'upstreamResponseTime'>): number {
  return r.requestTime !== undefined && (r.upstreamAddr !== undefined || r.upstreamResponseTime !== undefined) ? r.requestTime : NaN;
}

function addBusy(d: Digest, time: number, seconds: number): void {
  if (seconds !== seconds || time !== time || seconds <= 0) return;
  const sec = Math.floor(time / BUCKET_MS);
  d.busy.set(sec, (d.busy.get(sec) ?? 0) + seconds);
}

function addAccess(d: Digest, r: AccessRecord): void {
  const t = r.time;
  if (t !== t) countRequest(d.untimed, r.status, r.userAgent);
  else {
    const row = d.buckets.row(Math.floor(t / BUCKET_MS));
    d.buckets.add(row, 1, r.userAgent !== undefined && isCrawler(r.userAgent) ? 1 : 0);
    // status 0: no status logged (see countRequest)
    if (r.status !== 0) d.buckets.addStatus(row, r.status, 1);
  }
  // Apache stamps the start: the request was in flight until start + duration
  addBusy(d, r.timeIsStart && r.requestTime !== undefined ? t + r.requestTime * BUCKET_MS : t, backendSeconds(r));
  cover(coverageOf(d, r.family), t);
  if (r.status >= 500 && r.status <= 599) {
    if (d.errors.length >= MAX_ERRORS) {
      d.errorsDropped++;
      return;
    }
    d.errors.addRecord(r);
  } else if (r.upstreamStatus !== undefined) {
    for (const s of r.upstreamStatus) {
      if (s !== null && s >= 500) {
        d.hiddenUpstreamFailures++;
        break;
      }
    }
  }
}

export interface AccessCounter {
  count: AccessCount;
  /** adds what is still held for the current second; call once reading is done */
  flush(): void;
}

/** Distinct statuses held per second before an early flush (flushing is additive, so any time is right). */
const HELD_STATUSES = 16;

/**
 * The sink for access lines the parser only counts (never 5xx: those arrive as records through addRecord).
 * Same effect as addRecord of each line's record. Consecutive lines almost always share their second, so
 * its counts are held in a few numbers and added to the bucket when the second changes: a dictionary
 * update per line was a fifth of the analysis.
 */
export function accessCounter(d: Digest): AccessCounter {
  let sec = NaN;
  let total = 0;
  let bots = 0;
  let held = 0;
  const statuses = new Int32Array(HELD_STATUSES);
  const counts = new Int32Array(HELD_STATUSES);
  let lastFamily = '';
  let lastCoverage: Coverage | undefined;

  const flush = (): void => {
    if (total === 0) return;
    const row = d.buckets.row(sec);
    d.buckets.add(row, total, bots);
    for (let i = 0; i < held; i++) d.buckets.addStatus(row, statuses[i] ?? 0, counts[i] ?? 0);
    total = bots = held = 0;
  };

  const count: AccessCount = (family, time, status, userAgent, upstreamFailed, busySeconds) => {
    addBusy(d, time, busySeconds);
    if (time !== time) {
      countRequest(d.untimed, status, userAgent);
    } else {
      const s = Math.floor(time / BUCKET_MS);
      if (s !== sec) {
        flush();
        sec = s;
      }
      // status 0: no status logged (see countRequest)
      if (status !== 0) {
        let i = 0;
        while (i < held && statuses[i] !== status) i++;
        if (i === held) {
          if (held === HELD_STATUSES) {
            flush();
            i = 0;
          }
          statuses[i] = status;
          counts[i] = 0;
          held = i + 1;
        }
        counts[i] = (counts[i] ?? 0) + 1;
      }
      total++;
      if (userAgent !== undefined && isCrawler(userAgent)) bots++;
    }
    if (family !== lastFamily || lastCoverage === undefined) {
      lastFamily = family;
      lastCoverage = coverageOf(d, family);
    }
    cover(lastCoverage, time);
    if (upstreamFailed) d.hiddenUpstreamFailures++;
  };
  return { count, flush };
}

function addSignal(d: Digest, s: Signal): void {
  const n = d.signalCounts.get(s.sig) ?? 0;
  if (n < MAX_SIGNALS_PER_SIG) {
    d.signalCounts.set(s.sig, n + 1);
    d.signals.push(s);
    return;
  }
  let o = d.signalOverflow.get(s.sig);
  if (!o) {
    o = { sig: s.sig, count: 0, first: s.time, last: s.time };
    d.signalOverflow.set(s.sig, o);
  }
  o.count++;
  if (s.time < o.first) o.first = s.time;
  if (s.time > o.last) o.last = s.time;
}

function addEvent(d: Digest, r: EventRecord): void {
  cover(coverageOf(d, r.family), r.time);
  for (const s of classify(r)) addSignal(d, s);
}

/** Adds one record. The access branch is the hot path. */
export function addRecord(d: Digest, r: LogRecord): void {
  if (r.kind === 'access') addAccess(d, r);
  else addEvent(d, r);
}

function byTimeThenOrigin(a: { time: number; source: string; line: number }, b: { time: number; source: string; line: number }): number {
  const ta = a.time === a.time ? a.time : Infinity;
  const tb = b.time === b.time ? b.time : Infinity;
  if (ta !== tb) return ta - tb;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.line - b.line;
}

/** Puts lists in a canonical order so that equal content gives equal digests whatever the reading order. */
export function normalize(d: Digest): Digest {
  d.errors.sort();
  d.signals.sort(byTimeThenOrigin);
  return d;
}

/** a + b. Associative and commutative (after normalize); neither argument is changed. */
export function merge(a: Digest, b: Digest): Digest {
  const out = createDigest();
  mergeInto(out, a);
  mergeInto(out, b);
  return normalize(out);
}

/**
 * Adds src to out in place; src is not changed (its errors and signals, never modified, are shared). Lets
 * many digests (workers, files) be summed without copying the running total each time; normalize at the end.
 */
export function mergeInto(out: Digest, src: Digest): Digest {
  out.buckets.addTable(src.buckets);
  addInto(out.untimed, src.untimed);
  for (const [sec, v] of src.busy) out.busy.set(sec, (out.busy.get(sec) ?? 0) + v);
  out.errorsDropped += src.errorsDropped;
  out.hiddenUpstreamFailures += src.hiddenUpstreamFailures;
  out.errorsDropped += src.errors.length - out.errors.append(src.errors, MAX_ERRORS);
  for (const sg of src.signals) addSignal(out, sg);
  for (const [sig, o] of src.signalOverflow) {
    const x = out.signalOverflow.get(sig);
    if (!x) out.signalOverflow.set(sig, { ...o });
    else {
      x.count += o.count;
      x.first = Math.min(x.first, o.first);
      x.last = Math.max(x.last, o.last);
    }
  }
  for (const [fam, c] of src.coverage) {
    const x = out.coverage.get(fam);
    if (!x) out.coverage.set(fam, { ...c });
    else {
      x.records += c.records;
      x.from = Math.min(x.from, c.from);
      x.to = Math.max(x.to, c.to);
    }
  }
  return out;
}

/**
 * A digest for postMessage: the per-second buckets as one Float64Array (second, total, bots, n, then n
 * status/count pairs per bucket). Cloned as objects, tens of thousands of small status maps cost more
 * than the parsing they came from, and arrive with V8's wide element stores (see newStatusMap). The 5xx
 * travel as their table's columns (ErrorTable.pack), not as an object per 5xx.
 */
export interface PackedDigest extends Omit<Digest, 'buckets' | 'errors'> {
  buckets: Float64Array;
  errors: PackedErrors;
}

export function packDigest(d: Digest): PackedDigest {
  const t = d.buckets;
  const columns = t.statuses.map((st) => t.countsOf(st));
  let size = 0;
  for (let r = 0; r < t.size; r++) {
    size += 4;
    for (const col of columns) if ((col[r] ?? 0) !== 0) size += 2;
  }
  const out = new Float64Array(size);
  let at = 0;
  for (let r = 0; r < t.size; r++) {
    out[at] = t.secAt(r);
    out[at + 1] = t.totalAt(r);
    out[at + 2] = t.botsAt(r);
    const nAt = at + 3;
    at += 4;
    let n = 0;
    for (let c = 0; c < columns.length; c++) {
      const v = columns[c]?.[r] ?? 0;
      if (v === 0) continue;
      out[at++] = t.statuses[c] ?? 0;
      out[at++] = v;
      n++;
    }
    out[nAt] = n;
  }
  return { ...d, buckets: out, errors: d.errors.pack() };
}

/** mergeInto for a packed digest. */
export function mergePackedInto(out: Digest, p: PackedDigest): Digest {
  const buckets = p.buckets;
  for (let at = 0; at < buckets.length; ) {
    const row = out.buckets.row(buckets[at] ?? 0);
    out.buckets.add(row, buckets[at + 1] ?? 0, buckets[at + 2] ?? 0);
    const n = buckets[at + 3] ?? 0;
    at += 4;
    for (let k = 0; k < n; k++, at += 2) out.buckets.addStatus(row, buckets[at] ?? 0, buckets[at + 1] ?? 0);
  }
  return mergeInto(out, { ...p, buckets: new BucketTable(), errors: ErrorTable.unpack(p.errors) });
}

/** Total requests and requests per status over the whole digest. */
export function statusTotals(d: Digest): { requests: number; byStatus: Record<string, number> } {
  const all = newBucket();
  addInto(all, d.untimed);
  const t = d.buckets;
  all.total += t.requests;
  for (const st of t.statuses) all.byStatus[st] = (all.byStatus[st] ?? 0) + t.sumOf(st);
  return { requests: all.total, byStatus: all.byStatus };
}

/** Seconds over which in-flight requests are averaged: long enough to smooth second boundaries. */
const IN_FLIGHT_WINDOW = 10;

/**
 * Most backend requests in flight at once, from request times (Little's law over a sliding window), or
 * undefined when the access logs carry no request times for backend requests.
 */
export function peakInFlight(d: Digest): number | undefined {
  if (d.busy.size === 0) return undefined;
  const secs = [...d.busy.keys()].sort((a, b) => a - b);
  let peak = 0;
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < secs.length; hi++) {
    const h = secs[hi] ?? 0;
    sum += d.busy.get(h) ?? 0;
    while ((secs[lo] ?? 0) <= h - IN_FLIGHT_WINDOW) sum -= d.busy.get(secs[lo++] ?? 0) ?? 0;
    if (sum > peak) peak = sum;
  }
  return Math.round(peak / IN_FLIGHT_WINDOW);
}
