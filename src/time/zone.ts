// Zone math without a time-zone database of our own: Intl knows every IANA zone Node ships with.
// Offsets are cached per zone and UTC hour, so the per-line cost is a Map lookup.
import { realpathSync } from 'node:fs';

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/**
 * True when TZ is unset and /etc/localtime resolves to the zoneinfo UTC file: Intl's default zone is then
 * 'UTC', as ICU takes it from the same link (putil.cpp uprv_tzname: realpath of /etc/localtime, the part after
 * 'zoneinfo/'). Asking Intl costs ≈ 10 ms of ICU start-up in a run that may use Intl for nothing else (a UTC
 * server, logs that carry offsets); any other setup asks Intl.
 */
export function localtimeIsUtc(env: NodeJS.ProcessEnv = process.env, localtime = '/etc/localtime'): boolean {
  if (env.TZ !== undefined) return false;
  try {
    return /^\/usr\/share\/zoneinfo\/(?:Etc\/)?UTC$/.test(realpathSync(localtime));
  } catch {
    return false;
  }
}

/** The machine's zone, as Node sees it (TZ or /etc/localtime). */
export function machineZone(): string {
  if (localtimeIsUtc()) return 'UTC';
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // an empty or broken TZ makes Intl answer 'Etc/Unknown', which no formatter accepts
  return tz && tz !== 'Etc/Unknown' && isValidZone(tz) ? tz : 'UTC';
}

/** True when `tz` is an IANA zone name or a fixed offset such as '+01:00' that we can use. */
export function isValidZone(tz: string): boolean {
  if (parseFixedOffset(tz) !== undefined) return true;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** '+01:00', '-0530', 'UTC', 'Z', 'GMT' → minutes east of UTC; undefined for named zones. */
export function parseFixedOffset(tz: string): number | undefined {
  if (tz === 'UTC' || tz === 'Z' || tz === 'GMT' || tz === 'Etc/UTC' || tz === 'Universal') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return undefined;
  const mins = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -mins : mins;
}

function computeOffset(tz: string, epochMs: number): number {
  const parts = formatterFor(tz).formatToParts(new Date(epochMs));
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of parts) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      default: break;
    }
  }
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/** Minutes east of UTC that `tz` had at the instant `epochMs`. */
export function offsetAt(tz: string, epochMs: number): number {
  const fixed = parseFixedOffset(tz);
  if (fixed !== undefined) return fixed;
  let byHour = offsetCache.get(tz);
  if (!byHour) {
    byHour = new Map();
    offsetCache.set(tz, byHour);
  }
  const key = Math.floor(epochMs / HOUR);
  let off = byHour.get(key);
  if (off === undefined) {
    off = computeOffset(tz, epochMs);
    if (byHour.size > 100_000) byHour.clear();
    byHour.set(key, off);
  }
  return off;
}

/**
 * Wall-clock time in `tz` → epoch ms. Month is 1-based. For the repeated hour at a DST change the
 * earlier instant wins, for the skipped hour the later offset is used, as most servers do.
 */
export function wallToEpoch(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const fixed = parseFixedOffset(tz);
  if (fixed !== undefined) return asUtc - fixed * 60_000;
  const first = offsetAt(tz, asUtc);
  const guess = asUtc - first * 60_000;
  const second2 = offsetAt(tz, guess);
  return second2 === first ? guess : asUtc - second2 * 60_000;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** ISO 8601 with the offset `tz` had at that instant: 2026-01-12T10:00:01.000+01:00 */
export function formatInZone(epochMs: number, tz: string): string {
  if (!Number.isFinite(epochMs)) return '';
  const off = offsetAt(tz, epochMs);
  const d = new Date(epochMs + off * 60_000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
  );
}
