// A rule is one root cause: data about itself plus one pure function from the diagnosis context to findings.
// Modelled on ESLint rules (meta + create) and Sigma (detection as data, false positives named).
import type { DiagnoseContext } from '../diagnose/context.js';
import type { FixDirective, Layer } from '../report/schema.js';
import type { Signal } from '../signals/types.js';

export type JoinKind = 'same request' | 'same connection' | 'same pid' | 'same upstream' | 'same time window' | 'access-log shape';

/** A rule's claim that one 5xx (an index into ctx.errors) was caused by it. */
export interface Claim {
  error: number;
  confidence: number;
  why: JoinKind;
  /** the signal that made the join, shown as evidence */
  evidence?: Signal;
  /** symptom chain, e.g. 'upstream prematurely closed connection ← child 4711 SIGKILL' */
  via?: string;
}

export interface Culprit {
  kind: string;
  name: string;
  count: number;
}

export interface Finding {
  cause: string;
  /** the rule's confidence for the finding as a whole (Part 5.0 scale); claims carry their own */
  confidence: number;
  claims: Claim[];
  /** supporting signals, most telling first; the report shows a few */
  evidence: Signal[];
  variant?: string;
  upstreams?: string[];
  culprits?: Culprit[];
  /** a source that would confirm it but was not supplied: 'kernel log', 'PHP-FPM log' */
  missingSources?: string[];
  /** directives with values computed from the evidence, replacing the rule's template values */
  directives?: FixDirective[];
  /** a sentence added to the fix summary, e.g. the measured peak or the blocking function */
  note?: string;
}

export interface Rule {
  id: string;
  title: string;
  layer: Layer;
  /** what went wrong, in one sentence an operator understands */
  meaning: string;
  /** signature ids (signatures.md Part 3) the rule reads */
  signals: readonly string[];
  /** look-alikes it must not be confused with (signatures.md Part 5) */
  lookAlikes: readonly string[];
  /**
   * Symptom-level rules (upstream-timeout, upstream-reset, no-live-upstreams, backend-5xx) lose ties against
   * rules that name a deeper cause for the same 5xx.
   */
  residual?: boolean;
  fix: { summary: string; directives: FixDirective[] };
  diagnose(ctx: DiagnoseContext): Finding[];
}
