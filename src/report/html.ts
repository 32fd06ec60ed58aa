// The HTML report: one self-contained file (inline CSS and SVG, no script, no request to anywhere) that
// can be attached to a ticket or opened from a mail. Every interpolated string goes through h() —
// log-derived or not — so no path, user agent or evidence line can become markup.
import { escapeHtml } from './escape.js';
import type { CauseReport, IncidentReport, Insights, Report } from './schema.js';

const h = escapeHtml;

/** Colours for causes in rank order; 'unexplained' is always grey. Chosen to stay apart for colour-blind readers. */
const PALETTE = ['#d62728', '#1f77b4', '#ff7f0e', '#9467bd', '#2ca02c', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#393b79'];
const UNEXPLAINED = 'unexplained';
const GREY = '#9aa0a6';

function colourMap(r: Report): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of r.causes) if (!m.has(c.id)) m.set(c.id, PALETTE[m.size % PALETTE.length] ?? GREY);
  // causes cut by --top still appear in the timeline
  for (const row of r.timeline) for (const id of Object.keys(row.byCause)) if (id !== UNEXPLAINED && !m.has(id)) m.set(id, PALETTE[m.size % PALETTE.length] ?? GREY);
  m.set(UNEXPLAINED, GREY);
  return m;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** '2026-01-12T10:42:21.000+01:00' → '2026-01-12 10:42:21' */
function when(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : '–';
}

function statuses(byStatus: Record<string, number>): string {
  return Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');
}

function stepLabel(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

/** A readable axis step: the smallest "round" interval that gives at most ~8 ticks. */
function tickStep(spanMs: number): number {
  const steps = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);
  for (const s of steps) if (spanMs / s <= 8) return s;
  return 10080 * 60_000;
}

// ------------------------------------------------------------------------------------------------ timeline

const W = 1000;
const LEFT = 56;
const RIGHT = 24;
const TOP_H = 80;
const GAP = 26;
const BOT_H = 150;
const AXIS = 34;
const PLOT_W = W - LEFT - RIGHT;

