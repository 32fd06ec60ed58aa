// What live mode prints: a compact table redrawn in place on a terminal, one line per new episode in a
// pipe (for a pager or a chat hook), or one JSON report per interval (NDJSON).
import Table from 'cli-table3';
import { clip, escapeTerminal } from '../report/escape.js';
import type { CauseReport, Report } from '../report/schema.js';
import { sparkline } from '../report/table.js';

const ESC = '\u001b[';
/** cursor home, clear screen: the table is redrawn in place */
export const CLEAR_SCREEN = `${ESC}H${ESC}2J`;

function paint(on: boolean, code: string, s: string): string {
  return on ? `${ESC}${code}m${s}${ESC}0m` : s;
}

/** '2026-01-12T10:00:01.000+01:00' → '10:00:01' */
function clock(iso: string | null): string {
  return iso ? iso.slice(11, 19) : '–';
}

function statusList(byStatus: Record<string, number>): string {
  return Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${n}×${s}`)
    .join(' ');
}

function hostList(c: CauseReport): string {
  return c.hosts.map((h) => `${h.host} ${h.requests}`).join(', ');
}

export function ndjsonLine(r: Report): string {
  return `${JSON.stringify(r)}\n`;
}

export interface LiveOptions {
  color: boolean;
  width: number;
  intervalSeconds: number;
  /** when the diagnosis was made */
  now: Date;
}

const LIVE_CAUSES = 8;
const LIVE_EPISODES = 5;

/** The screen of live mode on a terminal: summary, causes, latest episodes. */
export function renderLive(r: Report, o: LiveOptions): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(
    paint(o.color, '1', 'logsleuth --follow') +
      ` — ${r.inputs.length} file${r.inputs.length === 1 ? '' : 's'}, ${s.requests} requests, ${s.errors5xx} × 5xx` +
      paint(o.color, '2', `   updated ${o.now.toTimeString().slice(0, 8)}, every ${o.intervalSeconds}s, Ctrl-C to stop`),
  );
  out.push(clip(escapeTerminal(r.insights.headline), o.width));
  const series = r.timeline.map((t) => t.errors5xx);
  if (series.some((n) => n > 0)) {
    const { line } = sparkline(series, Math.max(20, o.width - 30));
    out.push(`5xx ${clock(r.timeline[0]?.t ?? null)} ${paint(o.color, '31', `▕${line}▏`)} ${clock(r.timeline[r.timeline.length - 1]?.t ?? null)}`);
  }
  if (r.causes.length === 0) {
    out.push(s.errors5xx === 0 ? 'No 5xx and no failure signals so far.' : 'No root cause established for these 5xx yet.');
  } else {
    const table = new Table({
      head: ['#', 'cause', 'layer', 'conf', '5xx', 'last', 'hosts'],
      style: o.color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    });
    for (const c of r.causes.slice(0, LIVE_CAUSES)) {
      table.push([String(c.rank), c.id, c.layer, `${Math.round(c.confidence * 100)}%`, statusList(c.byStatus) || '0', clock(c.lastSeen), clip(escapeTerminal(hostList(c)) || '–', 24)]);
    }
    out.push(table.toString());
    if (r.causes.length > LIVE_CAUSES) out.push(`… ${r.causes.length - LIVE_CAUSES} more causes`);
  }
  const episodes = r.causes
    .flatMap((c) => c.episodes.map((e) => ({ id: c.id, ...e })))
    .sort((a, b) => (a.from < b.from ? 1 : -1))
    .slice(0, LIVE_EPISODES);
  if (episodes.length > 0) {
    out.push('latest episodes:');
    for (const e of episodes) out.push(`  ${clock(e.from)}–${clock(e.to)}  ${e.id}  ${e.requests} × 5xx, peak ${e.peakPerMinute}/min`);
  }
  if (r.unexplained.count > 0) out.push(`unexplained: ${r.unexplained.count} × 5xx`);
  return `${out.join('\n')}\n`;
}

/**
 * Remembers which episodes were announced. A re-diagnosis may move an episode's start (a 5xx credited
 * later) or extend it, so an episode is new only when it overlaps nothing already announced for its cause.
 */
export class EpisodeAnnouncer {
  private readonly seen = new Map<string, { from: string; to: string }[]>();

  /** One line per episode not announced before, oldest first. */
  announce(r: Report): string[] {
    const fresh: { from: string; line: string }[] = [];
    for (const c of r.causes) {
      const known = this.seen.get(c.id) ?? [];
      for (const e of c.episodes) {
        const overlap = known.find((k) => k.from <= e.to && e.from <= k.to);
        if (overlap) {
          if (e.from < overlap.from) overlap.from = e.from;
          if (e.to > overlap.to) overlap.to = e.to;
          continue;
        }
        known.push({ from: e.from, to: e.to });
        const top = c.topPaths[0];
        const hosts = c.hosts.length > 0 ? `, hosts ${hostList(c)}` : '';
        fresh.push({
          from: e.from,
          line: escapeTerminal(
            `${e.from}  new episode  ${c.id} [${c.layer}, ${Math.round(c.confidence * 100)}%]: ${e.requests} × 5xx, peak ${e.peakPerMinute}/min` +
              `${top ? `, top path ${clip(top.path, 80)}` : ''}${hosts} — ${c.title}`,
          ),
        });
      }
      this.seen.set(c.id, known);
    }
    return fresh.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)).map((f) => `${f.line}\n`);
  }
}
