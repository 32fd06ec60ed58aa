// A small incident whose attacker-controlled fields (request path, user agent, Host header, FPM script name,
// an unrecognised line) carry a payload: PHP-FPM's request_terminate_timeout kills six requests, so a cause
// fires and the payload reaches every part of the report (top paths, evidence, fix note, inputs).

/** What a client can put in a request: an OSC title change ending in BEL, clear-screen, and markup. */
export const PAYLOAD = '\u001b]0;pwned\u0007\u001b[2J<script>alert(1)</script>';

/** Files of the incident; `payload` must not hold a space, a quote or a newline (it sits inside fields). */
export function hostileIncident(payload: string = PAYLOAD): Record<string, string> {
  const access: string[] = [];
  const error: string[] = [];
  const fpm: string[] = [];
  for (let i = 0; i < 40; i++) {
    const s = String(i).padStart(2, '0');
    access.push(
      `203.0.113.${i + 1} - - [12/Jan/2026:10:00:${s} +0000] "GET /shop/${i} HTTP/1.1" 200 5120 "-" "Mozilla/5.0" ` +
        'rt=0.040 uct="0.000" uht="0.040" urt="0.040" ua="unix:/run/php/php8.2-fpm.sock" us="200"',
    );
  }
  for (let i = 0; i < 6; i++) {
    const s = String(10 + i * 5).padStart(2, '0');
    const req = `POST /report${payload}.php?id=${i}`;
    access.push(
      `198.51.100.${i + 1} - - [12/Jan/2026:10:01:${s} +0000] "${req} HTTP/1.1" 502 552 "-" "Evil${payload}Agent" ` +
        'rt=30.501 uct="0.000" uht="-" urt="30.500" ua="unix:/run/php/php8.2-fpm.sock" us="502"',
    );
    error.push(
      `2026/01/12 10:01:${s} [error] 4242#4242: *${100 + i} recv() failed (104: Connection reset by peer) while reading response ` +
        `header from upstream, client: 198.51.100.${i + 1}, server: shop.example, request: "${req} HTTP/1.1", ` +
        `upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example${payload}"`,
    );
    fpm.push(
      `[12-Jan-2026 10:01:${s}] WARNING: [pool www] child ${4700 + i}, script '/var/www/shop/report${payload}.php' ` +
        `(request: "${req}") execution timed out (30.500000 sec), terminating`,
    );
    fpm.push(`[12-Jan-2026 10:01:${s}] WARNING: [pool www] child ${4700 + i} exited on signal 15 (SIGTERM) after 120.000000 seconds from start`);
  }
  access.push(`garbage ${payload} that no parser knows`);
  return {
    'access.log': `${access.join('\n')}\n`,
    'error.log': `${error.join('\n')}\n`,
    'php8.2-fpm.log': `${fpm.join('\n')}\n`,
  };
}

/** Raw control characters other than the line feed: what must never reach a terminal or a file from a log. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** Our own colours are SGR sequences only: ESC [ digits/semicolons m. */
// eslint-disable-next-line no-control-regex
export const SGR = /\u001b\[[0-9;]*m/g;

/**
 * Markdown with every code span and fenced block removed: what a Markdown renderer would interpret. Code spans
 * open and close with backtick runs of equal length (CommonMark 6.1); fences with ``` of at least that length.
 */
export function outsideCode(md: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const f = /^(`{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (f !== undefined && f.length >= fence.length && line.trim() === f) fence = null;
      continue;
    }
    if (f !== undefined) {
      fence = f;
      continue;
    }
    let text = '';
    let i = 0;
    while (i < line.length) {
      // a backslash escape is literal text: an escaped backtick opens no code span (CommonMark 2.4)
      if (line[i] === '\\' && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1] ?? '')) {
        text += line.slice(i, i + 2);
        i += 2;
        continue;
      }
      const run = /^`+/.exec(line.slice(i))?.[0];
      if (run === undefined) {
        text += line[i];
        i++;
        continue;
      }
      let j = i + run.length;
      let closed = -1;
      while (j < line.length) {
        const r = /^`+/.exec(line.slice(j))?.[0];
        if (r === undefined) j++;
        else if (r.length === run.length) {
          closed = j;
          break;
        } else j += r.length;
      }
      if (closed === -1) {
        text += run;
        i += run.length;
      } else {
        i = closed + run.length;
      }
    }
    out.push(text);
  }
  return out.join('\n');
}

/** Markdown text outside code with backslash escapes removed: '\<' is a literal, an unescaped '<' is markup. */
export function unescapedMarkup(md: string): string[] {
  const plain = outsideCode(md).replace(/\\[\\`*_[\]<>|~&]/g, '');
  return plain.match(/<[a-zA-Z/!?][^>]*>?/g) ?? [];
}
