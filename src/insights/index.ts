// The operator's answers on the first screen: which layer failed, blip or recurring, what the traffic did,
// whether search engines saw the errors, and which plugin or package to look at. Pure: digest + diagnosis in,
// report data out; the renderers only draw it.
import type { Digest } from '../digest/digest.js';
import { maxOf, minOf } from '../numbers.js';
import type { Diagnosis } from '../diagnose/diagnose.js';
import type { CrawlerImpact, IncidentReport, Insights, RecurrenceReport } from '../report/schema.js';
import { formatInZone } from '../time/zone.js';
import { crawlerErrors } from './crawlers.js';
import { groupIncidents, peakPerMinute, trafficContext, type Incident } from './incidents.js';
import { headline, layerReports, originSplit, topCulprit } from './layers.js';
import { findRecurrences } from './recurrence.js';
import { requestIndex } from './traffic.js';

const TOP_PATHS = 5;

function countBy<T>(items: readonly T[], key: (x: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function clock(t: number, tz: string): string {
  return formatInZone(t, tz).slice(11, 16);
}

function day(t: number, tz: string): string {
  return formatInZone(t, tz).slice(0, 10);
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 360) / 10} h`;
}

function recurrenceSummary(r: RecurrenceReport): string {
  if (r.kind === 'interval') {
    return `Recurring: 5xx every ${duration((r.everySeconds ?? 0) * 1000)} (${r.occurrences} times) — something runs on a timer: a cron job, a queue worker, a monitor or a crawler's schedule.`;
  }
  return (
    `Recurring: 5xx every day around ${r.atLocalTime} (${r.localWindow} local time), on ${r.days} of ${r.ofDays} days in the logs — ` +
    'look at what is scheduled then: cron jobs, backups, log rotation, crawlers.'
  );
}

function incidentPhrase(inc: IncidentReport, from: number, to: number, tz: string): string {
  const peak = inc.peakPerMinute > 1 ? `, peak ${inc.peakPerMinute}/min` : '';
  return `${inc.errors5xx} × 5xx on ${day(from, tz)} ${clock(from, tz)}–${clock(to, tz)}${peak}`;
}

