// Line builders for the web-group rule tests: real formats, one day (12 Jan 2026, UTC), times 'HH:MM:SS'.
import { SOCK, UA, accessBuilders } from './lines-common.js';
export { SOCK, at, combined, fpm, kern, cause } from './lines-common.js';

export const FCGI_SOCK = `fastcgi://${SOCK}:`;

export type { AccessOpts } from './lines-common.js';
export const { access, background } = accessBuilders({ rt: 0.045, uht: 'urt', reachedByUa: true, protocol: 'HTTP/1.1' });

export interface NgxCtx {
  client: string;
  request: string;
  action?: string;
  upstream?: string;
  server?: string;
  conn?: number;
}

let conn = 7_000;
/** nginx error line, with request context when given. */
export function ngx(hms: string, level: string, message: string, c?: NgxCtx): string {
  const n = c?.conn ?? ++conn;
  const head = `2026/01/12 ${hms} [${level}] 1234#1234: ${c ? `*${n} ` : ''}${message}`;
  if (!c) return head;
  const host = c.server ?? 'shop.example.com';
  return (
    `${head}${c.action ? ` while ${c.action}` : ''}, client: ${c.client}, server: ${host}, request: "${c.request}"` +
    `${c.upstream ? `, upstream: "${c.upstream}"` : ''}, host: "${host}"`
  );
}

/** nginx connect() failure to the FPM socket (or a TCP peer) with an errno. */
export function connectFail(hms: string, errno: string, client: string, request: string, peer = SOCK, level = 'error', upstream?: string): string {
  const up = upstream ?? (peer.startsWith('unix:') ? `fastcgi://${peer}:` : `fastcgi://${peer}`);
  return ngx(hms, level, `connect() to ${peer} failed (${errno})`, { client, request, action: 'connecting to upstream', upstream: up });
}

/** Apache 2.4 error log line; `usec` keeps lines of one request in order. */
export function apacheErr(hms: string, usec: number, module: string, message: string, o: { client?: string; errno?: string; tid?: number } = {}): string {
  const us = String(usec).padStart(6, '0');
  return `[Mon Jan 12 ${hms}.${us} 2026] [${module}] [pid 2211:tid ${o.tid ?? 140234567890688}] ${o.errno ? `${o.errno}: ` : ''}${o.client ? `[client ${o.client}:51234] ` : ''}${message}`;
}

/** Apache access line (combined + %D microseconds, %t = request start). */
export function apacheAccess(hms: string, client: string, request: string, status: number, micros = 1200): string {
  return `${client} - - [12/Jan/2026:${hms} +0000] "${request}" ${status} 299 "-" "${UA}" ${micros}`;
}

