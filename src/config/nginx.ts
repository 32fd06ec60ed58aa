// nginx configuration: a tokenizer and tree builder for nginx.conf and its includes, and the facts
// logsleuth needs from it (log formats and files, FastCGI/proxy upstreams, timeouts, buffers, limits).
// Pure apart from the file reader it is given, so tests run on fixture trees.

export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
  file: string;
  line: number;
}

export type ReadFile = (path: string) => string | undefined;
export type Glob = (pattern: string) => string[];

/** Splits nginx config text into words, ';', '{' and '}', honouring quotes, escapes and comments. */
function tokenize(text: string): { tok: string; line: number; quoted: boolean }[] {
  const out: { tok: string; line: number; quoted: boolean }[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i] ?? '';
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === ';' || c === '{' || c === '}') {
      out.push({ tok: c, line, quoted: false });
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let s = '';
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) {
          const next = text[i + 1] ?? '';
          // nginx keeps the backslash except before the quote itself and a few escapes
          s += next === c || next === '\\' ? next : next === 'n' ? '\n' : next === 't' ? '\t' : `\\${next}`;
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        s += text[i];
        i++;
      }
      i++;
      out.push({ tok: s, line: start, quoted: true });
    } else {
      let s = '';
      while (i < n) {
        const d = text[i] ?? '';
        if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '{' || d === '}') break;
        if (d === '\\' && i + 1 < n) {
          s += text[i + 1];
          i += 2;
          continue;
        }
        s += d;
        i++;
      }
      out.push({ tok: s, line, quoted: false });
    }
  }
  return out;
}

export interface ParseNginxOptions {
  readFile: ReadFile;
  glob: Glob;
  /** directory relative includes resolve against (nginx's conf prefix) */
  prefix: string;
}

function resolvePath(p: string, prefix: string): string {
  return p.startsWith('/') ? p : `${prefix.replace(/\/$/, '')}/${p}`;
}

/** Parses a file and its includes into a directive tree. Missing includes are skipped (as nginx -T shows). */
export function parseNginxFile(path: string, opts: ParseNginxOptions, seen = new Set<string>()): Directive[] {
  if (seen.has(path)) return [];
  seen.add(path);
  const text = opts.readFile(path);
  if (text === undefined) return [];
  const toks = tokenize(text);
  let pos = 0;
  const block = (): Directive[] => {
    const list: Directive[] = [];
    while (pos < toks.length) {
      const t = toks[pos];
      if (!t) break;
      if (t.tok === '}' && !t.quoted) {
        pos++;
        return list;
      }
      const words: string[] = [];
      const line = t.line;
      while (pos < toks.length) {
        const w = toks[pos];
        if (!w) break;
        if (!w.quoted && (w.tok === ';' || w.tok === '{' || w.tok === '}')) break;
        words.push(w.tok);
        pos++;
      }
      const end = toks[pos];
      const name = words[0];
      if (!end || name === undefined) {
        pos++;
        continue;
      }
      const d: Directive = { name, args: words.slice(1), file: path, line };
      if (end.tok === '{') {
        pos++;
        d.block = block();
        list.push(d);
      } else if (end.tok === ';') {
        pos++;
        if (name === 'include' && d.args[0]) {
          const pattern = resolvePath(d.args[0], opts.prefix);
          const files = /[*?[]/.test(pattern) ? opts.glob(pattern).sort() : [pattern];
          for (const f of files) list.push(...parseNginxFile(f, opts, seen));
        } else {
          list.push(d);
        }
      } else {
        // a stray '}' closes the enclosing block
        return list;
      }
    }
    return list;
  };
  return block();
}

export interface NginxAccessLog {
  path: string;
  /** the log_format string in force ('combined' when none is named) */
  format: string;
  formatName: string;
  file: string;
  line: number;
}

export interface NginxUpstreamUse {
  /** 'fastcgi_pass' or 'proxy_pass' */
  via: string;
  /** the target as written: 'unix:/run/php/php8.2-fpm.sock', '127.0.0.1:9000', 'backend', 'http://backend' */
  target: string;
  /** concrete addresses: the upstream block's servers, or the target itself */
  addresses: string[];
  file: string;
  line: number;
}

export interface Setting {
  value: string;
  file: string;
  line: number;
}

export interface NginxFacts {
  accessLogs: NginxAccessLog[];
  errorLogs: Setting[];
  upstreams: NginxUpstreamUse[];
  /** the last value seen of every simple directive (fastcgi_read_timeout, worker_connections…) */
  settings: Map<string, Setting>;
  /** upstream block name → server addresses */
  upstreamBlocks: Map<string, string[]>;
}

/** nginx's built-in 'combined' format; 'main' is only defined when the config defines it. */
export const NGINX_COMBINED =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';


function upstreamKey(target: string): string {
  return target.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

export function nginxFacts(tree: readonly Directive[]): NginxFacts {
  const formats = new Map<string, string>([['combined', NGINX_COMBINED]]);
  const facts: NginxFacts = { accessLogs: [], errorLogs: [], upstreams: [], settings: new Map(), upstreamBlocks: new Map() };
  const pendingLogs: Omit<NginxAccessLog, 'format'>[] = [];
  const pendingUses: Omit<NginxUpstreamUse, 'addresses'>[] = [];
  const walk = (list: readonly Directive[]): void => {
    for (const d of list) {
      switch (d.name) {
        case 'log_format': {
          // log_format name [escape=…] 'part' 'part' …
          const [name, ...rest] = d.args;
          if (name) formats.set(name, rest.filter((a) => !a.startsWith('escape=')).join(''));
          break;
        }
        case 'access_log': {
          const [path, fmt] = d.args;
          if (path && path !== 'off' && !path.startsWith('syslog:')) {
            pendingLogs.push({ path, formatName: fmt ?? 'combined', file: d.file, line: d.line });
          }
          break;
        }
        case 'error_log':
          if (d.args[0] && !d.args[0].startsWith('syslog:') && d.args[0] !== 'stderr') facts.errorLogs.push({ value: d.args[0], file: d.file, line: d.line });
          break;
        case 'fastcgi_pass':
        case 'proxy_pass':
          if (d.args[0]) pendingUses.push({ via: d.name, target: d.args[0], file: d.file, line: d.line });
          break;
        case 'upstream':
          if (d.args[0] && d.block) {
            const servers = d.block.filter((s) => s.name === 'server' && s.args[0]).map((s) => s.args[0] ?? '');
            facts.upstreamBlocks.set(d.args[0], servers);
          }
          break;
        default:
          // every simple directive, last one wins: advice may quote any of them
          if (!d.block) facts.settings.set(d.name, { value: d.args.join(' '), file: d.file, line: d.line });
      }
      if (d.block && d.name !== 'upstream') walk(d.block);
    }
  };
  walk(tree);
  for (const l of pendingLogs) facts.accessLogs.push({ ...l, format: formats.get(l.formatName) ?? NGINX_COMBINED });
  for (const u of pendingUses) {
    const key = upstreamKey(u.target);
    const servers = facts.upstreamBlocks.get(key);
    facts.upstreams.push({ ...u, addresses: servers ?? [u.target.startsWith('unix:') ? u.target : key] });
  }
  return facts;
}
