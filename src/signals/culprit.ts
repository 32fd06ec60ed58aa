// Who owns the code a PHP message or a slow-log stack points at (signatures.md §6.7).
import type { StackFrame } from '../formats/types.js';

export interface Culprit {
  /** 'wordpress-plugin', 'wordpress-theme', 'wordpress-mu-plugin', 'wordpress-core', 'composer-package',
   * 'magento-module', 'drupal-module', 'application', 'php-extension' */
  kind: string;
  name: string;
}

/** The path segment that follows `marker` (up to the next '/'), or undefined when there is none. */
function segmentAfter(path: string, marker: string): string | undefined {
  const at = path.lastIndexOf(marker);
  if (at < 0) return undefined;
  const start = at + marker.length;
  let end = path.indexOf('/', start);
  if (end < 0) end = path.length;
  const seg = path.slice(start, end);
  return seg && seg !== '.' && seg !== '..' ? seg : undefined;
}

/** The two directory names that follow the last `marker`, when a file lies below them. */
function segmentsAfter(path: string, marker: string): [string, string] | undefined {
  const at = path.lastIndexOf(marker);
  if (at < 0) return undefined;
  const parts = path.slice(at + marker.length).split('/', 3);
  const [a, b] = parts;
  return parts.length === 3 && a && b ? [a, b] : undefined;
}

function withoutPhpSuffix(name: string): string {
  return name.endsWith('.php') ? name.slice(0, -4) : name;
}

/**
 * The culprit a file path names. WordPress locations are tried before Composer ones because a plugin
 * that bundles its own vendor/ directory is still the plugin's code.
 */
export function culpritOf(path: string): Culprit | undefined {
  if (!path || path === 'unknown') return undefined;
  const p = path.replace(/\\/g, '/');

  // K-SEGV 'in opcache.so[…]': an extension, not the main binary or libc (libc.so.6 has a version suffix)
  if (p.endsWith('.so') && !p.includes('/vendor/')) {
    const base = p.slice(p.lastIndexOf('/') + 1, -3);
    return base ? { kind: 'php-extension', name: base } : undefined;
  }

  const plugin = segmentAfter(p, '/wp-content/plugins/');
  if (plugin) return { kind: 'wordpress-plugin', name: withoutPhpSuffix(plugin) };
  const mu = segmentAfter(p, '/wp-content/mu-plugins/');
  if (mu) return { kind: 'wordpress-mu-plugin', name: withoutPhpSuffix(mu) };
  const theme = segmentAfter(p, '/wp-content/themes/');
  if (theme) return { kind: 'wordpress-theme', name: theme };
  if (p.includes('/wp-includes/') || p.includes('/wp-admin/')) return { kind: 'wordpress-core', name: 'wordpress' };

  const mag = segmentsAfter(p, '/app/code/');
  if (mag) return { kind: 'magento-module', name: `${mag[0]}_${mag[1]}` };
  const drupal = segmentAfter(p, '/modules/contrib/') ?? segmentAfter(p, '/modules/custom/');
  if (drupal) return { kind: 'drupal-module', name: drupal };
  const pkg = segmentsAfter(p, '/vendor/');
  if (pkg) return { kind: 'composer-package', name: `${pkg[0]}/${pkg[1]}` };

  // '/app/…' or '/src/…' below the project root; a leading '/app/' is the usual Docker project root
  const app = Math.max(p.lastIndexOf('/app/'), p.lastIndexOf('/src/'));
  if (app > 0) {
    const rest = p.slice(app + 1).split('/');
    const dir = rest.length > 2 ? rest[1] : undefined;
    return { kind: 'application', name: dir ? `${rest[0]}/${dir}` : (rest[0] ?? 'app') };
  }
  return undefined;
}

/** Code every stack passes through on its way to the interesting frame. */
function isCore(c: Culprit): boolean {
  if (c.kind === 'wordpress-core') return true;
  if (c.kind !== 'composer-package') return false;
  const n = c.name;
  return (
    n === 'laravel/framework' ||
    n.startsWith('illuminate/') ||
    n.startsWith('symfony/') ||
    n.startsWith('guzzlehttp/') ||
    n.startsWith('doctrine/') ||
    n.startsWith('predis/') ||
    n.startsWith('psr/') ||
    n.startsWith('php-http/') ||
    n.startsWith('laminas/') ||
    n.startsWith('composer/') ||
    n === 'magento/framework'
  );
}

/**
 * The first frame (innermost first, as the slow log prints them) whose culprit is not framework or
 * library plumbing; when every frame is plumbing, the first one that has a culprit at all.
 */
export function culpritOfFrames(frames: readonly Pick<StackFrame, 'file'>[]): (Culprit & { file: string }) | undefined {
  let fallback: (Culprit & { file: string }) | undefined;
  for (const f of frames) {
    const c = culpritOf(f.file);
    if (!c) continue;
    if (!isCore(c)) return { ...c, file: f.file };
    fallback ??= { ...c, file: f.file };
  }
  return fallback;
}
