// 5xx grouped into incidents across all causes, each with the traffic around it: was it a spike, and was
// it one client or a crawler?
import type { ErrorTable } from '../digest/error-table.js';
import type { TrafficContext } from '../report/schema.js';
import type { RequestIndex } from './traffic.js';

/**
 * 5xx at most this far apart belong to one incident. Wider than a cause's own burst window (30 s): an
 * operator thinks of "the outage at 10:08", not of the single kills inside it.
 */
export const INCIDENT_GAP_MS = 5 * 60_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The hour before must be covered this long to compare against (a log that starts mid-incident cannot). */
const MIN_BASELINE_MS = 10 * MINUTE;
/** this many times the usual rate is a spike… */
const SPIKE_FACTOR = 2;
/** …when the incident holds enough requests for the ratio to mean something (3 a.m. rates are noise) */
const MIN_SPIKE_REQUESTS = 20;
/** one client with at least this share of an incident's 5xx (and at least MIN_CLIENT_ERRORS) is named */
const ONE_CLIENT_SHARE = 0.5;
const MIN_CLIENT_ERRORS = 3;

export interface Incident {
  from: number;
  to: number;
  /** indexes into the (time-sorted) error list */
  errors: number[];
}

/** Time-sorted 5xx → incidents; 5xx without a time belong to none. */
export function groupIncidents(errors: ErrorTable): Incident[] {
  // rows are in time order, those without a time last
  const out: Incident[] = [];
  let cur: Incident | undefined;
  for (let i = 0; i < errors.length; i++) {
    const t = errors.timeAt(i);
    if (t !== t) continue;
    if (cur && t - cur.to <= INCIDENT_GAP_MS) {
      cur.to = t;
      cur.errors.push(i);
    } else {
      cur = { from: t, to: t, errors: [i] };
      out.push(cur);
    }
  }
  return out;
}

/** Highest number of 5xx in any one clock minute. */
export function peakPerMinute(times: readonly number[]): number {
  const perMinute = new Map<number, number>();
  let peak = 0;
  for (const t of times) {
    const m = Math.floor(t / MINUTE);
    const n = (perMinute.get(m) ?? 0) + 1;
    perMinute.set(m, n);
    if (n > peak) peak = n;
  }
  return peak;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function trafficContext(inc: Incident, errors: ErrorTable, index: RequestIndex): TrafficContext {
  // a burst of a few seconds is measured over the minute around it, or one request reads as '1/min'
  const pad = Math.max(0, MINUTE - (inc.to + 1000 - inc.from)) / 2;
  const from = inc.from - pad;
  const end = inc.to + 1000 + pad;
  const during = index.between(from, end);
  const rate = during.requests / ((end - from) / MINUTE);

  let before: { requests: number; crawlers: number } | undefined;
  let beforeMinutes = 0;
  if (index.from === index.from) {
    const start = Math.max(from - HOUR, index.from);
    if (from - start >= MIN_BASELINE_MS) {
      before = index.between(start, from);
      beforeMinutes = (from - start) / MINUTE;
    }
  }
  const beforeRate = before ? before.requests / beforeMinutes : null;
  const change = beforeRate !== null && beforeRate > 0 ? rate / beforeRate : null;
  // a quiet hour before (no request at all) makes any real load a spike; a handful of requests is not one
  const spike = during.requests >= MIN_SPIKE_REQUESTS && (change !== null ? change >= SPIKE_FACTOR : beforeRate === 0);

  const byClient = new Map<string, number>();
  for (const i of inc.errors) {
    const c = errors.clientAt(i);
    byClient.set(c, (byClient.get(c) ?? 0) + 1);
  }
  let topClient: TrafficContext['topClient'] = null;
  let best: [string, number] | undefined;
  for (const entry of byClient) if (!best || entry[1] > best[1]) best = entry;
  if (best && best[0] !== '' && best[1] >= MIN_CLIENT_ERRORS && best[1] / inc.errors.length >= ONE_CLIENT_SHARE) {
    const client = best[0];
    const first = inc.errors.find((i) => errors.clientAt(i) === client);
    const ua = first === undefined ? undefined : errors.userAgentAt(first);
    topClient = { client, userAgent: ua ?? null, errors5xx: best[1], share: Math.round((best[1] / inc.errors.length) * 100) / 100 };
  }

  const crawlerShare = during.requests > 0 ? during.crawlers / during.requests : 0;
  const beforeCrawlerShare = before && before.requests > 0 ? before.crawlers / before.requests : null;

  const parts: string[] = [];
  if (beforeRate === null) {
    parts.push(`${round1(rate)} requests/min; the access log does not cover the hour before`);
  } else if (change === null) {
    parts.push(`${round1(rate)} requests/min after a quiet hour (no requests)${spike ? ': a traffic spike' : ''}`);
  } else {
    const verdict = spike
      ? 'a traffic spike'
      : change >= SPIKE_FACTOR
        ? `but only ${during.requests} requests: too few to call it a spike`
        : 'no spike';
    parts.push(`${round1(rate)} requests/min vs ${round1(beforeRate)}/min in the hour before (${round1(change)}×: ${verdict})`);
  }
  if (during.requests > 0 && (crawlerShare >= 0.2 || (beforeCrawlerShare !== null && crawlerShare >= 2 * beforeCrawlerShare && crawlerShare >= 0.1))) {
    parts.push(`search-engine crawlers made ${pct(crawlerShare)} of the requests${beforeCrawlerShare !== null ? ` (${pct(beforeCrawlerShare)} before)` : ''}`);
  }
  if (topClient) parts.push(`one client received ${pct(topClient.share)} of the 5xx`);

  return {
    requestsPerMinute: round1(rate),
    hourBeforePerMinute: beforeRate === null ? null : round1(beforeRate),
    change: change === null ? null : round1(change),
    spike,
    crawlerShare: Math.round(crawlerShare * 1000) / 1000,
    hourBeforeCrawlerShare: beforeCrawlerShare === null ? null : Math.round(beforeCrawlerShare * 1000) / 1000,
    topClient,
    summary: `${parts.join('; ')}.`,
  };
}
