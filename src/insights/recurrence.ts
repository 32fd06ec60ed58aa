// Transient or recurring? A burst that comes back at the same time of day points at something scheduled
// (cron, backups, log rotation, a crawler's slot); one that comes back at a fixed period points at a timer.
import type { RecurrenceReport } from '../report/schema.js';
import { offsetAt } from '../time/zone.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** incidents starting within this many minutes of a cluster's first start share a time of day */
const SAME_TIME_OF_DAY_MIN = 45;
/** of the days whose logs cover that time of day, at least this share must have the incident */
const MIN_DAY_SHARE = 0.5;
/** a fixed period needs this many incidents, and its gaps this close to the median gap */
const MIN_PERIODIC = 4;
const PERIOD_TOLERANCE = 0.05;
const MIN_PERIOD_SLACK = 2 * MINUTE;
/** periods from here on are left to the time-of-day check (a missed night must not break "daily") */
const MAX_PERIOD = 20 * 3_600_000;
const MIN_PERIOD = 5 * MINUTE;

export interface Span {
  from: number;
  to: number;
}

export interface Recurrence {
  report: Omit<RecurrenceReport, 'errors5xx' | 'causes' | 'summary'>;
  /** indexes of the incidents that belong to it */
  members: number[];
}

const pad = (n: number): string => String(n).padStart(2, '0');
const hhmm = (minutes: number): string => {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
};

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Every incident at a fixed period (every 15 min, every 6 h), when the whole list follows one. */
function periodic(incidents: readonly Span[]): Recurrence | undefined {
  if (incidents.length < MIN_PERIODIC) return undefined;
  const starts = incidents.map((i) => i.from);
  const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? t));
  const period = median(gaps);
  if (period < MIN_PERIOD || period > MAX_PERIOD) return undefined;
  const tol = Math.max(MIN_PERIOD_SLACK, period * PERIOD_TOLERANCE);
  const regular = gaps.filter((g) => Math.abs(g - period) <= tol).length;
  if (regular < MIN_PERIODIC - 1 || regular < 0.8 * gaps.length) return undefined;
  return {
    report: { kind: 'interval', everySeconds: Math.round(period / 1000), occurrences: incidents.length },
    members: incidents.map((_, i) => i),
  };
}

interface Local {
  idx: number;
  day: number;
  /** minutes after local midnight */
  startMin: number;
  endMin: number;
}

/** Days whose part of the covered window contains this local time of day. */
function daysCovering(minuteOfDay: number, cover: Span, tz: string): number {
  let n = 0;
  const off = (t: number): number => offsetAt(tz, t) * MINUTE;
  const firstDay = Math.floor((cover.from + off(cover.from)) / DAY);
  const lastDay = Math.floor((cover.to + off(cover.to)) / DAY);
  for (let d = firstDay; d <= lastDay; d++) {
    const wall = d * DAY + minuteOfDay * MINUTE;
    const t = wall - off(wall);
    if (t >= cover.from && t <= cover.to) n++;
  }
  return n;
}

/** Incidents that start at about the same local time on several days. */
function daily(incidents: readonly Span[], cover: Span, tz: string): Recurrence[] {
  const local: Local[] = incidents.map((inc, idx) => {
    const from = inc.from + offsetAt(tz, inc.from) * MINUTE;
    const to = inc.to + offsetAt(tz, inc.to) * MINUTE;
    const day = Math.floor(from / DAY);
    return { idx, day, startMin: (from - day * DAY) / MINUTE, endMin: (to - day * DAY) / MINUTE };
  });
  local.sort((a, b) => a.startMin - b.startMin);
  const groups: Local[][] = [];
  for (const l of local) {
    const g = groups[groups.length - 1];
    const first = g?.[0];
    if (g && first && l.startMin - first.startMin <= SAME_TIME_OF_DAY_MIN) g.push(l);
    else groups.push([l]);
  }
  // 23:50 and 00:10 are the same night: join the last group to the first across midnight
  const head = groups[0];
  const tail = groups[groups.length - 1];
  if (groups.length > 1 && head && tail) {
    const tailFirst = tail[0]?.startMin ?? 0;
    const headLast = head[head.length - 1]?.startMin ?? 0;
    if (headLast + 1440 - tailFirst <= SAME_TIME_OF_DAY_MIN) {
      groups.pop();
      groups[0] = [...tail.map((l) => ({ ...l, startMin: l.startMin - 1440, endMin: l.endMin - 1440, day: l.day + 1 })), ...head];
    }
  }

  const out: Recurrence[] = [];
  for (const g of groups) {
    const days = new Set(g.map((l) => l.day)).size;
    if (days < 2) continue;
    const at = median(g.map((l) => l.startMin));
    const ofDays = Math.max(days, daysCovering(((at % 1440) + 1440) % 1440, cover, tz));
    if (days / ofDays < MIN_DAY_SHARE) continue;
    const lo = Math.min(...g.map((l) => l.startMin));
    const hi = Math.max(...g.map((l) => l.endMin));
    const hour = Math.floor((((at % 1440) + 1440) % 1440) / 60);
    out.push({
      report: {
        kind: 'daily',
        hour,
        atLocalTime: hhmm(at),
        localWindow: `${hhmm(lo)}–${hhmm(hi)}`,
        days,
        ofDays,
        occurrences: g.length,
      },
      members: g.map((l) => l.idx).sort((a, b) => a - b),
    });
  }
  return out;
}

/**
 * Recurrences among time-sorted incidents. `cover` is the span the access log covers (how many days could
 * have shown the pattern); `tz` the zone whose clock the operator's cron runs on.
 */
export function findRecurrences(incidents: readonly Span[], cover: Span, tz: string): Recurrence[] {
  const p = periodic(incidents);
  if (p) return [p];
  return daily(incidents, cover, tz).sort((a, b) => b.members.length - a.members.length || (a.members[0] ?? 0) - (b.members[0] ?? 0));
}
