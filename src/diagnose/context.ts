// The joins every rule needs, built once per diagnosis over the merged digest (signatures.md Part 6.1).
import type { Digest, ErrorRequest } from '../digest/digest.js';
import type { ErrorTable } from '../digest/error-table.js';
import type { Signal } from '../signals/types.js';
import { upstreamKeyOf } from '../signals/upstream.js';

const SEC = 1000;
/** Clock precision is 1 s in most logs: every "same time" join gets this slack (Part 2.12). */
export const SLACK_MS = 2 * SEC;
/** Without $request_time, how long before the access line's end an error line may be. */
const UNKNOWN_DURATION_MS = 300 * SEC;

export interface DiagnoseContext {
  readonly digest: Digest;
  /** 5xx requests, by time (rows of the digest's table; `at(i)` makes the object) */
  readonly errors: ErrorTable;
  /** all signals, by time */
  readonly signals: readonly Signal[];
  /** signals of these signature ids, by time */
  bySig(...ids: string[]): Signal[];
  /** true when some records of this family were read */
  has(family: string): boolean;
  /** [from, to] the family's records cover, or undefined */
  coverage(family: string): { from: number; to: number } | undefined;
  /** index of the 5xx this request-scoped signal belongs to (same client + request line + W-REQ), if any */
  sameRequest(s: Signal): number | undefined;
  /** every 5xx the signal could belong to, best first: for one-to-one pairing when a client repeats a request */
  sameRequestCandidates(s: Signal): number[];
  /** indexes of the 5xx of this client (as clientKey gives it) and, when given, this request line; in time order */
  requestRows(client: string, request?: string): number[];
  /** indexes of 5xx whose time window overlaps [from, to], optionally filtered */
  errorsBetween(from: number, to: number, pred?: (e: ErrorRequest, i: number) => boolean): number[];
  /** the normalized address of the upstream that failed for this request ('unix:/run/php/x.sock', '127.0.0.1:9000') */
  upstreamOf(e: ErrorRequest): string | undefined;
  /** when the request was being served: [start, end] in epoch ms (with slack) */
  requestSpan(e: ErrorRequest): [number, number];
}

/** Join key of a printed upstream ('fastcgi://unix:/x.sock:' → 'unix:/x.sock'); undefined for '-' or empty. */
export function normalizeUpstream(u: string | undefined): string | undefined {
  if (!u) return undefined;
  const k = upstreamKeyOf(u);
  return k === '' || k === '-' ? undefined : k;
}

/**
 * How far an error line at `t` is from being inside the request's own span. Access stamps are floored to
 * the second: an nginx line written at :23.8 belongs to the request stamped :24 (its end), not :23; an
 * Apache stamp is the start, so the latest start before the line wins. Inside the span, the closest stamp
 * breaks ties (with one client repeating a request, nearest-by-stamp alone pairs lines with the wrong one).
 */
export function joinDistance(e: ErrorRequest, t: number): number {
  const dur = (e.requestTime ?? 0) * SEC;
  const lo = e.timeIsStart ? e.time : e.time - dur;
  const hi = e.timeIsStart ? (e.requestTime === undefined ? Infinity : e.time + dur + SEC) : e.time + SEC;
  const outside = t < lo ? lo - t : t > hi ? t - hi : 0;
  return outside + Math.abs(t - e.time) / 1e6;
}

/** First row whose time is ≥ t (rows are in time order; a row without a time sorts last). */
function lowerBound(errors: ErrorTable, t: number): number {
  let lo = 0, hi = errors.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = errors.timeAt(mid);
    if ((x === x ? x : Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rows ordered by (client, request line), built on the first same-request join: a signal's candidates are
 * one binary search away, without a key string or a list per 5xx. Apache error lines name the client only,
 * so the same order also answers "this client's 5xx" (a run of equal client keys).
 */
interface RequestIndex {
  order: Int32Array;
  /** clientKey of each distinct client string, by its id */
  clientKeyOf: (row: number) => string;
}

function requestIndex(errors: ErrorTable): RequestIndex {
  const keys = new Map<number, string>();
  const clientKeyOf = (row: number): string => {
    const id = errors.clientIdAt(row);
    let k = keys.get(id);
    if (k === undefined) keys.set(id, (k = clientKey(errors.clientAt(row))));
    return k;
  };
  const order = new Int32Array(errors.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const ca = clientKeyOf(a), cb = clientKeyOf(b);
    if (ca !== cb) return ca < cb ? -1 : 1;
    const ra = errors.requestAt(a), rb = errors.requestAt(b);
    if (ra !== rb) return ra < rb ? -1 : 1;
    return a - b;
  });
  return { order, clientKeyOf };
}

/** Rows of this client (and, when given, this request line), in row order. */
function rowsOfRequest(errors: ErrorTable, index: RequestIndex, client: string, request: string | undefined): number[] {
  const { order, clientKeyOf } = index;
  // (client, request) < (c, r): where the run starts
  const before = (row: number): boolean => {
    const c = clientKeyOf(row);
    if (c !== client) return c < client;
    return request !== undefined && errors.requestAt(row) < request;
  };
  let lo = 0, hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(order[mid] ?? 0)) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let k = lo; k < order.length; k++) {
    const row = order[k] ?? 0;
    if (clientKeyOf(row) !== client || (request !== undefined && errors.requestAt(row) !== request)) break;
    out.push(row);
  }
  return out.sort((a, b) => a - b);
}

