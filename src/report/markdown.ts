// Markdown for tickets and chat: log-derived strings only ever inside code spans or fenced blocks.
import { clip, markdownBlock, markdownCode } from './escape.js';
import type { CauseReport, Report } from './schema.js';

function statuses(byStatus: Record<string, number>): string {
  return Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');
}

function cause(c: CauseReport): string[] {
  const out: string[] = [];
  out.push(`### ${c.rank}. ${c.title} (\`${c.id}\`${c.variant ? `, ${c.variant}` : ''})`);
  out.push('');
  out.push(`- **Layer:** ${c.layer} · **confidence:** ${Math.round(c.confidence * 100)}% · **requests:** ${c.affectedRequests} (${statuses(c.byStatus) || 'none in the access log'})`);
  out.push(`- **Seen:** ${c.firstSeen ?? '–'} → ${c.lastSeen ?? '–'}, ${c.episodes.length} episode(s)`);
  if (c.topPaths.length > 0) out.push(`- **Top paths:** ${c.topPaths.map((p) => `${markdownCode(p.path)} (${p.count})`).join(', ')}`);
  if (c.upstreams.length > 0) out.push(`- **Upstream:** ${c.upstreams.map(markdownCode).join(', ')}`);
  if (c.culprits.length > 0) out.push(`- **Culprit:** ${c.culprits.map((x) => `${x.kind} ${markdownCode(x.name)} (${x.count})`).join(', ')}`);
  if (c.missingSources?.length) out.push(`- **To confirm, also supply:** ${c.missingSources.join(', ')}`);
  out.push('');
  out.push(`**Fix:** ${c.fix.summary}`);
  for (const d of c.fix.directives) out.push(`- \`${d.set} = ${d.to}\` in ${d.file}${d.why ? ` — ${d.why}` : ''}`);
  if (c.evidence.length > 0) {
    out.push('');
    out.push('**Evidence**');
    out.push('');
    for (const e of c.evidence) {
      out.push(`- ${e.why}${e.via ? ` (${e.via})` : ''}: ${markdownCode(`${e.file}:${e.line}`)}`);
    }
    out.push('');
    out.push(markdownBlock(c.evidence.map((e) => clip(e.text.split('\n')[0] ?? '', 500))));
  }
  out.push('');
  return out;
}

export function renderMarkdown(r: Report): string {
  const s = r.summary;
  const out: string[] = [];
  out.push('# logsleuth report');
  out.push('');
  out.push(`${s.errors5xx} of ${s.requests} requests failed with 5xx between ${r.window.from ?? '–'} and ${r.window.to ?? '–'} (times in ${r.timezoneAssumed}).${r.partial ? ' **Partial report: the run was interrupted.**' : ''}`);
  out.push('');
  if (r.causes.length === 0) {
    out.push('No root cause found.');
    out.push('');
  } else {
    out.push('| # | cause | layer | confidence | requests | first seen | last seen |');
    out.push('|---|---|---|---|---|---|---|');
    for (const c of r.causes) {
      out.push(`| ${c.rank} | \`${c.id}\` | ${c.layer} | ${Math.round(c.confidence * 100)}% | ${c.affectedRequests} | ${c.firstSeen ?? '–'} | ${c.lastSeen ?? '–'} |`);
    }
    out.push('');
    out.push('## Causes');
    out.push('');
    for (const c of r.causes) out.push(...cause(c));
  }
  if (r.unexplained.count > 0) {
    out.push(`## Unexplained`);
    out.push('');
    out.push(`${r.unexplained.count} 5xx (${statuses(r.unexplained.byStatus)}); top paths: ${r.unexplained.topPaths.map((p) => `${markdownCode(p.path)} (${p.count})`).join(', ')}`);
    out.push('');
  }
  if (r.statusMeanings.length > 0) {
    out.push('## What the codes mean here');
    out.push('');
    for (const m of r.statusMeanings) out.push(`- **${m.status}**: ${m.meaning}`);
    out.push('');
  }
  out.push('## Inputs');
  out.push('');
  for (const i of r.inputs) {
    out.push(`- ${markdownCode(i.path)}: ${i.format}, ${i.lines} lines, ${i.records} records, ${i.unrecognized} unrecognised${i.problems.length ? ` — ${i.problems.map(markdownCode).join('; ')}` : ''}`);
  }
  out.push('');
  return out.join('\n');
}
