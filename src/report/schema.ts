// The report: the JSON contract. Renderers (table, Markdown, HTML) show the same data. Keys only grow;
// a breaking change bumps SCHEMA_VERSION. report.schema.json in this folder is the machine-checkable form.

export const SCHEMA_VERSION = 1;

export type Layer = 'edge' | 'web' | 'fpm' | 'app' | 'dep' | 'os';

export interface InputReport {
  path: string;
  format: string;
  gzip: boolean;
  lines: number;
  records: number;
  unrecognized: number;
  unrecognizedSamples: { line: number; text: string }[];
  truncatedLines: number;
  from: string | null;
  to: string | null;
  problems: string[];
}

export interface EvidenceItem {
  file: string;
  line: number;
  text: string;
  /** how it was joined: 'same request', 'same pid', 'same upstream', 'same time window' */
  why: string;
  /** the symptom chain: 'upstream prematurely closed connection ← worker 4711 SIGKILL' */
  via?: string;
}

export interface FixDirective {
  /** where the directive lives: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)' */
  file: string;
  set: string;
  to: string;
  why?: string;
  /** the value in force on the host, when its configuration was read (--config-dir) */
  current?: { value: string; file: string; line: number };
}

export interface CauseReport {
  rank: number;
  id: string;
  title: string;
  layer: Layer;
  confidence: number;
  score: number;
  affectedRequests: number;
  byStatus: Record<string, number>;
  firstSeen: string | null;
  lastSeen: string | null;
  episodes: { from: string; to: string; requests: number; peakPerMinute: number }[];
  topPaths: { path: string; count: number }[];
  upstreams: string[];
  culprits: CulpritReport[];
  evidence: EvidenceItem[];
  /** signals that support the cause but were not joined to a 5xx (hidden failures, warnings) */
  signalCount: number;
  variant?: string;
  /** sources that would confirm the cause but were not supplied ('kernel log') */
  missingSources?: string[];
  /** machines the cause showed on: its credited 5xx and its evidence signals (syslog/journald host, or --host); requests = credited 5xx there */
  hosts: { host: string; requests: number }[];
  fix: { summary: string; directives: FixDirective[] };
}

export interface Report {
  schemaVersion: number;
  /** the server configuration that was read (--config-dir, or found next to the logs) */
  config?: { root: string; files: string[] };
  tool: { name: 'logsleuth'; version: string };
  timezoneAssumed: string;
  /** true when the run was interrupted and the report covers only what was read */
  partial: boolean;
  window: { from: string | null; to: string | null };
  inputs: InputReport[];
  summary: {
    requests: number;
    byStatus: Record<string, number>;
    errors5xx: number;
    explained5xx: number;
    /** 5xx seen only in $upstream_status and retried successfully */
    hiddenUpstreamFailures: number;
  };
  causes: CauseReport[];
  unexplained: { count: number; byStatus: Record<string, number>; topPaths: { path: string; count: number }[] };
  /** what each status present means on this stack (signatures.md Part 4) */
  statusMeanings: { status: number; meaning: string }[];
  timeline: { t: string; requests: number; errors5xx: number; byCause: Record<string, number> }[];
  /** width of one timeline interval: 60 for a per-minute timeline, more for long windows */
  timelineStepSeconds: number;
  /** the operator's answers: failing layer, incidents, traffic, crawlers, culprit */
  insights: Insights;
  /** the causes grouped per machine; empty when no record named its host */
  hosts: HostReport[];
}

/** One machine's share of the 5xx, by cause. */
export interface HostReport {
  host: string;
  /** 5xx whose access line came from this host */
  errors5xx: number;
  /** of those, the ones no cause explains */
  unexplained: number;
  /** causes seen on this host, most requests first; requests = its credited 5xx on this host */
  causes: { id: string; requests: number }[];
}

/** A named component that owns the failing code: a WordPress plugin, a Composer package, a script… */
export interface CulpritReport {
  kind: string;
  name: string;
  count: number;
}

