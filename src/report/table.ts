// The default terminal report: a ranked table (cli-table3), then the evidence and the fix per cause.
import Table from 'cli-table3';
import { clip, escapeTerminal } from './escape.js';
import type { CauseReport, Layer, Report } from './schema.js';

export interface TableOptions {
  color: boolean;
  width: number;
}

const ESC = '\u001b[';
function paint(on: boolean, code: string, s: string): string {
  return on ? `${ESC}${code}m${s}${ESC}0m` : s;
}

function statusList(byStatus: Record<string, number>): string {
  return Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${n}×${s}`)
    .join(' ');
}

/** '2026-01-12T10:00:01.000+01:00' → '01-12 10:00:01' for narrow cells. */
function short(iso: string | null): string {
  if (!iso) return '–';
  return `${iso.slice(5, 10)} ${iso.slice(11, 19)}`;
}

function pct(n: number): string {
  return `${Math.round(n * 100)}%`;
}

function causeDetails(c: CauseReport, o: TableOptions): string[] {
  const out: string[] = [];
  const w = Math.max(40, o.width - 6);
  out.push(paint(o.color, '1', `#${c.rank} ${c.title}`) + paint(o.color, '2', `  [${c.id}${c.variant ? `, ${escapeTerminal(c.variant)}` : ''}]`));
  const eps = c.episodes;
  if (eps.length > 0) {
    const first = eps[0];
    out.push(
      `   when: ${eps.length} episode${eps.length > 1 ? 's' : ''}` +
        (first ? `, first ${short(first.from)} → ${short(first.to)} (${first.requests} req, peak ${first.peakPerMinute}/min)` : ''),
    );
  }
  if (c.upstreams.length > 0) out.push(`   upstream: ${clip(escapeTerminal(c.upstreams.join(', ')), w)}`);
  if (c.hosts.length > 0) out.push(`   hosts: ${clip(escapeTerminal(c.hosts.map((h) => `${h.host} (${h.requests})`).join(', ')), w)}`);
  if (c.culprits.length > 0) {
    out.push(`   culprit: ${clip(escapeTerminal(c.culprits.map((x) => `${x.kind} ${x.name} (${x.count})`).join(', ')), w)}`);
  }
  for (const ev of c.evidence.slice(0, 3)) {
    out.push(paint(o.color, '2', `   ${escapeTerminal(ev.why)} — ${escapeTerminal(ev.file)}:${ev.line}`));
    out.push(`     ${clip(escapeTerminal(ev.text.split('\n')[0] ?? ''), w)}`);
  }
  if (c.missingSources && c.missingSources.length > 0) {
    out.push(paint(o.color, '33', `   to confirm, also supply: ${escapeTerminal(c.missingSources.join(', '))}`));
  }
  // fix notes and directive values quote log-derived names (script paths, process names, sockets)
  out.push(paint(o.color, '32', `   fix: ${escapeTerminal(c.fix.summary)}`));
  for (const d of c.fix.directives) {
    const change = d.current !== undefined && d.current.value !== d.to ? `${d.set}: ${d.current.value} → ${d.to}` : `${d.set} = ${d.to}`;
    out.push(escapeTerminal(`     ${change}   (${d.file})${d.why ? ` — ${d.why}` : ''}`));
  }
  return out;
}

const LAYER_SHORT: Record<Layer, string> = { edge: 'edge', web: 'web', fpm: 'FPM', app: 'app', dep: 'dependency', os: 'OS' };

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per interval: blank for none, then eight heights relative to the peak. Intervals are summed
 * pairwise-and-more until the line fits `width`, so the sparkline never wraps.
 */