/** Client address without an Apache ':port' or IPv6 brackets, for comparing error and access lines. */
export function clientKey(c: string | undefined): string {
  if (!c) return '';
  if (c.startsWith('[')) {
    const end = c.indexOf(']');
    return end === -1 ? c : c.slice(1, end);
  }
  const colon = c.indexOf(':');
  // one colon = ipv4:port; more = bare IPv6
  if (colon !== -1 && c.indexOf(':', colon + 1) === -1) return c.slice(0, colon);
  return c;
}

export function createContext(digest: Digest): DiagnoseContext {
  // normalize puts the rows in time order; sorting again is a no-op check when it already ran
  const errors = digest.errors;
  errors.sort();
  const signals = [...digest.signals].sort((a, b) => a.time - b.time);
  const bySigCache = new Map<string, Signal[]>();
  for (const s of signals) {
    let l = bySigCache.get(s.sig);
    if (!l) bySigCache.set(s.sig, (l = []));
    l.push(s);
  }
  // the longest request, to bound the backwards search of errorsBetween
  let maxSpan = UNKNOWN_DURATION_MS;
  for (let i = 0; i < errors.length; i++) {
    const rt = errors.requestTimeAt(i) * SEC;
    if (rt > maxSpan) maxSpan = rt;
  }
  let index: RequestIndex | undefined;

  const endAt = (i: number): number => {
    const t = errors.timeAt(i);
    if (!errors.timeIsStartAt(i)) return t;
    const rt = errors.requestTimeAt(i);
    return rt === rt ? t + rt * SEC : t;
  };
  const requestSpan = (e: ErrorRequest): [number, number] => {
    const dur = e.requestTime !== undefined ? e.requestTime * SEC : UNKNOWN_DURATION_MS;
    return e.timeIsStart ? [e.time - SLACK_MS, e.time + dur + SLACK_MS] : [e.time - dur - SLACK_MS, e.time + SLACK_MS];
  };

  const inSpan = (candidates: number[], t: number): number[] => {
    const scored: { i: number; d: number }[] = [];
    for (const i of candidates) {
      const e = errors.at(i);
      if (!e) continue;
      const [lo, hi] = requestSpan(e);
      if (t < lo || t > hi) continue;
      scored.push({ i, d: joinDistance(e, t) });
    }
    return scored.sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.i);
  };
  const candidatesOf = (s: Signal): number[] => {
    const client = clientKey(s.keys.client);
    if (!client || s.time !== s.time) return [];
    // Apache error lines carry the client but not the request line: the client's 5xx at that moment
    if (!s.keys.request && s.family !== 'apache-error') return [];
    return inSpan(requestRows(client, s.keys.request || undefined), s.time);
  };
  const requestRows = (client: string, request?: string): number[] => {
    index ??= requestIndex(errors);
    return rowsOfRequest(errors, index, client, request);
  };

  return {
    digest,
    errors,
    signals,
    bySig(...ids) {
      if (ids.length === 1) return bySigCache.get(ids[0] ?? '') ?? [];
      const out: Signal[] = [];
      for (const id of ids) out.push(...(bySigCache.get(id) ?? []));
      return out.sort((a, b) => a.time - b.time);
    },
    has(family) {
      return (digest.coverage.get(family)?.records ?? 0) > 0;
    },
    coverage(family) {
      const c = digest.coverage.get(family);
      return c && Number.isFinite(c.from) ? { from: c.from, to: c.to } : undefined;
    },
    sameRequest(s) {
      return candidatesOf(s)[0];
    },
    sameRequestCandidates: candidatesOf,
    requestRows,
    errorsBetween(from, to, pred) {
      const out: number[] = [];
      // Apache stamps the start: its end may lie up to maxSpan later than the stamp
      for (let i = lowerBound(errors, from - maxSpan - SLACK_MS); i < errors.length; i++) {
        if (errors.timeAt(i) > to + SLACK_MS) break;
        const end = endAt(i);
        if (end < from - SLACK_MS || end > to + SLACK_MS) continue;
        if (!pred) out.push(i);
        else {
          const e = errors.at(i);
          if (e && pred(e, i)) out.push(i);
        }
      }
      return out;
    },
    upstreamOf(e) {
      const a = e.upstreamAddr;
      if (!a || a.length === 0) return undefined;
      for (let i = a.length - 1; i >= 0; i--) {
        const n = normalizeUpstream(a[i]);
        if (n) return n;
      }
      return undefined;
    },
    requestSpan,
  };
}
