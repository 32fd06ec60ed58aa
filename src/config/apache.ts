// Apache httpd configuration: apache2.conf / httpd.conf with Include(Optional), the log formats and files in
// use, FastCGI/HTTP backends (ProxyPass, SetHandler "proxy:…") and the limits the advice talks about.
import type { Glob, ReadFile, Setting } from './nginx.js';

export interface ApacheCustomLog {
  path: string;
  format: string;
  file: string;
  line: number;
}

export interface ApacheFacts {
  customLogs: ApacheCustomLog[];
  errorLogs: Setting[];
  /** backend addresses: 'unix:/run/php/php8.2-fpm.sock', '127.0.0.1:9000' */
  backends: Setting[];
  settings: Map<string, Setting>;
}

/** Apache's own nicknames when the config does not define them (mod_log_config defaults). */
const BUILTIN_FORMATS: Record<string, string> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
};


/** Splits a directive line into words, keeping quoted strings (with \" escapes) whole. */
function words(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) {
          s += line[i + 1] === '"' ? '"' : `\\${line[i + 1]}`;
          i += 2;
          continue;
        }
        s += line[i];
        i++;
      }
      i++;
      out.push(s);
      continue;
    }
    let s = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') s += line[i++];
    out.push(s);
  }
  return out;
}

/** Debian's envvars: export APACHE_LOG_DIR=/var/log/apache2$SUFFIX → variables for ${…} expansion. */
export function parseEnvvars(text: string | undefined): Map<string, string> {
  const vars = new Map<string, string>();
  if (!text) return vars;
  for (const raw of text.split('\n')) {
    const m = /^\s*export\s+([A-Z_][A-Z0-9_]*)=(.*)$/.exec(raw);
    if (!m || !m[1]) continue;
    vars.set(m[1], (m[2] ?? '').replace(/^["']|["']$/g, '').replace(/\$SUFFIX/g, ''));
  }
  return vars;
}

function backendOf(target: string): string | undefined {
  // "proxy:unix:/run/php/php8.2-fpm.sock|fcgi://localhost" / "fcgi://127.0.0.1:9000/var/www/$1" / "http://10.0.0.5:8080/"
  const unix = /unix:([^|\s]+)/.exec(target);
  if (unix) return `unix:${unix[1]}`;
  const url = /(?:fcgi|http|https|ajp):\/\/([^/\s"]+)/.exec(target);
  return url ? url[1] : undefined;
}

export function parseApacheConfig(path: string, readFile: ReadFile, glob: Glob, vars = new Map<string, string>()): ApacheFacts {
  const facts: ApacheFacts = { customLogs: [], errorLogs: [], backends: [], settings: new Map() };
  const formats = new Map(Object.entries(BUILTIN_FORMATS));
  const pendingLogs: { path: string; fmt: string; file: string; line: number }[] = [];
  let serverRoot = path.includes('/apache2/') ? '/etc/apache2' : '/etc/httpd';
  const seen = new Set<string>();
  const expand = (s: string): string => s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, v: string) => vars.get(v) ?? m);
  const read = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFile(file);
    if (text === undefined) return;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      let line = (lines[i] ?? '').trim();
      const lineNo = i + 1;
      // backslash continues a directive on the next line
      while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${(lines[++i] ?? '').trim()}`;
      if (line === '' || line.startsWith('#') || line.startsWith('<')) continue;
      const w = words(expand(line));
      const name = w[0] ?? '';
      const lower = name.toLowerCase();
      if (lower === 'serverroot' && w[1]) serverRoot = w[1];
      else if (lower === 'define' && w[1]) vars.set(w[1], w[2] ?? '');
      else if ((lower === 'include' || lower === 'includeoptional') && w[1]) {
        const p = w[1].startsWith('/') ? w[1] : `${serverRoot}/${w[1]}`;
        const files = /[*?[]/.test(p) ? glob(p).sort() : [p];
        for (const f of files) read(f);
      } else if (lower === 'logformat' && w[1]) {
        // LogFormat "fmt" nickname, or LogFormat "fmt" (the default for CustomLog without one)
        formats.set(w[2] ?? '__default', w[1]);
      } else if ((lower === 'customlog' || lower === 'transferlog') && w[1]) {
        if (!w[1].startsWith('|') && !w[1].startsWith('syslog')) pendingLogs.push({ path: w[1], fmt: w[2] ?? '__default', file, line: lineNo });
      } else if (lower === 'errorlog' && w[1]) {
        if (!w[1].startsWith('|') && !w[1].startsWith('syslog')) facts.errorLogs.push({ value: w[1], file, line: lineNo });
      } else if (lower === 'proxypass' || lower === 'proxypassmatch' || lower === 'sethandler' || lower === 'balancermember') {
        const b = backendOf(w.slice(1).join(' '));
        if (b) facts.backends.push({ value: b, file, line: lineNo });
      } else if (name !== '') {
        facts.settings.set(name, { value: w.slice(1).join(' '), file, line: lineNo });
      }
    }
  };
  read(path);
  for (const l of pendingLogs) {
    // CustomLog may name a nickname or give the format string inline
    const fmt = formats.get(l.fmt) ?? (l.fmt.includes('%') ? l.fmt : BUILTIN_FORMATS.common ?? '');
    facts.customLogs.push({ path: l.path.startsWith('/') ? l.path : `${serverRoot}/${l.path}`, format: fmt, file: l.file, line: l.line });
  }
  return facts;
}