export function sparkline(values: readonly number[], width: number): { line: string; perChar: number } {
  const perChar = Math.max(1, Math.ceil(values.length / Math.max(1, width)));
  const sums: number[] = [];
  for (let i = 0; i < values.length; i += perChar) {
    let n = 0;
    for (let j = i; j < i + perChar && j < values.length; j++) n += values[j] ?? 0;
    sums.push(n);
  }
  const peak = Math.max(0, ...sums);
  const line = sums.map((n) => (n === 0 || peak === 0 ? ' ' : (SPARKS[Math.min(7, Math.ceil((n / peak) * 8) - 1)] ?? '█'))).join('');
  return { line, perChar };
}

function stepLabel(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

/** '2026-01-12T10:42:21.000+01:00' → '10:42:21', with the date when it differs from `day`. */
function clock(iso: string, day?: string): string {
  return day !== undefined && iso.slice(0, 10) === day ? iso.slice(11, 19) : short(iso);
}

/** The first screen: failing layer, who made the 5xx, blip or recurring, culprit, crawlers, the 5xx line. */
function answers(r: Report, o: TableOptions): string[] {
  const a = r.insights;
  const out: string[] = [];
  const w = Math.max(40, o.width - 4);
  const bullet = (text: string, code = '0'): void => {
    out.push(paint(o.color, code, `▸ ${text}`));
  };
  bullet(a.headline, '1');
  if (r.summary.errors5xx > 0) {
    out.push(
      '  layers, proxy → system: ' +
        a.layers
          .map((l) => (l.failed ? paint(o.color, '31', `✗ ${LAYER_SHORT[l.layer]}${l.errors5xx > 0 ? ` ${l.errors5xx}` : ''}`) : paint(o.color, '2', `✓ ${LAYER_SHORT[l.layer]}`)))
          .join(' · '),
    );
    bullet(a.origin.summary);
  }
  if (a.pattern !== 'none') bullet(a.patternSummary, a.pattern === 'recurring' ? '33' : '0');
  if (a.topCulprit) {
    const c = a.topCulprit;
    bullet(`Culprit: ${c.kind} ${clip(escapeTerminal(c.name), 60)} (named ${c.count}× by ${c.cause})`, '33');
  }
  if (a.crawlers.errors5xx > 0) {
    const per = a.crawlers.byCrawler
      .map((c) => `${c.crawler} ${c.errors5xx}×${c.recurring ? ' (repeatedly)' : ''} on ${clip(escapeTerminal(c.topPaths.map((p) => p.path).join(', ')), 48)}`)
      .join('; ');
    bullet(`Search engines saw ${a.crawlers.errors5xx} × 5xx: ${per}`);
  }
  const series = r.timeline.map((t) => t.errors5xx);
  if (series.some((n) => n > 0)) {
    const first = r.timeline[0];
    const last = r.timeline[r.timeline.length - 1];
    const { line, perChar } = sparkline(series, Math.max(20, o.width - 40));
    out.push(
      `  5xx per ${stepLabel(r.timelineStepSeconds * perChar)}: ${first ? short(first.t) : ''} ${paint(o.color, '31', `▕${line}▏`)} ${last ? short(last.t) : ''}`,
    );
  }
  if (a.incidents.length > 1 || (a.incidents[0]?.errors5xx ?? 0) > 1) {
    out.push('  incidents:');
    const shown = [...a.incidents].sort((x, y) => y.errors5xx - x.errors5xx).slice(0, 5).sort((x, y) => (x.from < y.from ? -1 : 1));
    for (const inc of shown) {
      const causes = inc.causes.map((c) => `${c.id} ${c.count}`).join(', ');
      const when = inc.from === inc.to ? short(inc.from) : `${short(inc.from)}–${clock(inc.to, inc.from.slice(0, 10))}`;
      out.push(clip(`    ${when}  ${inc.errors5xx}× 5xx, peak ${inc.peakPerMinute}/min, ${inc.pattern}: ${causes}`, w));
      out.push(paint(o.color, '2', `      ${inc.traffic.summary}`));
      const tc = inc.traffic.topClient;
      if (tc) out.push(paint(o.color, '2', clip(`      that client: ${escapeTerminal(tc.client)}${tc.userAgent ? ` — ${escapeTerminal(tc.userAgent)}` : ''}`, w)));
    }
    if (a.incidents.length > shown.length) out.push(`    … ${a.incidents.length - shown.length} smaller incidents in the JSON/HTML report`);
  }
  return out;
}

/** The causes grouped per machine (syslog/journald hosts, or --host of merged digests). */
function byHost(r: Report, o: TableOptions): string[] {
  if (r.hosts.length === 0) return [];
  const out = ['', paint(o.color, '1', 'By host')];
  const w = Math.max(40, o.width - 4);
  for (const h of r.hosts) {
    const causes = h.causes.map((c) => `${c.id} ${c.requests}`);
    if (h.unexplained > 0) causes.push(`unexplained ${h.unexplained}`);
    out.push(clip(`  ${escapeTerminal(h.host)}: ${h.errors5xx}× 5xx${causes.length > 0 ? ` — ${causes.join(', ')}` : ''}`, w));
  }
  return out;
}

export function renderTable(r: Report, o: TableOptions): string {
  const lines: string[] = [];
  const s = r.summary;
  const when = r.window.from ? `${short(r.window.from)} → ${short(r.window.to)}` : 'no timestamps';
  lines.push(
    paint(o.color, '1', 'logsleuth') +
      ` — ${s.errors5xx} of ${s.requests} requests failed with 5xx (${when}, times in ${r.timezoneAssumed})` +
      (r.partial ? paint(o.color, '33', '  PARTIAL: interrupted, only what was read') : ''),
  );
  lines.push(...answers(r, o));
  lines.push('');
  if (r.causes.length === 0) {
    lines.push(s.errors5xx === 0 ? 'No root cause found: no 5xx and no failure signals in these logs.' : 'No root cause could be established for these 5xx.');
  } else {
    const table = new Table({
      head: ['#', 'cause', 'layer', 'conf', '5xx', 'first → last', 'top path'],
      style: o.color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
      wordWrap: true,
    });
    for (const c of r.causes) {
      table.push([
        String(c.rank),
        c.id,
        c.layer,
        pct(c.confidence),
        statusList(c.byStatus) || '0',
        `${short(c.firstSeen)} → ${short(c.lastSeen)}`,
        clip(escapeTerminal(c.topPaths[0]?.path ?? '–'), 32),
      ]);
    }
    lines.push(table.toString());
    for (const c of r.causes) {
      lines.push('');
      lines.push(...causeDetails(c, o));
    }
  }
  lines.push(...byHost(r, o));
  if (r.unexplained.count > 0) {
    lines.push('');
    lines.push(
      `Unexplained: ${r.unexplained.count} 5xx (${statusList(r.unexplained.byStatus)}), top paths: ` +
        clip(escapeTerminal(r.unexplained.topPaths.map((p) => `${p.path} (${p.count})`).join(', ')), Math.max(40, o.width - 40)),
    );
  }
  if (r.statusMeanings.length > 0) {
    lines.push('');
    lines.push(paint(o.color, '1', 'What the codes mean here'));
    for (const m of r.statusMeanings) lines.push(`  ${m.status}  ${m.meaning}`);
  }
  lines.push('');
  lines.push(paint(o.color, '1', 'Inputs'));
  for (const i of r.inputs) {
    const un = i.unrecognized > 0 ? `, ${i.unrecognized} unrecognised` : '';
    lines.push(`  ${escapeTerminal(i.path)}: ${i.format}${i.gzip ? ' (gzip)' : ''}, ${i.lines} lines, ${i.records} records${un}`);
    for (const p of i.problems) lines.push(paint(o.color, '33', `    ! ${escapeTerminal(p)}`));
    for (const u of i.unrecognizedSamples.slice(0, 2)) lines.push(`    line ${u.line}: ${clip(escapeTerminal(u.text), Math.max(30, o.width - 20))}`);
  }
  return `${lines.join('\n')}\n`;
}
