// PHP messages travel inside other containers (§3.6): these helpers cut them out and read their location.

/** Where a PHP message says it happened. */
export interface PhpLocation {
  file: string;
  line: number;
}

const MAX_SCAN = 8192;
// 'Uncaught X: msg in /path/File.php:65' (the first line of an uncaught exception)
const THROWN_AT = / in ((?:[A-Za-z]:)?[\\/][^\s:]{0,1024}):(\d{1,9})/g;

/**
 * The file and line of a PHP message: the last ' in <file> on line <n>' of its first line, else the
 * 'in <file>:<n>' of an uncaught exception. Scans with lastIndexOf because the message text itself may
 * contain ' in ' (a lazy regex over it would also be quadratic on hostile input).
 */
export function phpLocation(message: string): PhpLocation | undefined {
  let first = message;
  const nl = first.indexOf('\n');
  if (nl >= 0) first = first.slice(0, nl);
  // Apache escapes newlines (AH01071): the first line ends at a literal backslash-n
  const esc = first.indexOf('\\n');
  if (esc >= 0) first = first.slice(0, esc);
  if (first.length > MAX_SCAN) first = first.slice(0, MAX_SCAN);

  const on = first.lastIndexOf(' on line ');
  if (on > 0) {
    let i = on + 9;
    let n = 0;
    let digits = 0;
    while (i < first.length && digits < 9) {
      const c = first.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
      i++;
      digits++;
    }
    const inAt = first.lastIndexOf(' in ', on);
    if (digits > 0 && inAt >= 0) {
      const file = first.slice(inAt + 4, on);
      if (file.length > 0) return { file, line: n };
    }
  }
  let last: RegExpExecArray | null = null;
  THROWN_AT.lastIndex = 0;
  for (let m = THROWN_AT.exec(first), k = 0; m && k < 64; m = THROWN_AT.exec(first), k++) last = m;
  THROWN_AT.lastIndex = 0;
  if (last?.[1] && last[2]) return { file: last[1], line: Number(last[2]) };
  return undefined;
}

const PHP_MESSAGE = 'PHP message: ';
/** More messages than this in one container are not worth a signal each (and bound hostile input). */
export const MAX_PHP_MESSAGES = 16;

/**
 * Splits a FastCGI stderr / AH01071 / worker-output payload into PHP messages. Recent FPM concatenates
 * them without a separator ('…on line 3PHP message: PHP Warning: …'), older FPM separates them with
 * newlines; both split on the 'PHP message: ' marker. A payload without the marker is one message.
 */
export function splitPhpMessages(payload: string): string[] {
  const out: string[] = [];
  let at = payload.indexOf(PHP_MESSAGE);
  if (at < 0) {
    const t = payload.trim();
    return t ? [t] : out;
  }
  while (at >= 0 && out.length < MAX_PHP_MESSAGES) {
    const start = at + PHP_MESSAGE.length;
    const next = payload.indexOf(PHP_MESSAGE, start);
    const piece = payload.slice(start, next < 0 ? payload.length : next).trim();
    if (piece) out.push(piece);
    at = next;
  }
  return out;
}

/** Apache's error-log escaping (§2.3: ap_escape_errorlog_item) undone for the common sequences. */
export function unescapeApache(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  return text.replace(/\\(?:x([0-9a-fA-F]{2})|([ntrbv\\]))/g, (_all, hex: string | undefined, ch: string | undefined) => {
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    switch (ch) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
        return '\\';
      default:
        return ' ';
    }
  });
}
