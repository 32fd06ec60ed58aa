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
  culprits: { kind: string; name: string; count: number }[];
  evidence: EvidenceItem[];
  /** signals that support the cause but were not joined to a 5xx (hidden failures, warnings) */
  signalCount: number;
  variant?: string;
  /** sources that would confirm the cause but were not supplied ('kernel log') */
  missingSources?: string[];
  fix: { summary: string; directives: FixDirective[] };
}

export interface Report {
  schemaVersion: number;
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
}
