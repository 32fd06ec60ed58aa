// Applies a host's configuration to a finished diagnosis: every cause's fix directives get the value in
// force, its file and line, and computed targets where the logs measured what is needed (config/advice.ts).
import type { Diagnosis, DiagnosedCause } from '../diagnose/diagnose.js';
import type { Report } from '../report/schema.js';
import { adviseDirectives, type Measured } from './advice.js';
import type { ServerConfig } from './discover.js';
import { upperMedian } from '../numbers.js';

const PHP_COMMS = /php|fpm/i;


/** What this cause's evidence measured: request durations of its 504s, memory limits hit, worker sizes. */
export function measuredFor(c: DiagnosedCause, diagnosis: Diagnosis, peakInFlight: number | undefined): Measured {
  const m: Measured = {};
  if (peakInFlight !== undefined) m.peakInFlight = peakInFlight;
  const durations: number[] = [];
  for (const i of c.errors) {
    const e = diagnosis.ctx.errors.at(i);
    if (e && e.status === 504 && e.requestTime !== undefined) durations.push(e.requestTime);
  }
  if (durations.length > 0) m.timeoutDurations = durations;
  const limits = diagnosis.ctx.bySig('P-MEMLIMIT').map((s) => s.keys.bytes).filter((b): b is number => b !== undefined);
  const limit = upperMedian(limits);
  if (limit !== undefined) m.memoryLimitHitBytes = limit;
  const rss = diagnosis.ctx
    .bySig('K-OOM')
    .filter((s) => s.keys.variant === 'kill' && s.keys.bytes !== undefined && PHP_COMMS.test(s.keys.comm ?? ''))
    .map((s) => s.keys.bytes ?? 0);
  const worker = upperMedian(rss);
  if (worker !== undefined) m.workerRssBytes = worker;
  return m;
}

/** Rewrites the report's fix directives against the configuration (report.causes[i] ↔ diagnosis.causes[i]). */
export function applyConfig(report: Report, diagnosis: Diagnosis, config: ServerConfig, peakInFlight: number | undefined): void {
  report.causes.forEach((cause, i) => {
    const diagnosed = diagnosis.causes[i];
    if (!diagnosed || diagnosed.rule.id !== cause.id) return;
    cause.fix.directives = adviseDirectives(cause.fix.directives, config, cause.upstreams, measuredFor(diagnosed, diagnosis, peakInFlight));
  });
  report.config = { root: config.root, files: [...new Set(config.files)] };
}
