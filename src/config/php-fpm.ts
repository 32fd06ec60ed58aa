// PHP-FPM configuration (php-fpm.conf with include=, pool files) and php.ini: INI syntax with sections.
// Pool files use $pool in paths (slowlog = /var/log/php-fpm/$pool.slow.log); it is expanded per pool.
import type { Glob, ReadFile, Setting } from './nginx.js';

export interface FpmPool {
  name: string;
  file: string;
  /** directive → value with where it was set; php_admin_value[memory_limit] kept under that name */
  settings: Map<string, Setting>;
}

export interface FpmFacts {
  global: Map<string, Setting>;
  pools: FpmPool[];
}

interface IniLine {
  section?: string;
  key?: string;
  value?: string;
  line: number;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

function iniLines(text: string): IniLine[] {
  const out: IniLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    if (line.startsWith('[') && line.endsWith(']') && !line.includes('=')) {
      out.push({ section: line.slice(1, -1).trim(), line: i + 1 });
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) return;
    // a ';' after the value starts a comment, unless quoted
    let value = line.slice(eq + 1);
    const q = value.trim().startsWith('"');
    if (!q) {
      const sc = value.indexOf(' ;');
      if (sc !== -1) value = value.slice(0, sc);
    }
    out.push({ key: line.slice(0, eq).trim(), value: unquote(value), line: i + 1 });
  });
  return out;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** Reads php-fpm.conf, follows include= globs, and returns the global settings and every pool. */
export function parseFpmConfig(path: string, readFile: ReadFile, glob: Glob): FpmFacts {
  const facts: FpmFacts = { global: new Map(), pools: [] };
  const pools = new Map<string, FpmPool>();
  const seen = new Set<string>();
  const read = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFile(file);
    if (text === undefined) return;
    let section = 'global';
    for (const l of iniLines(text)) {
      if (l.section !== undefined) {
        section = l.section;
        if (section !== 'global' && !pools.has(section)) pools.set(section, { name: section, file, settings: new Map() });
        continue;
      }
      if (l.key === undefined || l.value === undefined) continue;
      if (l.key === 'include') {
        const pattern = l.value.startsWith('/') ? l.value : `${dirOf(path)}/${l.value}`;
        for (const f of /[*?[]/.test(pattern) ? glob(pattern).sort() : [pattern]) read(f);
        continue;
      }
      const setting: Setting = { value: l.value, file, line: l.line };
      if (section === 'global') facts.global.set(l.key, setting);
      else pools.get(section)?.settings.set(l.key, setting);
    }
  };
  read(path);
  for (const p of pools.values()) {
    for (const [k, s] of p.settings) if (s.value.includes('$pool')) p.settings.set(k, { ...s, value: s.value.split('$pool').join(p.name) });
    facts.pools.push(p);
  }
  return facts;
}

/** php.ini: the handful of settings the diagnosis talks about. */
export function parsePhpIni(path: string, readFile: ReadFile): Map<string, Setting> {
  const out = new Map<string, Setting>();
  const text = readFile(path);
  if (text === undefined) return out;
  for (const l of iniLines(text)) {
    if (l.key !== undefined && l.value !== undefined) out.set(l.key, { value: l.value, file: path, line: l.line });
  }
  return out;
}

/** The effective value of a PHP setting for a pool: php_admin_value/php_value in the pool beat php.ini. */
export function phpSetting(pool: FpmPool | undefined, ini: Map<string, Setting>, name: string): Setting | undefined {
  return pool?.settings.get(`php_admin_value[${name}]`) ?? pool?.settings.get(`php_value[${name}]`) ?? ini.get(name);
}

/** '128M' → bytes; '-1' → Infinity. */
export function phpBytes(v: string): number {
  const m = /^\s*(-?\d+)\s*([KMG]?)/i.exec(v);
  if (!m) return NaN;
  const n = Number(m[1]);
  if (n < 0) return Infinity;
  const unit = (m[2] ?? '').toUpperCase();
  return n * (unit === 'G' ? 1 << 30 : unit === 'M' ? 1 << 20 : unit === 'K' ? 1024 : 1);
}

/** '30s', '5m', '1h', '30' (seconds) → seconds, as FPM and nginx write durations. */
export function durationSeconds(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v);
  if (!m) return NaN;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'ms': return n / 1000;
    case 'm': return n * 60;
    case 'h': return n * 3600;
    case 'd': return n * 86400;
    default: return n;
  }
}