export function computeInsights(digest: Digest, diagnosis: Diagnosis, tz: string): Insights {
  const errors = diagnosis.ctx.errors;
  const index = requestIndex(digest);
  const incidents: Incident[] = groupIncidents(errors);

  const cover = index.from === index.from ? { from: index.from, to: index.to } : { from: incidents[0]?.from ?? 0, to: incidents[incidents.length - 1]?.to ?? 0 };
  const found = findRecurrences(incidents, cover, tz);
  const memberOf = new Map<number, number>();
  found.forEach((r, ri) => {
    for (const m of r.members) memberOf.set(m, ri);
  });

  const incidentReports: IncidentReport[] = incidents.map((inc, ii) => {
    const causes = countBy(inc.errors, (i) => diagnosis.attribution.get(i) ?? 'unexplained').map(([id, count]) => ({ id, count }));
    const ri = memberOf.get(ii);
    const report: IncidentReport = {
      from: formatInZone(inc.from, tz),
      to: formatInZone(inc.to, tz),
      durationSeconds: Math.round((inc.to - inc.from) / 1000),
      errors5xx: inc.errors.length,
      byStatus: Object.fromEntries(countBy(inc.errors, (i) => String(errors.statusAt(i)))),
      peakPerMinute: peakPerMinute(inc.errors.map((i) => errors.timeAt(i))),
      causes,
      pattern: ri === undefined ? 'transient' : 'recurring',
      traffic: trafficContext(inc, errors, index),
    };
    if (ri !== undefined) report.recurrence = ri;
    return report;
  });

  const recurrences: RecurrenceReport[] = found.map((r) => {
    const members = r.members.map((m) => incidentReports[m]).filter((x): x is IncidentReport => x !== undefined);
    const tally = new Map<string, number>();
    for (const m of members) for (const c of m.causes) tally.set(c.id, (tally.get(c.id) ?? 0) + c.count);
    const causes = [...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
    const rep: RecurrenceReport = { ...r.report, errors5xx: members.reduce((n, m) => n + m.errors5xx, 0), causes, summary: '' };
    rep.summary = recurrenceSummary(rep);
    return rep;
  });

  // the pattern in one statement
  let pattern: Insights['pattern'] = 'none';
  let patternSummary = 'No 5xx in these logs.';
  const first = recurrences[0];
  if (first) {
    pattern = 'recurring';
    const others = incidentReports.filter((i) => i.pattern === 'transient').length;
    patternSummary = others > 0 ? `${first.summary} ${others} other burst${others > 1 ? 's look' : ' looks'} transient.` : first.summary;
  } else if (incidents.length === 1) {
    pattern = 'transient';
    const inc = incidents[0];
    const rep = incidentReports[0];
    if (inc && rep) {
      const span = cover.to - cover.from;
      patternSummary = `Transient: one burst, ${incidentPhrase(rep, inc.from, inc.to, tz)}; nothing like it in the rest of the logs (${duration(span)}).`;
    }
  } else if (incidents.length > 1) {
    pattern = 'transient';
    let big = 0;
    incidentReports.forEach((r, i) => {
      if (r.errors5xx > (incidentReports[big]?.errors5xx ?? 0)) big = i;
    });
    const inc = incidents[big];
    const rep = incidentReports[big];
    if (inc && rep) {
      patternSummary = `Transient: ${incidents.length} separate bursts with no repeating pattern; the largest: ${incidentPhrase(rep, inc.from, inc.to, tz)}.`;
    }
  }

  // crawler impact
  const incidentOf = new Int32Array(errors.length).fill(-1);
  incidents.forEach((inc, ii) => {
    for (const i of inc.errors) incidentOf[i] = ii;
  });
  const byCrawler: CrawlerImpact[] = crawlerErrors(errors).map(({ crawler, errors: idx }) => {
    const times = idx.map((i) => errors.timeAt(i));
    const first = minOf(times), last = maxOf(times);
    const inIncidents = new Set(idx.map((i) => incidentOf[i] ?? -1).filter((x) => x >= 0));
    const recurring = inIncidents.size > 1 || [...inIncidents].some((ii) => incidentReports[ii]?.pattern === 'recurring');
    return {
      crawler,
      errors5xx: idx.length,
      byStatus: Object.fromEntries(countBy(idx, (i) => String(errors.statusAt(i)))),
      topPaths: countBy(idx, (i) => errors.pathAt(i)).slice(0, TOP_PATHS).map(([path, count]) => ({ path, count })),
      firstSeen: first <= last ? formatInZone(first, tz) : null,
      lastSeen: first <= last ? formatInZone(last, tz) : null,
      incidents: inIncidents.size,
      recurring,
    };
  });
  const crawlerRequests = index.between(-Infinity, Infinity).crawlers + digest.untimed.bots;
  const crawler5xx = byCrawler.reduce((n, c) => n + c.errors5xx, 0);
  let crawlerSummary: string;
  if (crawler5xx === 0) {
    crawlerSummary = crawlerRequests > 0 ? `Search-engine crawlers made ${crawlerRequests} requests and received no 5xx.` : 'No search-engine crawler requests in these logs.';
  } else {
    const names = byCrawler.map((c) => `${c.crawler} ${c.errors5xx}${c.recurring ? ' (repeatedly)' : ''}`).join(', ');
    crawlerSummary =
      `Search engines saw ${crawler5xx} × 5xx (${names}) of ${crawlerRequests} crawler requests. ` +
      'A few 5xx only slow crawling down; 5xx that persist or recur for days can drop pages from the index. ' +
      'Crawlers are named by user agent: confirm with a reverse DNS lookup before acting on it.';
  }

  const layers = layerReports(diagnosis);
  const head = headline(diagnosis, layers);
  return {
    headline: head.text,
    failingLayer: head.failing,
    layers,
    origin: originSplit(diagnosis),
    topCulprit: topCulprit(diagnosis),
    pattern,
    patternSummary,
    incidents: incidentReports,
    recurrences,
    crawlers: { requests: crawlerRequests, errors5xx: crawler5xx, byCrawler, summary: crawlerSummary },
  };
}