function timelineSvg(r: Report, colours: Map<string, string>): string {
  const rows = r.timeline;
  if (rows.length === 0) return '<p class="muted">No timed requests: nothing to chart.</p>';
  const step = r.timelineStepSeconds * 1000;
  const t0 = Date.parse(rows[0]?.t ?? '');
  const n = rows.length;
  const bw = PLOT_W / n;
  const x = (t: number): number => LEFT + ((t - t0) / step) * bw;
  const maxReq = Math.max(1, ...rows.map((row) => row.requests));
  const max5xx = Math.max(1, ...rows.map((row) => row.errors5xx));
  const topY = 22;
  const botY = topY + TOP_H + GAP;
  const height = botY + BOT_H + AXIS;
  const label = stepLabel(r.timelineStepSeconds);
  const order = [...colours.keys()];
  const parts: string[] = [];

  parts.push(
    `<svg id="timeline" class="timeline" viewBox="0 0 ${W} ${height}" role="img" ` +
      `aria-label="${h(`Requests and 5xx per ${label}, stacked by cause`)}">`,
  );
  // incidents first, so the bars draw over the bands
  r.insights.incidents.forEach((inc, i) => {
    // snapped to whole intervals so the band covers exactly the bars of its 5xx
    const snap = (t: number): number => t0 + Math.floor((t - t0) / step) * step;
    const a = x(snap(Date.parse(inc.from)));
    const b = x(snap(Date.parse(inc.to)) + step);
    const w = Math.max(3, b - a);
    parts.push(
      `<a href="#incident-${i + 1}"><g class="episode ${inc.pattern}"><title>${h(`Incident ${i + 1}: ${when(inc.from)} – ${when(inc.to)}, ${inc.errors5xx} × 5xx (${inc.pattern})`)}</title>` +
        `<rect x="${a.toFixed(1)}" y="${topY}" width="${w.toFixed(1)}" height="${botY + BOT_H - topY}"/>` +
        `<text x="${(a + w / 2).toFixed(1)}" y="${topY - 7}" text-anchor="middle">${i + 1}</text></g></a>`,
    );
  });
  // panel frames and y labels
  const vertical = (y: number, hgt: number, text: string): string =>
    `<text class="axis-title" transform="translate(14 ${(y + hgt / 2).toFixed(1)}) rotate(-90)" text-anchor="middle">${h(text)}</text>`;
  parts.push(vertical(topY, TOP_H, 'requests'));
  parts.push(vertical(botY, BOT_H, '5xx by cause'));
  parts.push(`<line class="base" x1="${LEFT}" x2="${W - RIGHT}" y1="${topY + TOP_H}" y2="${topY + TOP_H}"/>`);
  parts.push(`<line class="base" x1="${LEFT}" x2="${W - RIGHT}" y1="${botY + BOT_H}" y2="${botY + BOT_H}"/>`);
  parts.push(`<text class="tick" x="${LEFT - 6}" y="${topY + 10}" text-anchor="end">${maxReq}</text>`);
  parts.push(`<text class="tick" x="${LEFT - 6}" y="${botY + 10}" text-anchor="end">${max5xx}</text>`);
  parts.push(`<text class="tick" x="${LEFT - 6}" y="${botY + BOT_H}" text-anchor="end">0</text>`);

  rows.forEach((row, i) => {
    const bx = (LEFT + i * bw).toFixed(2);
    const w = Math.max(0.6, bw - (bw > 3 ? 0.6 : 0)).toFixed(2);
    const tip = `${when(row.t)} — ${row.requests} requests, ${row.errors5xx} × 5xx` + (row.errors5xx > 0 ? `: ${Object.entries(row.byCause).map(([c, k]) => `${c} ${k}`).join(', ')}` : '');
    const rh = (row.requests / maxReq) * TOP_H;
    parts.push(`<g><title>${h(tip)}</title>`);
    if (row.requests > 0) parts.push(`<rect class="bar-req" x="${bx}" y="${(topY + TOP_H - rh).toFixed(2)}" width="${w}" height="${rh.toFixed(2)}"/>`);
    let y = botY + BOT_H;
    const causes = Object.entries(row.byCause).sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    for (const [cause, k] of causes) {
      const ch = (k / max5xx) * BOT_H;
      y -= ch;
      parts.push(`<rect class="bar-5xx" data-cause="${h(cause)}" x="${bx}" y="${y.toFixed(2)}" width="${w}" height="${ch.toFixed(2)}" fill="${colours.get(cause) ?? GREY}"/>`);
    }
    // 5xx the digest counted but could not keep in full (over the cap) still show, uncoloured
    const rest = row.errors5xx - causes.reduce((s, [, k]) => s + k, 0);
    if (rest > 0) {
      const ch = (rest / max5xx) * BOT_H;
      parts.push(`<rect class="bar-5xx" data-cause="uncounted" x="${bx}" y="${(y - ch).toFixed(2)}" width="${w}" height="${ch.toFixed(2)}" fill="${GREY}"/>`);
    }
    parts.push('</g>');
  });

  // x axis: round local times; the offset of the first row stands for the window (DST shifts are rare here)
  const tzOffset = (rows[0]?.t ?? '').slice(23);
  const offMin = /^[+-]\d\d:\d\d$/.test(tzOffset) ? (tzOffset.startsWith('-') ? -1 : 1) * (Number(tzOffset.slice(1, 3)) * 60 + Number(tzOffset.slice(4, 6))) : 0;
  const t1 = t0 + n * step;
  const ts = tickStep(t1 - t0);
  const multiDay = t1 - t0 > 86_400_000;
  for (let local = Math.ceil((t0 + offMin * 60_000) / ts) * ts; local - offMin * 60_000 <= t1; local += ts) {
    const t = local - offMin * 60_000;
    const tx = x(t);
    if (tx < LEFT - 0.5 || tx > W - RIGHT + 0.5) continue;
    const d = new Date(local);
    const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const text = multiDay ? `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')} ${hhmm}` : hhmm;
    parts.push(`<line class="grid" x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${topY}" y2="${botY + BOT_H + 4}"/>`);
    parts.push(`<text class="tick" x="${tx.toFixed(1)}" y="${botY + BOT_H + 18}" text-anchor="middle">${h(text)}</text>`);
  }
  parts.push('</svg>');

  const present = new Set<string>();
  for (const row of rows) for (const c of Object.keys(row.byCause)) present.add(c);
  const legend = order
    .filter((c) => present.has(c))
    .map((c) => `<li><span class="swatch" style="background:${colours.get(c) ?? GREY}"></span>${h(c)}</li>`)
    .join('');
  return (
    `<figure class="chart">${parts.join('')}<figcaption><ul class="legend">${legend}` +
    `<li><span class="swatch band"></span>incident (numbers as in the table below)</li></ul>` +
    `<p class="muted">${h(`One bar per ${label}; times in ${r.timezoneAssumed}.`)}</p></figcaption></figure>`
  );
}

