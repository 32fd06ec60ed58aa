// Line builders for the FPM-group rule tests (fpm-pool-exhausted, php-memory-exhausted,
// host-memory-exhausted, oom-killer, php-timeout, fpm-request-terminated, fpm-worker-crash, fpm-restart,
// slow-dependency, upstream-timeout, upstream-reset): real formats, 12 Jan 2026, UTC, times as 'HH:MM:SS'.
import type { Report } from '../../src/report/schema.js';
import { SOCK, accessBuilders, cause, fpm, kern } from './lines-common.js';
export { SOCK, at, combined, fpm, phpLog, kern, cause } from './lines-common.js';

export const UP = `fastcgi://${SOCK}:`;

export type { AccessOpts } from './lines-common.js';
export const { access, background } = accessBuilders({ rt: 0.05, uht: '-', reachedByUa: false, protocol: 'HTTP/2.0' });

let conn = 70_000;
/** nginx error line with the request context nginx appends. */
export function ngx(hms: string, level: string, message: string, client?: string, request?: string, action?: string, upstream = UP): string {
  conn++;
  const head = `2026/01/12 ${hms} [${level}] 1234#1234: ${client ? `*${conn} ` : ''}${message}`;
  if (!client || !request) return head;
  return `${head}${action ? ` while ${action}` : ''}, client: ${client}, server: example.com, request: "${request}", upstream: "${upstream}", host: "example.com"`;
}

export const READ = 'reading response header from upstream';

export function premature(hms: string, client: string, request: string, upstream = UP): string {
  return ngx(hms, 'error', 'upstream prematurely closed connection', client, request, READ, upstream);
}

export function reset(hms: string, client: string, request: string, upstream = UP): string {
  return ngx(hms, 'error', 'recv() failed (104: Connection reset by peer)', client, request, READ, upstream);
}

export function timedOut(hms: string, client: string, request: string, action = READ): string {
  return ngx(hms, 'error', 'upstream timed out (110: Connection timed out)', client, request, action);
}

export function eagain(hms: string, client: string, request: string): string {
  return ngx(hms, 'error', `connect() to ${SOCK} failed (11: Resource temporarily unavailable)`, client, request, 'connecting to upstream');
}

export function refused(hms: string, client: string, request: string): string {
  return ngx(hms, 'error', `connect() to ${SOCK} failed (111: Connection refused)`, client, request, 'connecting to upstream');
}

/** 'FastCGI sent in stderr' carrying PHP messages. */
export function stderr(hms: string, client: string, request: string, ...messages: string[]): string {
  return ngx(hms, 'error', `FastCGI sent in stderr: "${messages.map((m) => `PHP message: ${m}`).join('')}"`, client, request, READ);
}

export function exited(hms: string, pid: number, how: string, uptime = 81.503321): string {
  return fpm(hms, 'WARNING', `[pool www] child ${pid} exited ${how} after ${uptime.toFixed(6)} seconds from start`);
}

export function oomKill(hms: string, pid: number, comm = 'php-fpm8.2', anonKb = 612340): string {
  return kern(hms, `Out of memory: Killed process ${pid} (${comm}) total-vm:1023456kB, anon-rss:${anonKb}kB, file-rss:0kB, shmem-rss:12345kB, UID:33 pgtables:1480kB oom_score_adj:0`);
}

/** One FPM slow-log entry (the empty line before it is part of the format). */
export function slowEntry(hms: string, pid: number, script: string, frames: [fn: string, file: string, line: number][]): string[] {
  return [
    '',
    `[12-Jan-2026 ${hms}]  [pool www] pid ${pid}`,
    `script_filename = ${script}`,
    ...frames.map(([fn, file, line], i) => `[0x00007f3b8c01${(0x50f0 - i * 0x100).toString(16)}] ${fn}() ${file}:${line}`),
  ];
}

/** Which cause each id got credit for, for look-alike assertions. */
export function affected(report: Report, id: string): number {
  return cause(report, id)?.affectedRequests ?? 0;
}
