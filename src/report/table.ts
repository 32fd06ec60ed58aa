// The default terminal report: a ranked table (cli-table3), then the evidence and the fix per cause.
import Table from 'cli-table3';
import { clip, escapeTerminal } from './escape.js';
import type { CauseReport, Report } from './schema.js';

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
  out.push(paint(o.color, '1', `#${c.rank} ${c.title}`) + paint(o.color, '2', `  [${c.id}${c.variant ? `, ${c.variant}` : ''}]`));
  const eps = c.episodes;
  if (eps.length > 0) {
    const first = eps[0];
    out.push(
      `   when: ${eps.length} episode${eps.length > 1 ? 's' : ''}` +
        (first ? `, first ${short(first.from)} → ${short(first.to)} (${first.requests} req, peak ${first.peakPerMinute}/min)` : ''),
    );
  }
  if (c.upstreams.length > 0) out.push(`   upstream: ${clip(escapeTerminal(c.upstreams.join(', ')), w)}`);
  if (c.culprits.length > 0) {
    out.push(`   culprit: ${clip(escapeTerminal(c.culprits.map((x) => `${x.kind} ${x.name} (${x.count})`).join(', ')), w)}`);
  }
  for (const ev of c.evidence.slice(0, 3)) {
    out.push(paint(o.color, '2', `   ${ev.why} — ${escapeTerminal(ev.file)}:${ev.line}`));
    out.push(`     ${clip(escapeTerminal(ev.text.split('\n')[0] ?? ''), w)}`);
  }
  if (c.missingSources && c.missingSources.length > 0) {
    out.push(paint(o.color, '33', `   to confirm, also supply: ${c.missingSources.join(', ')}`));
  }
  out.push(paint(o.color, '32', `   fix: ${c.fix.summary}`));
  for (const d of c.fix.directives) out.push(`     ${d.set} = ${d.to}   (${d.file})${d.why ? ` — ${d.why}` : ''}`);
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