// ------------------------------------------------------------------------------------------------ sections

function answers(r: Report): string {
  const a: Insights = r.insights;
  const out: string[] = [];
  out.push(`<p class="headline ${a.failingLayer ? 'failed' : 'ok'}">${h(a.headline)}</p>`);
  if (r.summary.errors5xx > 0 || r.causes.length > 0) {
    out.push('<ol class="layers" aria-label="layers, from proxy to system">');
    for (const l of a.layers) {
      out.push(
        `<li class="${l.failed ? 'failed' : 'ok'}${l.layer === a.failingLayer ? ' primary' : ''}"><span class="mark">${l.failed ? '✗' : '✓'}</span>` +
          `<span class="name">${h(l.label)}</span>` +
          `<span class="count">${l.failed ? h(l.errors5xx > 0 ? `${l.errors5xx} × 5xx` : 'signals only') : 'no cause'}</span>` +
          (l.causes.length > 0 ? `<span class="ids">${l.causes.map((c) => `<code>${h(c)}</code>`).join(' ')}</span>` : '') +
          '</li>',
      );
    }
    out.push('</ol>');
  }
  out.push('<ul class="facts">');
  if (r.summary.errors5xx > 0) out.push(`<li><b>Who made the 5xx</b> ${h(a.origin.summary)}</li>`);
  if (a.pattern !== 'none') out.push(`<li class="${a.pattern}"><b>Pattern</b> ${h(a.patternSummary)}</li>`);
  if (a.topCulprit) {
    out.push(
      `<li class="culprit"><b>Culprit</b> ${h(a.topCulprit.kind)} <code>${h(a.topCulprit.name)}</code> — named ${a.topCulprit.count}× by <code>${h(a.topCulprit.cause)}</code></li>`,
    );
  }
  out.push(`<li><b>Search engines</b> ${h(a.crawlers.summary)}</li>`);
  out.push('</ul>');
  return out.join('');
}

