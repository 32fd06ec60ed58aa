// The mergeable aggregate between parsing and diagnosis. Memory grows with time span x status keys, with the
// number of 5xx and with the number of signals, never with the number of ordinary requests.
import type { AccessRecord, EventRecord, LogRecord } from '../formats/types.js';
import { classify } from '../signals/classify.js';
import type { Signal } from '../signals/types.js';

export const BUCKET_MS = 1000;
export const DIGEST_VERSION = 1;
/** Signals kept in full per signature; beyond that only counted (a flood of client aborts must not grow memory). */
const MAX_SIGNALS_PER_SIG = 20_000;
/** 5xx kept in full; beyond that only counted per second and status. */
const MAX_ERRORS = 500_000;

/** A 5xx (or upstream-failed) request with every key a join needs. */
export interface ErrorRequest {
  time: number;
  timeIsStart: boolean;
  status: number;
  client: string;
  request: string;
  method: string;
  path: string;
  vhost?: string;
  userAgent?: string;
  requestTime?: number;
  upstreamAddr?: string[];
  upstreamStatus?: (number | null)[];
  upstreamResponseTime?: (number | null)[];
  host?: string;
  family: AccessRecord['family'];
  source: string;
  line: number;
  raw: string;
}

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

export interface Digest {
  version: number;
  /** second (epoch ms / 1000, floored) → counts */
  buckets: Map<number, Bucket>;
  /** requests without a usable time: counted, not bucketed */
  untimed: Bucket;
  errors: ErrorRequest[];
  errorsDropped: number;
  /** requests whose upstream failed but the client got something else ('502, 200'): hidden failures */
  hiddenUpstreamFailures: number;
  signals: Signal[];
  signalOverflow: Map<string, SignalOverflow>;
  /** coverage per family: the time range each kind of log covers (rules conclude absence only inside it) */
  coverage: Map<string, { from: number; to: number; records: number }>;
  /** per-signature count of kept signals, for the cap */
  signalCounts: Map<string, number>;
}

export function createDigest(): Digest {
  return {
    version: DIGEST_VERSION,
    buckets: new Map(),
    untimed: { total: 0, byStatus: {}, bots: 0 },
    errors: [],
    errorsDropped: 0,
    hiddenUpstreamFailures: 0,
    signals: [],
    signalOverflow: new Map(),
    coverage: new Map(),
    signalCounts: new Map(),
  };
}

// Crawler names from the user-agent strings the engines document; matched case-sensitively with indexOf.
const BOT_MARKERS = ['Googlebot', 'bingbot', 'Bingbot', 'Applebot', 'YandexBot', 'Baiduspider', 'DuckDuckBot', 'AdsBot-Google'];

export function isCrawler(ua: string | undefined): boolean {
  if (!ua) return false;
  for (const m of BOT_MARKERS) if (ua.indexOf(m) !== -1) return true;
  return false;
}

function cover(d: Digest, family: string, time: number): void {
  let c = d.coverage.get(family);
  if (!c) {
    c = { from: Infinity, to: -Infinity, records: 0 };
    d.coverage.set(family, c);
  }
  c.records++;
  if (time === time) {
    if (time < c.from) c.from = time;
    if (time > c.to) c.to = time;
  }
}

function addInto(o: Bucket, b: Bucket): void {
  o.total += b.total;
  o.bots += b.bots;
  for (const [k, v] of Object.entries(b.byStatus)) o.byStatus[k] = (o.byStatus[k] ?? 0) + v;
}

function addAccess(d: Digest, r: AccessRecord): void {
  const t = r.time;
  let b: Bucket | undefined;
  if (t !== t) {
    b = d.untimed;
  } else {
    const sec = Math.floor(t / BUCKET_MS);
    b = d.buckets.get(sec);
    if (!b) {
      b = { total: 0, byStatus: {}, bots: 0 };
      d.buckets.set(sec, b);
    }
  }
  b.total++;
  // status 0: a format that logs none (mod_ssl's ssl_request_log): a request, but no status to count
  if (r.status !== 0) {
    const key = String(r.status);
    b.byStatus[key] = (b.byStatus[key] ?? 0) + 1;
  }
  if (r.userAgent !== undefined && isCrawler(r.userAgent)) b.bots++;
  cover(d, r.family, t);
  if (r.status >= 500 && r.status <= 599) {
    if (d.errors.length >= MAX_ERRORS) {
      d.errorsDropped++;
      return;
    }
    d.errors.push(toErrorRequest(r));
  } else if (r.upstreamStatus !== undefined) {
    for (const s of r.upstreamStatus) {
      if (s !== null && s >= 500) {
        d.hiddenUpstreamFailures++;
        break;
      }
    }
  }
}

function toErrorRequest(r: AccessRecord): ErrorRequest {
  const e: ErrorRequest = {
    time: r.time,
    timeIsStart: r.timeIsStart,
    status: r.status,
    client: r.client,
    request: r.request,
    method: r.method,
    path: r.path,
    family: r.family,
    source: r.origin.source,
    line: r.origin.line,
    raw: r.raw.length > 2048 ? r.raw.slice(0, 2048) : r.raw,
  };
  if (r.vhost !== undefined) e.vhost = r.vhost;
  if (r.userAgent !== undefined) e.userAgent = r.userAgent;
  if (r.requestTime !== undefined) e.requestTime = r.requestTime;
  if (r.upstreamAddr !== undefined) e.upstreamAddr = r.upstreamAddr;
  if (r.upstreamStatus !== undefined) e.upstreamStatus = r.upstreamStatus;
  if (r.upstreamResponseTime !== undefined) e.upstreamResponseTime = r.upstreamResponseTime;
  if (r.host !== undefined) e.host = r.host;
  return e;
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
  cover(d, r.family, r.time);
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
  d.errors.sort(byTimeThenOrigin);
  d.signals.sort(byTimeThenOrigin);
  return d;
}

/** a + b. Associative and commutative (after normalize); neither argument is changed. */
export function merge(a: Digest, b: Digest): Digest {
  const out = createDigest();
  for (const src of [a, b]) {
    for (const [sec, bk] of src.buckets) {
      let o = out.buckets.get(sec);
      if (!o) {
        o = { total: 0, byStatus: {}, bots: 0 };
        out.buckets.set(sec, o);
      }
      addInto(o, bk);
    }
    addInto(out.untimed, src.untimed);
    out.errorsDropped += src.errorsDropped;
    out.hiddenUpstreamFailures += src.hiddenUpstreamFailures;
    for (const e of src.errors) {
      if (out.errors.length < MAX_ERRORS) out.errors.push(e);
      else out.errorsDropped++;
    }
    for (const s of src.signals) addSignal(out, s);
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
  }
  return normalize(out);
}

/** Total requests and requests per status over the whole digest. */
export function statusTotals(d: Digest): { requests: number; byStatus: Record<string, number> } {
  const all: Bucket = { total: 0, byStatus: {}, bots: 0 };
  addInto(all, d.untimed);
  for (const b of d.buckets.values()) addInto(all, b);
  return { requests: all.total, byStatus: all.byStatus };
}
