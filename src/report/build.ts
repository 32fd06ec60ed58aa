// Diagnosis + inputs → the Report object every renderer draws from.
import { BUCKET_MS, statusTotals, type Digest } from '../digest/digest.js';
import type { ErrorTable } from '../digest/error-table.js';
import type { Claim } from '../rules/types.js';
import type { Diagnosis, DiagnosedCause } from '../diagnose/diagnose.js';
import type { InputSummary } from '../input/summary.js';
import { computeInsights } from '../insights/index.js';
import type { Signal } from '../signals/types.js';
import { formatInZone } from '../time/zone.js';
import { statusMeaning } from './status-meanings.js';
import { SCHEMA_VERSION, type CauseReport, type EvidenceItem, type HostReport, type InputReport, type Report } from './schema.js';

export interface BuildOptions {
  tz: string;
  version: string;
  top?: number;
  partial?: boolean;
}

const MAX_EVIDENCE = 6;
const TOP_PATHS = 5;

function iso(t: number, tz: string): string | null {
  return Number.isFinite(t) ? formatInZone(t, tz) : null;
}

function topPaths(errors: ErrorTable, rows: readonly number[], n: number): { path: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const i of rows) {
    const path = errors.pathAt(i);
    counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([path, count]) => ({ path, count }));
}

function byStatus(errors: ErrorTable, rows: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of rows) {
    const st = errors.statusAt(i);
    out[st] = (out[st] ?? 0) + 1;
  }
  return out;
}

function signalEvidence(s: Signal, why: string, via?: string): EvidenceItem {
  const item: EvidenceItem = { file: s.source, line: s.line, text: s.text, why };
  if (via) item.via = via;
  return item;
}

/** Shown for a 5xx whose line is neither held in memory nor found again in its file (stdin past RAW_BUDGET). */
const LINE_NOT_KEPT = '(line not kept: past the first 4 MiB of 5xx lines, and not found again in its file or read from stdin)';

/** The claim whose joined request is shown first: the first that joined a line; for a line not held (stdin), the first held one. */
function shownClaim(c: DiagnosedCause, errors: ErrorTable): Claim | undefined {
  let first: Claim | undefined;
  for (const cl of c.claims) {
    if (cl.evidence === undefined) continue;
    if (errors.hasRaw(cl.error)) return cl;
    first ??= cl;
  }
  return first;
}

/**
 * The 5xx whose lines a report of these causes shows: their lines must be at hand (read again from the
 * files, see input/reread.ts) before buildReport, which does no I/O.
 */
export function evidenceRows(diagnosis: Diagnosis, top?: number): number[] {
  const rows = new Set<number>();
  for (const c of diagnosis.causes.slice(0, top ?? diagnosis.causes.length)) {
    const joined = c.claims.find((cl) => cl.evidence !== undefined);
    if (joined) rows.add(joined.error);
    else if (c.errors.length > 0) rows.add(c.errors[0] ?? 0);
  }
  return [...rows];
}

function failedRequest(errors: ErrorTable, i: number): EvidenceItem | undefined {
  if (!(i >= 0 && i < errors.length)) return undefined;
  return { file: errors.sourceAt(i), line: errors.lineAt(i), text: errors.rawOf(i) ?? LINE_NOT_KEPT, why: 'the failed request' };
}

function evidenceOf(c: DiagnosedCause, errors: ErrorTable): EvidenceItem[] {
  const out: EvidenceItem[] = [];
  const seen = new Set<string>();
  const push = (item: EvidenceItem | undefined): void => {
    if (!item) return;
    const key = `${item.file}:${item.line}`;
    if (seen.has(key) || out.length >= MAX_EVIDENCE) return;
    seen.add(key);
    out.push(item);
  };
  // one joined request first: the 5xx itself and the line that explains it
  const joined = shownClaim(c, errors);
  if (joined) {
    push(failedRequest(errors, joined.error));
    if (joined.evidence) push(signalEvidence(joined.evidence, joined.why, joined.via));
  }
  for (const s of c.finding.evidence) push(signalEvidence(s, 'supporting signal'));
  for (const cl of c.claims) if (cl.evidence) push(signalEvidence(cl.evidence, cl.why, cl.via));
  if (out.length === 0 && c.errors.length > 0) push(failedRequest(errors, c.errors[0] ?? 0));
  return out;
}

