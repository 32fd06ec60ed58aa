// Line builders for the app-group rule tests (too-many-open-files, disk-full, database-unavailable,
// php-fatal-error, backend-5xx): real formats, one day (12 Jan 2026, UTC), times as 'HH:MM:SS'.
import { SOCK, UA, accessBuilders } from './lines-common.js';
export { SOCK, combined, fpm, phpLog, cause } from './lines-common.js';

export type { AccessOpts } from './lines-common.js';
export const { access, background } = accessBuilders({ rt: 0.045, uht: 'urt', reachedByUa: true, protocol: 'HTTP/2.0' });

export interface NgxCtx {
  client: string;
  request: string;
  action?: string;
  upstream?: string;
}

let conn = 50_000;
/** nginx error line with its request context. */
export function ngx(hms: string, level: string, message: string, c?: NgxCtx): string {
  conn++;
  const head = `2026/01/12 ${hms} [${level}] 1234#1234: ${c ? `*${conn} ` : ''}${message}`;
  if (!c) return head;
  const host = 'shop.example.com';
  return (
    `${head}${c.action ? ` while ${c.action}` : ''}, client: ${c.client}, server: ${host}, request: "${c.request}"` +
    `${c.upstream ? `, upstream: "${c.upstream}"` : ''}, host: "${host}"`
  );
}

/** 'FastCGI sent in stderr' carrying PHP messages, joined to a request. */
export function stderr(hms: string, client: string, request: string, ...messages: string[]): string {
  const payload = messages.map((m) => `PHP message: ${m}`).join('');
  return ngx(hms, 'error', `FastCGI sent in stderr: "${payload}"`, {
    client,
    request,
    action: 'reading response header from upstream',
    upstream: `fastcgi://${SOCK}:`,
  });
}

/** Apache 2.4 error log line. */
export function apacheErr(hms: string, module: string, message: string, client?: string, errno?: string): string {
  return `[Mon Jan 12 ${hms}.123456 2026] [${module}] [pid 2211:tid 140234567890688] ${errno ? `${errno}: ` : ''}${client ? `[client ${client}:51234] ` : ''}${message}`;
}

/** Apache access line (combined, %t = request start). */
export function apacheAccess(hms: string, client: string, request: string, status: number): string {
  return `${client} - - [12/Jan/2026:${hms} +0000] "${request}" ${status} 299 "-" "${UA}"`;
}

