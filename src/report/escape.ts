// Every string that came from a log is attacker-controlled (request paths, user agents, header values).
// It passes through here before it reaches a terminal, an HTML page or a Markdown file.

// C0 controls, DEL, C1 controls (0x9B is a one-byte CSI on some terminals), and the bidi / invisible
// formatting characters that can make a line read differently from what it is ("Trojan Source"): the soft
// hyphen, the Arabic letter mark, zero-width and bidi marks, line/paragraph separators, the isolates, the
// BOM, interlinear annotations and the Unicode tag block (invisible "ASCII smuggling" text).
// eslint-disable-next-line no-control-regex
const UNSAFE_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

function visible(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
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

/**
 * Plain Markdown text (our own words with log-derived names inside, e.g. a fix note quoting a script path).
 * Only what can start markup in the middle of a line is escaped — emphasis, code, links, HTML, tables,
 * strike-through, entities — so the text still reads well unrendered; line starts cannot occur because
 * escapeTerminal has already made every line break visible.
 */
export function markdownText(s: string): string {
  return escapeTerminal(s).replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** Cut to `max` UTF-16 units with an ellipsis, never between the two halves of a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}