export interface LayerReport {
  layer: Layer;
  /** 'edge / load balancer', 'web server', 'PHP-FPM', 'PHP application', 'dependency', 'operating system' */
  label: string;
  failed: boolean;
  /** 5xx credited to causes of this layer */
  errors5xx: number;
  causes: string[];
}

/** Who produced the 5xx the clients received. */
export interface OriginSplit {
  /** the web server (or proxy) made the error page itself: no upstream, or the upstream connection failed */
  webServer: number;
  /** the backend answered 5xx and the web server passed it on ($upstream_status = $status) */
  backend: number;
  /** the access log has no upstream fields and no cause tells */
  unknown: number;
  /** our own words and numbers only: no log-derived text */
  summary: string;
}

export interface TrafficContext {
  /** requests per minute during the incident (all statuses) */
  requestsPerMinute: number;
  /** requests per minute in the hour before; null when the access log does not cover it */
  hourBeforePerMinute: number | null;
  /** requestsPerMinute / hourBeforePerMinute; null when unknown */
  change: number | null;
  spike: boolean;
  /** share of the incident's requests made by search-engine crawlers (0..1) */
  crawlerShare: number;
  hourBeforeCrawlerShare: number | null;
  /** the client with most of the incident's 5xx, when one client has at least half of them */
  topClient: { client: string; userAgent: string | null; errors5xx: number; share: number } | null;
  summary: string;
}

export interface IncidentReport {
  from: string;
  to: string;
  durationSeconds: number;
  errors5xx: number;
  byStatus: Record<string, number>;
  peakPerMinute: number;
  /** cause id → 5xx, biggest first; 'unexplained' for what no cause explains */
  causes: { id: string; count: number }[];
  pattern: 'transient' | 'recurring';
  /** index into insights.recurrences when recurring */
  recurrence?: number;
  traffic: TrafficContext;
}

export interface RecurrenceReport {
  /** daily: same time of day on several days; interval: a fixed period within the window */
  kind: 'daily' | 'interval';
  /** local hour (0-23) the incidents start in (daily) */
  hour?: number;
  /** 'HH:MM' local time the incidents start around (daily) */
  atLocalTime?: string;
  /** 'HH:MM–HH:MM' earliest start to latest end, local time (daily) */
  localWindow?: string;
  /** days it happened on and days whose logs covered that time of day (daily) */
  days?: number;
  ofDays?: number;
  /** seconds between starts (interval) */
  everySeconds?: number;
  occurrences: number;
  errors5xx: number;
  causes: string[];
  summary: string;
}

export interface CrawlerImpact {
  /** 'Googlebot', 'Bingbot', 'Applebot', 'YandexBot', 'Baiduspider', 'DuckDuckBot', 'AdsBot-Google' */
  crawler: string;
  errors5xx: number;
  byStatus: Record<string, number>;
  topPaths: { path: string; count: number }[];
  firstSeen: string | null;
  lastSeen: string | null;
  /** incidents its 5xx fall in */
  incidents: number;
  /** its 5xx fall in more than one incident or in a recurring one */
  recurring: boolean;
}

export interface Insights {
  /** one sentence: which layer failed and what it cost (our words, cause titles and numbers) */
  headline: string;
  failingLayer: Layer | null;
  /** every layer in the order an operator checks them: edge → web → fpm → app → dep → os */
  layers: LayerReport[];
  origin: OriginSplit;
  /** the component most often named by the top cause that names one */
  topCulprit: (CulpritReport & { cause: string }) | null;
  /** 'none' without 5xx; 'recurring' when some incidents repeat; else 'transient' */
  pattern: 'none' | 'transient' | 'recurring';
  patternSummary: string;
  incidents: IncidentReport[];
  recurrences: RecurrenceReport[];
  crawlers: {
    /** requests made by search-engine crawlers, all statuses */
    requests: number;
    errors5xx: number;
    byCrawler: CrawlerImpact[];
    summary: string;
  };
}
