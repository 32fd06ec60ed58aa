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

export interface AccessOpts {
  rt?: number;
  /** upstream response time; '-' when nginx never reached a backend */
  urt?: number | '-';
  ua?: string;
  us?: number | string;
  agent?: string;
}

/** How one rule group's access lines look when a test does not say: the lab captures differ a little. */
export interface AccessStyle {
  /** $request_time when not given */
  rt: number;
  /** $upstream_header_time: the response time, or '-' */
  uht: 'urt' | '-';
  /** ua '-' also means the backend was never reached (not only urt '-') */
  reachedByUa: boolean;
  /** protocol of the background requests */
  protocol: string;
}

/** nginx access lines, combined + rt/uct/uht/urt/ua/us (the lab's log_format), and steady background traffic. */
export function accessBuilders(style: AccessStyle): {
  access(hms: string, client: string, request: string, status: number, o?: AccessOpts): string;
  background(fromMin: number, toMin: number, every?: number): string[];
} {
  const access = (hms: string, client: string, request: string, status: number, o: AccessOpts = {}): string => {
    const reached = o.urt !== '-' && (!style.reachedByUa || o.ua !== '-');
    const rt = o.rt ?? style.rt;
    const urt = o.urt === '-' ? '-' : (o.urt ?? rt).toFixed(3);
    const ua = o.ua ?? (reached ? SOCK : '-');
    const us = o.us ?? (reached ? status : '-');
    const uht = style.uht === 'urt' ? urt : '-';
    return `${client} - - [12/Jan/2026:${hms} +0000] "${request}" ${status} 157 "-" "${o.agent ?? UA}" rt=${rt.toFixed(3)} uct="${reached ? '0.000' : '-'}" uht="${uht}" urt="${urt}" ua="${ua}" us="${us}"`;
  };
  /** one 200 every `every` seconds between two minutes of hour 10 */
  const background = (fromMin: number, toMin: number, every = 5): string[] => {
    const out: string[] = [];
    for (let t = fromMin * 60; t <= toMin * 60; t += every) {
      const hms = `10:${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
      out.push(access(hms, `192.0.2.${(t % 200) + 10}`, `GET /page/${t % 17} ${style.protocol}`, 200, { rt: 0.08 }));
    }
    return out;
  };
  return { access, background };
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
