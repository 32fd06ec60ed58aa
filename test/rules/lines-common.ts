// Line builders every rule test uses; the per-group files (app-, web-, fpm-lines.ts) add their own.
import type { CauseReport, Report } from '../../src/report/schema.js';

export const SOCK = 'unix:/run/php/php8.2-fpm.sock';
export const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** 'HH:MM:SS' plus whole seconds. */
export function at(hms: string, plus: number): string {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  const t = h * 3600 + m * 60 + s + Math.floor(plus);
  return [Math.floor(t / 3600), Math.floor((t % 3600) / 60), t % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Plain combined access line (no timings, no upstream fields). */
export function combined(hms: string, client: string, request: string, status: number, agent = UA): string {
  return `${client} - - [12/Jan/2026:${hms} +0000] "${request}" ${status} 5321 "-" "${agent}"`;
}

/** PHP-FPM master log line. */
export function fpm(hms: string, level: string, message: string): string {
  return `[12-Jan-2026 ${hms}] ${level}: ${message}`;
}

/** PHP error_log line (UTC, as WordPress sets it). */
export function phpLog(hms: string, message: string): string {
  return `[12-Jan-2026 ${hms} UTC] ${message}`;
}

/** kern.log line as rsyslog writes it. */
export function kern(hms: string, message: string): string {
  return `Jan 12 ${hms} web1 kernel: [812345.678901] ${message}`;
}

export function cause(report: Report, id: string): CauseReport | undefined {
  return report.causes.find((c) => c.id === id);
}