function kpis(r: Report): string {
  const s = r.summary;
  const items: [string, string][] = [
    ['requests', String(s.requests)],
    ['5xx', String(s.errors5xx)],
    ['explained', s.errors5xx > 0 ? pct(s.explained5xx / s.errors5xx) : '–'],
    ['causes', String(r.causes.length)],
    ['incidents', String(r.insights.incidents.length)],
  ];
  if (s.hiddenUpstreamFailures > 0) items.push(['hidden upstream failures', String(s.hiddenUpstreamFailures)]);
  return `<dl class="kpis">${items.map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`).join('')}</dl>`;
}

function incidentRow(inc: IncidentReport, i: number, r: Report, colours: Map<string, string>): string {
  const rec = inc.recurrence !== undefined ? r.insights.recurrences[inc.recurrence] : undefined;
  const pattern = rec ? `recurring (${rec.kind === 'daily' ? `daily, ~${rec.atLocalTime}` : `every ${Math.round((rec.everySeconds ?? 0) / 60)} min`})` : inc.pattern;
  const causes = inc.causes
    .map((c) => `<span class="chip"><span class="swatch" style="background:${colours.get(c.id) ?? GREY}"></span>${h(c.id)} ${c.count}</span>`)
    .join(' ');
  const tc = inc.traffic.topClient;
  const client = tc ? `<div class="client">client <code>${h(tc.client)}</code>${tc.userAgent ? ` <code class="ua">${h(tc.userAgent)}</code>` : ''}</div>` : '';
  return (
    `<tr id="incident-${i + 1}" class="${inc.pattern}"><td>${i + 1}</td><td>${h(when(inc.from))}</td><td>${h(when(inc.to))}</td>` +
    `<td class="num">${inc.errors5xx}</td><td>${h(statuses(inc.byStatus))}</td><td class="num">${inc.peakPerMinute}</td>` +
    `<td>${h(pattern)}</td><td>${causes}</td><td>${h(inc.traffic.summary)}${client}</td></tr>`
  );
}

function incidents(r: Report, colours: Map<string, string>): string {
  const list = r.insights.incidents;
  if (list.length === 0) return '';
  const rec = r.insights.recurrences.map((x) => `<p class="recurring">${h(x.summary)}</p>`).join('');
  return (
    `<section id="incidents"><h2>Incidents</h2>${rec}<div class="scroll"><table><thead><tr><th>#</th><th>from</th><th>to</th><th>5xx</th><th>statuses</th>` +
    `<th>peak/min</th><th>pattern</th><th>causes</th><th>traffic</th></tr></thead><tbody>` +
    list.map((inc, i) => incidentRow(inc, i, r, colours)).join('') +
    '</tbody></table></div></section>'
  );
}

function crawlers(r: Report): string {
  const c = r.insights.crawlers;
  if (c.byCrawler.length === 0) return '';
  const rows = c.byCrawler
    .map(
      (x) =>
        `<tr><td>${h(x.crawler)}</td><td class="num">${x.errors5xx}</td><td>${h(statuses(x.byStatus))}</td>` +
        `<td>${x.topPaths.map((p) => `<code>${h(p.path)}</code> (${p.count})`).join('<br>')}</td>` +
        `<td>${h(when(x.firstSeen))} – ${h(when(x.lastSeen))}</td><td class="num">${x.incidents}</td><td>${x.recurring ? 'yes' : 'no'}</td></tr>`,
    )
    .join('');
  return (
    `<section id="crawlers"><h2>Crawler impact</h2><p>${h(c.summary)}</p><div class="scroll"><table><thead><tr><th>crawler</th><th>5xx</th>` +
    `<th>statuses</th><th>paths</th><th>seen</th><th>incidents</th><th>recurring</th></tr></thead><tbody>${rows}</tbody></table></div></section>`
  );
}

function evidenceText(text: string): string {
  // one escaped line per physical line: escapeHtml would show a newline as '\n'
  return text.split('\n').map(h).join('\n');
}

