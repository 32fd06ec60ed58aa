// Request counts over any time range, from the digest's per-second buckets: prefix sums over the sorted
// seconds, so each question costs two binary searches however long the logs are.
import { BUCKET_MS, type Digest } from '../digest/digest.js';

export interface RequestIndex {
  /** first and last second with requests, in epoch ms; NaN when the logs hold no timed request */
  readonly from: number;
  readonly to: number;
  /** requests and crawler requests in [from, to) */
  between(from: number, to: number): { requests: number; crawlers: number };
}

export function requestIndex(digest: Digest): RequestIndex {
  const table = digest.buckets;
  // rows in order of their second: the prefix sums need them sorted, and the table keeps arrival order
  const order = table.rowsInTimeOrder();
  const view = table.columnsView();
  const secs = new Float64Array(order.length);
  const total = new Float64Array(secs.length + 1);
  const bots = new Float64Array(secs.length + 1);
  for (let i = 0; i < order.length; i++) {
    const r = order[i] ?? 0;
    secs[i] = view.secs[r] ?? 0;
    total[i + 1] = (total[i] ?? 0) + (view.totals[r] ?? 0);
    bots[i + 1] = (bots[i] ?? 0) + (view.bots[r] ?? 0);
  }
  /** index of the first second >= sec */
  const lower = (sec: number): number => {
    let lo = 0, hi = secs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((secs[mid] ?? Infinity) < sec) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const first = secs[0];
  const last = secs[secs.length - 1];
  return {
    from: first === undefined ? NaN : first * BUCKET_MS,
    to: last === undefined ? NaN : last * BUCKET_MS,
    between(from, to) {
      const a = lower(Math.ceil(from / BUCKET_MS));
      const b = lower(Math.ceil(to / BUCKET_MS));
      return { requests: (total[b] ?? 0) - (total[a] ?? 0), crawlers: (bots[b] ?? 0) - (bots[a] ?? 0) };
    },
  };
}
