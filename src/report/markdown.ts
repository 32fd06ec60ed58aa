// Markdown for tickets and chat: log-derived strings only ever inside code spans or fenced blocks.
import { clip, markdownBlock, markdownCode, markdownText } from './escape.js';
import type { CauseReport, Report } from './schema.js';

function statuses(byStatus: Record<string, number>): string {
  return Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');
}

function cause(c: CauseReport): string[] {
  const out: string[] = [];
  out.push(`### ${c.rank}. ${c.title} (\`${c.id}\`${c.variant ? `, ${markdownText(c.variant)}` : ''})`);
  out.push('');
  out.push(`- **Layer:** ${c.layer} · **confidence:** ${Math.round(c.confidence * 100)}% · **requests:** ${c.affectedRequests} (${statuses(c.byStatus) || 'none in the access log'})`);
  out.push(`- **Seen:** ${c.firstSeen ?? '–'} → ${c.lastSeen ?? '–'}, ${c.episodes.length} episode(s)`);
  if (c.topPaths.length > 0) out.push(`- **Top paths:** ${c.topPaths.map((p) => `${markdownCode(p.path)} (${p.count})`).join(', ')}`);
  if (c.upstreams.length > 0) out.push(`- **Upstream:** ${c.upstreams.map(markdownCode).join(', ')}`);
  if (c.hosts.length > 0) out.push(`- **Hosts:** ${c.hosts.map((h) => `${markdownCode(h.host)} (${h.requests})`).join(', ')}`);
  if (c.culprits.length > 0) out.push(`- **Culprit:** ${c.culprits.map((x) => `${markdownText(x.kind)} ${markdownCode(x.name)} (${x.count})`).join(', ')}`);
  if (c.missingSources?.length) out.push(`- **To confirm, also supply:** ${markdownText(c.missingSources.join(', '))}`);
  out.push('');
  // fix notes and directive values quote log-derived names (script paths, process names, sockets)
  out.push(`**Fix:** ${markdownText(c.fix.summary)}`);
  for (const d of c.fix.directives) {
    const now = d.current !== undefined && d.current.value !== d.to ? ` (now ${markdownCode(d.current.value)})` : '';
    out.push(`- ${markdownCode(`${d.set} = ${d.to}`)}${now} in ${markdownText(d.file)}${d.why ? ` — ${markdownText(d.why)}` : ''}`);
  }
  if (c.evidence.length > 0) {
    out.push('');
    out.push('**Evidence**');
    out.push('');
    for (const e of c.evidence) {
      out.push(`- ${markdownText(e.why)}${e.via ? ` (${markdownText(e.via)})` : ''}: ${markdownCode(`${e.file}:${e.line}`)}`);
    }
    out.push('');
    out.push(markdownBlock(c.evidence.map((e) => clip(e.text.split('\n')[0] ?? '', 500))));
  }
  out.push('');
  return out;
}

/** A code span for a GFM table cell: a '|' would end the cell even inside backticks. */
function cellCode(s: string): string {
  return markdownCode(s).replace(/\|/g, '\\|');
}

/** Our own sentences name nginx variables; as code they cannot pair up into GitHub's $…$ math. */
function ours(s: string): string {
  return s.replace(/\$[a-z_]+/g, (v) => `\`${v}\``);
}

/** The operator's answers: failing layer, origin of the 5xx, pattern, incidents, crawlers, culprit. */
function answers(r: Report): string[] {
  const a = r.insights;
  const out: string[] = ['## Answers', ''];
  out.push(`**${a.headline}**`);
  out.push('');
  if (r.summary.errors5xx > 0) {
    out.push(`- **Layers, proxy → system:** ${a.layers.map((l) => `${l.failed ? '✗' : '✓'} ${l.label}${l.errors5xx > 0 ? ` (${l.errors5xx})` : ''}`).join(' · ')}`);
    out.push(`- **Who made the 5xx:** ${ours(a.origin.summary)}`);
  }
  if (a.pattern !== 'none') out.push(`- **Pattern:** ${a.patternSummary}`);
  if (a.topCulprit) {
    out.push(`- **Culprit:** ${a.topCulprit.kind} ${markdownCode(a.topCulprit.name)}, named ${a.topCulprit.count}× by \`${a.topCulprit.cause}\``);
  }
  out.push(`- **Search engines:** ${a.crawlers.summary}`);
  out.push('');
  if (a.incidents.length > 0) {
    out.push('### Incidents');
    out.push('');
    out.push('| from | to | 5xx | peak/min | pattern | causes | traffic |');
    out.push('|---|---|---|---|---|---|---|');
    for (const inc of a.incidents) {
      const tc = inc.traffic.topClient;
      const client = tc ? ` Client: ${cellCode(tc.client)}${tc.userAgent ? ` ${cellCode(clip(tc.userAgent, 120))}` : ''}.` : '';
      out.push(
        `| ${inc.from} | ${inc.to} | ${inc.errors5xx} | ${inc.peakPerMinute} | ${inc.pattern}${inc.recurrence !== undefined ? ` (${a.recurrences[inc.recurrence]?.atLocalTime ?? 'periodic'})` : ''} | ` +
          `${inc.causes.map((c) => `\`${c.id}\` ${c.count}`).join(', ')} | ${inc.traffic.summary}${client} |`,
      );
    }
    out.push('');
  }
  if (a.crawlers.byCrawler.length > 0) {
    out.push('### Crawler impact');
    out.push('');
    out.push('| crawler | 5xx | statuses | paths | incidents | recurring |');
    out.push('|---|---|---|---|---|---|');
    for (const c of a.crawlers.byCrawler) {
      out.push(
        `| ${c.crawler} | ${c.errors5xx} | ${statuses(c.byStatus)} | ${c.topPaths.map((p) => `${cellCode(p.path)} (${p.count})`).join(', ')} | ${c.incidents} | ${c.recurring ? 'yes' : 'no'} |`,
      );
    }
    out.push('');
  }
  return out;
}

export function renderMarkdown(r: Report): string {
  const s = r.summary;
  const out: string[] = [];
  out.push('# logsleuth report');
  out.push('');
  out.push(`${s.errors5xx} of ${s.requests} requests failed with 5xx between ${r.window.from ?? '–'} and ${r.window.to ?? '–'} (times in ${r.timezoneAssumed}).${r.partial ? ' **Partial report: the run was interrupted.**' : ''}`);
  out.push('');
  out.push(...answers(r));
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
  if (r.hosts.length > 0) {
    out.push('## By host');
    out.push('');
    for (const h of r.hosts) {
      const causes = h.causes.map((c) => `\`${c.id}\` ${c.requests}`);
      if (h.unexplained > 0) causes.push(`unexplained ${h.unexplained}`);
      out.push(`- ${markdownCode(h.host)}: ${h.errors5xx} 5xx${causes.length > 0 ? ` — ${causes.join(', ')}` : ''}`);
    }
    out.push('');
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