function card(c: CauseReport, colour: string): string {
  const out: string[] = [];
  out.push(`<article class="cause" id="cause-${c.rank}" style="--cause:${colour}">`);
  out.push(
    `<header><span class="rank">#${c.rank}</span><h3>${h(c.title)}</h3><code class="id">${h(c.id)}${c.variant ? ` · ${h(c.variant)}` : ''}</code></header>`,
  );
  out.push('<div class="meta">');
  out.push(`<span class="chip layer">${h(c.layer)}</span>`);
  out.push(
    `<span class="chip conf" title="confidence"><span class="meter"><span style="width:${Math.round(c.confidence * 100)}%"></span></span>${pct(c.confidence)}</span>`,
  );
  out.push(`<span class="chip">${c.affectedRequests > 0 ? h(statuses(c.byStatus)) : 'no 5xx of its own'}</span>`);
  out.push(`<span class="chip">${h(when(c.firstSeen))} → ${h(when(c.lastSeen))}</span>`);
  if (c.episodes.length > 0) out.push(`<span class="chip">${c.episodes.length} episode${c.episodes.length > 1 ? 's' : ''}</span>`);
  out.push('</div>');
  const dl: string[] = [];
  if (c.topPaths.length > 0) dl.push(`<dt>top paths</dt><dd>${c.topPaths.map((p) => `<code>${h(p.path)}</code> (${p.count})`).join('<br>')}</dd>`);
  if (c.upstreams.length > 0) dl.push(`<dt>upstream</dt><dd>${c.upstreams.map((u) => `<code>${h(u)}</code>`).join('<br>')}</dd>`);
  if (c.culprits.length > 0) {
    dl.push(`<dt>culprit</dt><dd class="culprit">${c.culprits.map((x) => `${h(x.kind)} <code>${h(x.name)}</code> (${x.count})`).join('<br>')}</dd>`);
  }
  if (c.missingSources && c.missingSources.length > 0) dl.push(`<dt>to confirm, add</dt><dd>${h(c.missingSources.join(', '))}</dd>`);
  if (dl.length > 0) out.push(`<dl class="facts">${dl.join('')}</dl>`);
  out.push(`<div class="fix"><h4>Fix</h4><p>${h(c.fix.summary)}</p>`);
  if (c.fix.directives.length > 0) {
    out.push(
      '<table class="directives"><thead><tr><th>set</th><th>to</th><th>in</th><th>why</th></tr></thead><tbody>' +
        c.fix.directives.map((d) => `<tr><td><code>${h(d.set)}</code></td><td>${d.current !== undefined && d.current.value !== d.to ? `<del>${h(d.current.value)}</del> → ` : ''}<code>${h(d.to)}</code></td><td>${h(d.file)}</td><td>${h(d.why ?? '')}</td></tr>`).join('') +
        '</tbody></table>',
    );
  }
  out.push('</div>');
  if (c.evidence.length > 0) {
    out.push(`<details class="evidence" open><summary>Evidence (${c.evidence.length})</summary><ol>`);
    for (const e of c.evidence) {
      out.push(
        `<li><div class="src"><span class="why">${h(e.why)}</span>${e.via ? ` <span class="via">${h(e.via)}</span>` : ''} <code>${h(e.file)}:${e.line}</code></div>` +
          `<pre>${evidenceText(e.text)}</pre></li>`,
      );
    }
    out.push('</ol></details>');
  }
  out.push('</article>');
  return out.join('');
}

function causes(r: Report, colours: Map<string, string>): string {
  if (r.causes.length === 0) {
    return `<section id="causes"><h2>Causes</h2><p>${r.summary.errors5xx === 0 ? 'No root cause found: no 5xx and no failure signals in these logs.' : 'No root cause could be established for these 5xx.'}</p></section>`;
  }
  return `<section id="causes"><h2>Causes</h2><div class="cards">${r.causes.map((c) => card(c, colours.get(c.id) ?? GREY)).join('')}</div></section>`;
}

function unexplained(r: Report): string {
  const u = r.unexplained;
  if (u.count === 0) return '';
  return (
    `<section id="unexplained"><h2>Unexplained</h2><p>${u.count} × 5xx (${h(statuses(u.byStatus))}) that no log line explains. Top paths:</p>` +
    `<ul>${u.topPaths.map((p) => `<li><code>${h(p.path)}</code> (${p.count})</li>`).join('')}</ul></section>`
  );
}

/** Per-machine share of the 5xx, when the logs came from more than one host (syslog/journald or merge). */
function hosts(r: Report): string {
  if (r.hosts.length < 2) return '';
  return (
    '<section id="hosts"><h2>By host</h2><div class="scroll"><table><thead><tr><th>host</th><th>5xx</th><th>unexplained</th><th>causes</th></tr></thead><tbody>' +
    r.hosts
      .map((x) => `<tr><td><code>${h(x.host)}</code></td><td>${x.errors5xx}</td><td>${x.unexplained}</td><td>${x.causes.map((c) => `${h(c.id)} (${c.requests})`).join(', ')}</td></tr>`)
      .join('') +
    '</tbody></table></div></section>'
  );
}

