// Every string that came from a log is attacker-controlled (request paths, user agents, header values).
// It passes through here before it reaches a terminal, an HTML page or a Markdown file.

// C0 controls, DEL, C1 controls (0x9B is a one-byte CSI on some terminals), and the bidi / invisible
// formatting characters that can make a line read differently from what it is ("Trojan Source").
// eslint-disable-next-line no-control-regex
const UNSAFE_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 9) return '\\t';
  if (code === 10) return '\\n';
  if (code === 13) return '\\r';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Terminal-safe: control and formatting characters become visible escapes (ESC → '\x1b'). */
export function escapeTerminal(s: string): string {
  return s.replace(UNSAFE_TERMINAL, visible);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML text and attribute safe; control characters made visible as in the terminal. */
export function escapeHtml(s: string): string {
  return escapeTerminal(s).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** Inline Markdown code span that no content can break out of. */
export function markdownCode(s: string): string {
  const safe = escapeTerminal(s);
  let longest = 0;
  for (const m of safe.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') || safe === '' ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/** A fenced Markdown block for evidence lines. */
export function markdownBlock(lines: readonly string[]): string {
  const safe = lines.map(escapeTerminal);
  let longest = 2;
  for (const l of safe) for (const m of l.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${safe.join('\n')}\n${fence}`;
}

/** Plain Markdown text (our own words mixed with log-derived names): inline syntax and HTML neutralised. */
export function markdownText(s: string): string {
  return escapeTerminal(s).replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** Cut to `max` characters with an ellipsis (after escaping, so an escape is never split). */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}
