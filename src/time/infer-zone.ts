// Which zone zone-less logs (nginx/Apache error, PHP-FPM) were written in, when the user did not say.
// The web server's own access log carries its offset ($time_local '+0100', $time_iso8601 '+01:00') and
// is written by the same host as those logs, so its offset beats the zone of the machine running us —
// the usual case when a support engineer analyses a customer's logs on a laptop (signatures.md §6.3).
import { closeSync, openSync, readSync } from 'node:fs';
import type { Source } from '../input/sources.js';
import { offsetAt } from './zone.js';

const PEEK_BYTES = 16 * 1024;
// the stamp inside access lines: [12/Jan/2026:10:00:01 +0100] or 2026-01-12T10:00:01+01:00
const CLF_OFFSET = /\[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} ([+-])(\d{2})(\d{2})\]/;
// $time_iso8601 at the start of a line (also rsyslog's RFC 3339 files, written by the same host)
const ISO_OFFSET = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?([+-])(\d{2}):?(\d{2})\s/m;

function peek(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(PEEK_BYTES);
    const n = readSync(fd, buf, 0, PEEK_BYTES, 0);
    // gzip: not worth inflating for a hint
    if (n >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return '';
    return buf.toString('latin1', 0, n);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The offset the access logs among `sources` were written in, as '+01:00', when it differs from what
 * `machineTz` had at that time; undefined when there is no access log, when they disagree, or when the
 * machine zone already matches.
 */
export function inferZoneFromAccessLogs(sources: readonly Source[], machineTz: string): string | undefined {
  const offsets = new Set<string>();
  let at = NaN;
  for (const s of sources) {
    if (s.kind !== 'file') continue;
    const text = peek(s.path);
    const m = CLF_OFFSET.exec(text);
    if (m) {
      offsets.add(`${m[1]}${m[2]}:${m[3]}`);
      if (Number.isNaN(at)) at = Date.parse(m[0].slice(1, 12).replace(/\//g, ' ')) || Date.now();
      continue;
    }
    const iso = ISO_OFFSET.exec(text);
    if (!iso) continue;
    offsets.add(`${iso[2]}${iso[3]}:${iso[4]}`);
    if (Number.isNaN(at)) at = Date.parse(iso[1] ?? '') || Date.now();
  }
  if (offsets.size !== 1) return undefined;
  const [zone] = [...offsets];
  if (zone === undefined) return undefined;
  const sign = zone.startsWith('-') ? -1 : 1;
  const mins = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return mins === offsetAt(machineTz, Number.isNaN(at) ? Date.now() : at) ? undefined : zone;
}