function codes(r: Report): string {
  if (r.statusMeanings.length === 0) return '';
  return `<section id="codes"><h2>What the codes mean here</h2><dl class="codes">${r.statusMeanings.map((m) => `<dt>${m.status}</dt><dd>${h(m.meaning)}</dd>`).join('')}</dl></section>`;
}

function inputs(r: Report): string {
  const rows = r.inputs
    .map((i) => {
      const problems = i.problems.length > 0 ? `<ul class="problems">${i.problems.map((p) => `<li>${h(p)}</li>`).join('')}</ul>` : '';
      const samples = i.unrecognizedSamples.slice(0, 2).map((s) => `<pre>${h(`line ${s.line}: ${s.text}`)}</pre>`).join('');
      return (
        `<tr><td><code>${h(i.path)}</code>${problems}${samples}</td><td>${h(i.format)}${i.gzip ? ' (gzip)' : ''}</td>` +
        `<td class="num">${i.lines}</td><td class="num">${i.records}</td><td class="num">${i.unrecognized}</td><td>${h(when(i.from))} – ${h(when(i.to))}</td></tr>`
      );
    })
    .join('');
  return (
    '<section id="inputs"><h2>Inputs</h2><div class="scroll"><table><thead><tr><th>file</th><th>format</th><th>lines</th><th>records</th>' +
    `<th>unrecognised</th><th>covers</th></tr></thead><tbody>${rows}</tbody></table></div></section>`
  );
}

