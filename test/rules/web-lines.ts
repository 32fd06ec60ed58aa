// Line builders for the web-group rule tests: real formats, one day (12 Jan 2026, UTC), times 'HH:MM:SS'.
import { SOCK, UA } from './lines-common.js';
export { SOCK, at, combined, fpm, kern, cause } from './lines-common.js';

export const FCGI_SOCK = `fastcgi://${SOCK}:`;

export interface AccessOpts {
  rt?: number;
  urt?: number | '-';
  ua?: string;
  us?: number | string;
  agent?: string;
}

/** nginx access line: combined + rt/uct/uht/urt/ua/us. */
export function access(hms: string, client: string, request: string, status: number, o: AccessOpts = {}): string {
  const reached = o.urt !== '-' && o.ua !== '-';
  const rt = o.rt ?? 0.045;
  const urt = o.urt === '-' ? '-' : (o.urt ?? rt).toFixed(3);
  const ua = o.ua ?? (reached ? SOCK : '-');
  const us = o.us ?? (reached ? status : '-');
  return `${client} - - [12/Jan/2026:${hms} +0000] "${request}" ${status} 157 "-" "${o.agent ?? UA}" rt=${rt.toFixed(3)} uct="${reached ? '0.000' : '-'}" uht="${urt}" urt="${urt}" ua="${ua}" us="${us}"`;
}

/** Steady background traffic: one 200 every `every` seconds between two minutes of hour 10. */
export function background(fromMin: number, toMin: number, every = 5): string[] {
  const out: string[] = [];
  for (let t = fromMin * 60; t <= toMin * 60; t += every) {
    const hms = `10:${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
    out.push(access(hms, `192.0.2.${(t % 200) + 10}`, `GET /page/${t % 17} HTTP/1.1`, 200, { rt: 0.08 }));
  }
  return out;
}

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

