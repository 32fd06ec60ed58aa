// Finds and reads a host's web-stack configuration under a config directory (normally /etc): nginx,
// Apache, PHP-FPM pools and php.ini. Paths inside the configs say /etc/…; when the directory given is not
// /etc (a copy taken from another host, a fixture tree), they are re-rooted under it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import { parseApacheConfig, parseEnvvars, type ApacheFacts } from './apache.js';
import { nginxFacts, parseNginxFile, type NginxFacts, type Setting } from './nginx.js';
import { parseFpmConfig, parsePhpIni, type FpmPool } from './php-fpm.js';

export interface ServerConfig {
  root: string;
  nginx?: NginxFacts;
  apache?: ApacheFacts;
  fpmPools: FpmPool[];
  fpmGlobal: Map<string, Setting>;
  phpIni: Map<string, Setting>;
  /** the config files that were read, for the report */
  files: string[];
}

export function discoverConfig(configDir: string): ServerConfig {
  const root = configDir.replace(/\/+$/, '') || '/';
  const reroot = (p: string): string => (root === '/etc' || !p.startsWith('/etc/') ? p : `${root}${p.slice(4)}`);
  // shows paths as the host knows them (/etc/…), whatever directory they were read from
  const display = (p: string): string => (root !== '/etc' && p.startsWith(`${root}/`) ? `/etc${p.slice(root.length)}` : p);
  const files: string[] = [];
  const readFile = (p: string): string | undefined => {
    try {
      const text = readFileSync(reroot(p), 'utf8');
      files.push(p);
      return text;
    } catch {
      return undefined;
    }
  };
  const glob = (pattern: string): string[] =>
    fg.sync(reroot(pattern), { onlyFiles: true, suppressErrors: true }).map(display);
  const first = (patterns: string[]): string | undefined => {
    for (const p of patterns) {
      const found = /[*?[]/.test(p) ? glob(p).sort().reverse()[0] : readFile(p) !== undefined ? p : undefined;
      if (found) return found;
    }
    return undefined;
  };

  const config: ServerConfig = { root, fpmPools: [], fpmGlobal: new Map(), phpIni: new Map(), files };
  const nginxConf = first(['/etc/nginx/nginx.conf']);
  if (nginxConf) config.nginx = nginxFacts(parseNginxFile(nginxConf, { readFile, glob, prefix: '/etc/nginx' }));
  const apacheConf = first(['/etc/apache2/apache2.conf', '/etc/httpd/conf/httpd.conf']);
  if (apacheConf) {
    const vars = parseEnvvars(readFile('/etc/apache2/envvars'));
    config.apache = parseApacheConfig(apacheConf, readFile, glob, vars);
  }
  // newest PHP version first when several are installed
  const fpmConf = first(['/etc/php/*/fpm/php-fpm.conf', '/etc/php-fpm.conf', '/etc/php*/php-fpm.conf']);
  if (fpmConf) {
    const fpm = parseFpmConfig(fpmConf, readFile, glob);
    config.fpmPools = fpm.pools;
    config.fpmGlobal = fpm.global;
    const ini = fpmConf.startsWith('/etc/php/') ? fpmConf.replace(/php-fpm\.conf$/, 'php.ini') : '/etc/php.ini';
    config.phpIni = parsePhpIni(ini, readFile);
  }
  return config;
}

const CONFIG_MARKERS = ['nginx/nginx.conf', 'apache2/apache2.conf', 'httpd/conf/httpd.conf', 'php'];

/**
 * The config directory that belongs to these logs, found without a flag: logs under `<root>/var/log/…`
 * (the host's own /var/log, or a copy of a host's tree) pair with `<root>/etc` when it holds a web-stack
 * configuration. Undefined when the inputs are elsewhere (stdin, a download folder).
 */
export function configDirFor(paths: readonly string[], exists: (p: string) => boolean): string | undefined {
  for (const raw of paths) {
    if (raw === '-') continue;
    const p = resolve(raw);
    const at = p.lastIndexOf('/var/log');
    if (at === -1 || (p.length > at + 8 && p[at + 8] !== '/')) continue;
    const etc = `${p.slice(0, at)}/etc`;
    if (CONFIG_MARKERS.some((m) => exists(`${etc}/${m}`))) return etc;
  }
  return undefined;
}