function upstreamsOf(c: DiagnosedCause, diagnosis: Diagnosis): string[] {
  const set = new Set<string>(c.finding.upstreams ?? []);
  for (const i of c.errors.slice(0, 1000)) {
    const e = diagnosis.ctx.errors.at(i);
    const u = e ? diagnosis.ctx.upstreamOf(e) : undefined;
    if (u) set.add(u);
  }
  return [...set].slice(0, 10);
}

/** Hosts of the credited 5xx (with their counts), then hosts that only show in the cause's signals. */
function hostsOf(c: DiagnosedCause, diagnosis: Diagnosis): CauseReport['hosts'] {
  const counts = new Map<string, number>();
  const errors = diagnosis.ctx.errors;
  if (errors.hasHosts) {
    for (const i of c.errors) {
      const h = errors.hostAt(i);
      if (h !== undefined) counts.set(h, (counts.get(h) ?? 0) + 1);
    }
  }
  const fromSignal = (s: Signal | undefined): void => {
    if (s?.host !== undefined && !counts.has(s.host)) counts.set(s.host, 0);
  };
  for (const s of c.finding.evidence) fromSignal(s);
  for (const cl of c.claims) fromSignal(cl.evidence);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([host, requests]) => ({ host, requests }));
}

/** The same facts turned around: per host, its 5xx and the causes seen there. */
function hostsReport(causes: readonly CauseReport[], diagnosis: Diagnosis): HostReport[] {
  const byHost = new Map<string, HostReport>();
  const entry = (host: string): HostReport => {
    let h = byHost.get(host);
    if (!h) byHost.set(host, (h = { host, errors5xx: 0, unexplained: 0, causes: [] }));
    return h;
  };
  const errors = diagnosis.ctx.errors;
  for (let i = 0; errors.hasHosts && i < errors.length; i++) {
    const h = errors.hostAt(i);
    if (h !== undefined) entry(h).errors5xx++;
  }
  for (const i of errors.hasHosts ? diagnosis.unexplained : []) {
    const h = errors.hostAt(i);
    if (h !== undefined) entry(h).unexplained++;
  }
  for (const c of causes) for (const h of c.hosts) entry(h.host).causes.push({ id: c.id, requests: h.requests });
  for (const h of byHost.values()) h.causes.sort((a, b) => b.requests - a.requests);
  return [...byHost.values()].sort((a, b) => b.errors5xx - a.errors5xx || (a.host < b.host ? -1 : 1));
}

function causeReport(c: DiagnosedCause, rank: number, diagnosis: Diagnosis, tz: string): CauseReport {
  const errors = diagnosis.ctx.errors;
  const rows = c.errors.filter((i) => i >= 0 && i < errors.length);
  const summary = c.finding.note ? `${c.rule.fix.summary} ${c.finding.note}` : c.rule.fix.summary;
  const report: CauseReport = {
    rank,
    id: c.rule.id,
    title: c.rule.title,
    layer: c.rule.layer,
    confidence: c.confidence,
    score: c.score,
    affectedRequests: rows.length,
    byStatus: byStatus(errors, rows),
    firstSeen: iso(c.firstSeen, tz),
    lastSeen: iso(c.lastSeen, tz),
    episodes: c.episodes.map((ep) => ({
      from: iso(ep.from, tz) ?? '',
      to: iso(ep.to, tz) ?? '',
      requests: ep.requests,
      peakPerMinute: ep.peakPerMinute,
    })),
    topPaths: topPaths(errors, rows, TOP_PATHS),
    upstreams: upstreamsOf(c, diagnosis),
    hosts: hostsOf(c, diagnosis),
    culprits: c.finding.culprits ?? [],
    evidence: evidenceOf(c, diagnosis.ctx.errors),
    signalCount: c.finding.evidence.length,
    fix: { summary, directives: c.finding.directives ?? c.rule.fix.directives },
  };
  if (c.finding.variant) report.variant = c.finding.variant;
  if (c.finding.missingSources && c.finding.missingSources.length > 0) report.missingSources = c.finding.missingSources;
  return report;
}

/** A status key of the 5xx class (compared as the report's keys, which are strings). */
function is5xxKey(k: string): boolean {
  return k >= '500' && k <= '599';
}

/** Interval for the timeline so that it has at most ~300 points. */
function timelineStep(from: number, to: number): number {
  const span = to - from;
  for (const step of [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000]) {
    if (span / step <= 300) return step;
  }
  return 86_400_000 * 7;
}

