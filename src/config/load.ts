// Which configuration a run uses: --config-dir, or the /etc that belongs to the logs being read
// (discover.ts configDirFor), and what it tells the parsers before reading (the access formats in use).
import { existsSync } from 'node:fs';
import { NGINX_COMBINED } from './nginx.js';
import { configDirFor, discoverConfig, type ServerConfig } from './discover.js';

const APACHE_BUILTIN = new Set(['%h %l %u %t "%r" %>s %b', '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"']);

export function loadConfig(configDir: string | undefined, paths: readonly string[], warn: (m: string) => void): ServerConfig | undefined {
  const dir = configDir ?? configDirFor(paths, existsSync);
  if (dir === undefined) return undefined;
  const config = discoverConfig(dir);
  const found = [config.nginx && 'nginx', config.apache && 'Apache', config.fpmPools.length > 0 && `${config.fpmPools.length} PHP-FPM pool(s)`].filter(Boolean);
  if (found.length === 0) {
    if (configDir !== undefined) warn(`--config-dir ${configDir}: no nginx, Apache or PHP-FPM configuration found there`);
    return undefined;
  }
  if (configDir === undefined) warn(`using the configuration in ${dir} (${found.join(', ')}); --config-dir to choose another`);
  return config;
}

/** The one access format the config uses when it is not a built-in one the scanner reads anyway. */
export function accessFormatsOf(config: ServerConfig): { nginx?: string; apache?: string } {
  const out: { nginx?: string; apache?: string } = {};
  const ngx = new Set((config.nginx?.accessLogs ?? []).map((l) => l.format).filter((f) => f !== NGINX_COMBINED));
  // several custom formats: the compiled one is tried first and the scanner reads the rest, so take the
  // one the most logs use
  if (ngx.size >= 1) {
    const counts = new Map<string, number>();
    for (const l of config.nginx?.accessLogs ?? []) if (ngx.has(l.format)) counts.set(l.format, (counts.get(l.format) ?? 0) + 1);
    out.nginx = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  }
  const ap = (config.apache?.customLogs ?? []).map((l) => l.format).filter((f) => !APACHE_BUILTIN.has(f));
  if (ap.length > 0) out.apache = ap[0];
  return out;
}