const CSS = `
:root{--fg:#1d2125;--muted:#5f6b76;--bg:#fff;--panel:#f5f7f9;--line:#d9dee3;--bad:#c62828;--ok:#2e7d32;--warn:#b26a00;--band:rgba(255,193,7,.22);--band-rec:rgba(156,39,176,.18);--req:#b8c4cf}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--muted:#9aa5b1;--bg:#15181b;--panel:#1e2226;--line:#343a40;--bad:#ef5350;--ok:#66bb6a;--warn:#ffb74d;--band:rgba(255,193,7,.16);--band-rec:rgba(206,147,216,.18);--req:#4a5560}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 12px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:17px;margin:0}h4{margin:12px 0 4px;font-size:14px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
code{background:var(--panel);padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
pre{background:var(--panel);padding:8px 10px;border-radius:6px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0 0}
.muted{color:var(--muted)}
.sub{color:var(--muted);margin:0}
.answers{background:var(--panel);border-radius:10px;padding:16px 20px;margin-top:18px;border-left:6px solid var(--bad)}
.answers.calm{border-left-color:var(--ok)}
.headline{font-size:18px;font-weight:600;margin:0 0 12px}
.layers{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;list-style:none;padding:0;margin:0 0 12px}
.layers li{display:flex;flex-direction:column;padding:6px 10px;border-radius:8px;border:1px solid var(--line);background:var(--bg)}
.layers li.failed{border-color:var(--bad)}.layers li.primary{box-shadow:0 0 0 2px var(--bad)}
.layers .mark{font-weight:700}.layers li.failed .mark{color:var(--bad)}.layers li.ok .mark{color:var(--ok)}
.layers .name{font-weight:600}.layers .count{font-size:13px;color:var(--muted)}.layers .ids code{font-size:11px}
.facts{margin:0;padding-left:18px}.facts li{margin:4px 0}.facts b{margin-right:6px}
li.recurring b,.recurring{color:var(--warn)}
.kpis{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0 0}
.kpis div{background:var(--panel);border-radius:8px;padding:8px 14px;min-width:110px}
.kpis dt{font-size:12px;color:var(--muted);text-transform:uppercase}.kpis dd{margin:0;font-size:22px;font-weight:600}
.chart{margin:0}.timeline{width:100%;height:auto;display:block}
.timeline .bar-req{fill:var(--req)}.timeline .base{stroke:var(--muted);stroke-width:1}
.timeline .grid{stroke:var(--line);stroke-width:1;stroke-dasharray:2 3}
.timeline text{fill:var(--muted);font-size:11px}.timeline .axis-title{font-size:12px;fill:var(--fg)}
.timeline .episode rect{fill:var(--band)}.timeline .episode.recurring rect{fill:var(--band-rec)}
.timeline .episode text{fill:var(--fg);font-weight:700;font-size:12px}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;list-style:none;padding:0;margin:8px 0 0;font-size:13px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.swatch.band{background:var(--band);outline:1px solid var(--line)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{font-size:12px;text-transform:uppercase;color:var(--muted);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.recurring td:first-child{border-left:3px solid var(--warn)}
.client{margin-top:4px;font-size:13px}.ua{font-size:12px}
.chip{white-space:nowrap;display:inline-flex;align-items:center;gap:4px;background:var(--panel);border:1px solid var(--line);border-radius:999px;padding:1px 9px;font-size:13px;margin:2px 4px 2px 0}
.cards{display:grid;gap:16px}
.cause{border:1px solid var(--line);border-left:6px solid var(--cause);border-radius:10px;padding:14px 18px;background:var(--bg)}
.cause header{display:flex;flex-wrap:wrap;align-items:baseline;gap:10px}
.cause .rank{font-size:20px;font-weight:700;color:var(--cause)}
.cause .meta{margin:8px 0}
.cause .chip.layer{font-weight:600}
.meter{display:inline-block;width:56px;height:6px;border-radius:3px;background:var(--line);overflow:hidden}
.meter span{display:block;height:100%;background:var(--cause)}
.cause dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:8px 0;padding:0}
.cause dl.facts dt{color:var(--muted)}.cause dl.facts dd{margin:0}
.culprit code{font-weight:700}
.fix{background:var(--panel);border-radius:8px;padding:4px 12px 10px;margin-top:10px}
.fix p{margin:4px 0 8px}
.evidence summary{cursor:pointer;font-weight:600;margin-top:10px}
.evidence ol{padding-left:20px}.evidence li{margin:8px 0}
.evidence .why{font-weight:600}.evidence .via{color:var(--muted)}
dl.codes{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px}dl.codes dt{font-weight:700}dl.codes dd{margin:0}
.problems{color:var(--warn);margin:4px 0;padding-left:18px}
footer{margin-top:40px;color:var(--muted);font-size:13px}
@media print{.evidence{break-inside:avoid}.cause{break-inside:avoid}}
`;

export function renderHtml(r: Report): string {
  const colours = colourMap(r);
  const s = r.summary;
  const title = `logsleuth — ${s.errors5xx} × 5xx of ${s.requests} requests`;
  const window = r.window.from ? `${when(r.window.from)} → ${when(r.window.to)}` : 'no timestamps';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // nothing in this file needs to load or run anything: the policy makes that a guarantee, not a habit
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${h(`logsleuth ${r.tool.version}`)}">`,
    `<title>${h(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body><main>',
    `<header><h1>logsleuth report</h1><p class="sub">${h(`${s.errors5xx} of ${s.requests} requests failed with 5xx · ${window} · times in ${r.timezoneAssumed}`)}` +
      `${r.partial ? ' · <b>partial: the run was interrupted</b>' : ''}</p></header>`,
    `<section class="answers${r.insights.failingLayer ? '' : ' calm'}" id="answers">${answers(r)}${kpis(r)}</section>`,
    `<section id="timeline-section"><h2>Timeline</h2>${timelineSvg(r, colours)}</section>`,
    incidents(r, colours),
    crawlers(r),
    causes(r, colours),
    hosts(r),
    unexplained(r),
    codes(r),
    inputs(r),
    `<footer>${h(`Generated by logsleuth ${r.tool.version}, report schema ${r.schemaVersion}. The same data as JSON: logsleuth --json.`)}</footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