function timeline(digest: Digest, diagnosis: Diagnosis, tz: string): { rows: Report['timeline']; step: number } {
  const table = digest.buckets;
  const { secs, totals } = table.columnsView();
  let from = Infinity, to = -Infinity;
  for (let r = 0; r < secs.length; r++) {
    const t = (secs[r] ?? NaN) * BUCKET_MS;
    if (t < from) from = t;
    if (t > to) to = t;
  }
  if (!Number.isFinite(from)) return { rows: [], step: 60_000 };
  const step = timelineStep(from, to);
  const start = Math.floor(from / step) * step;
  const n = Math.floor((to - start) / step) + 1;
  // by columns, not by second: one pass per status over plain arrays instead of a map per second
  const requests = new Float64Array(n);
  const errors5xx = new Float64Array(n);
  const rowOf = new Int32Array(secs.length);
  for (let r = 0; r < secs.length; r++) {
    const i = Math.floor(((secs[r] ?? 0) * BUCKET_MS - start) / step);
    rowOf[r] = i;
    requests[i] = (requests[i] ?? 0) + (totals[r] ?? 0);
  }
  for (const st of table.statuses) {
    if (!is5xxKey(String(st))) continue;
    const counts = table.countsOf(st);
    for (let r = 0; r < counts.length; r++) {
      const i = rowOf[r] ?? 0;
      errors5xx[i] = (errors5xx[i] ?? 0) + (counts[r] ?? 0);
    }
  }
  const rows = Array.from({ length: n }, (_, i) => ({
    t: start + i * step,
    requests: requests[i] ?? 0,
    errors5xx: errors5xx[i] ?? 0,
    byCause: {} as Record<string, number>,
  }));
  const errors = diagnosis.ctx.errors;
  for (let i = 0; i < errors.length; i++) {
    const row = rows[Math.floor((errors.timeAt(i) - start) / step)];
    if (!row) continue;
    const cause = diagnosis.attribution.get(i) ?? 'unexplained';
    row.byCause[cause] = (row.byCause[cause] ?? 0) + 1;
  }
  return { rows: rows.map((r) => ({ t: formatInZone(r.t, tz), requests: r.requests, errors5xx: r.errors5xx, byCause: r.byCause })), step };
}

export function inputReport(s: InputSummary, tz: string): InputReport {
  return {
    path: s.path,
    format: s.format,
    gzip: s.gzip,
    lines: s.lines,
    records: s.records,
    unrecognized: s.unrecognized,
    unrecognizedSamples: s.unrecognizedSamples,
    truncatedLines: s.truncatedLines,
    from: iso(s.from, tz),
    to: iso(s.to, tz),
    problems: s.problems,
  };
}

export function buildReport(
  digest: Digest,
  inputs: readonly InputSummary[],
  diagnosis: Diagnosis,
  opts: BuildOptions,
): Report {
  const totals = statusTotals(digest);
  const errors5xx = Object.entries(totals.byStatus).reduce((n, [k, v]) => (is5xxKey(k) ? n + v : n), 0);
  const causes = diagnosis.causes.slice(0, opts.top ?? diagnosis.causes.length);
  let from = Infinity, to = -Infinity;
  for (const s of inputs) {
    if (s.from < from) from = s.from;
    if (s.to > to) to = s.to;
  }
  const statuses = Object.keys(totals.byStatus)
    .map(Number)
    .filter((s) => s >= 500 || s === 499)
    .sort((a, b) => a - b);
  const line = timeline(digest, diagnosis, opts.tz);
  const causeReports = causes.map((c, i) => causeReport(c, i + 1, diagnosis, opts.tz));
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'logsleuth', version: opts.version },
    timezoneAssumed: opts.tz,
    partial: Boolean(opts.partial),
    window: { from: iso(from, opts.tz), to: iso(to, opts.tz) },
    inputs: inputs.map((s) => inputReport(s, opts.tz)),
    summary: {
      requests: totals.requests,
      byStatus: totals.byStatus,
      errors5xx,
      explained5xx: diagnosis.attribution.size,
      hiddenUpstreamFailures: digest.hiddenUpstreamFailures,
    },
    causes: causeReports,
    unexplained: {
      count: diagnosis.unexplained.length,
      byStatus: byStatus(diagnosis.ctx.errors, diagnosis.unexplained),
      topPaths: topPaths(diagnosis.ctx.errors, diagnosis.unexplained, TOP_PATHS),
    },
    statusMeanings: statuses.map((status) => ({ status, meaning: statusMeaning(status) })),
    timeline: line.rows,
    timelineStepSeconds: line.step / 1000,
    insights: computeInsights(digest, diagnosis, opts.tz),
    hosts: hostsReport(causeReports, diagnosis),
  };
}
