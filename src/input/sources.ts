// PATH arguments → the list of inputs to read: files, directories (recursive), globs and '-' for stdin.
// Rotated sets are ordered oldest first (name.log.3.gz, name.log.2.gz, name.log.1, name.log) so that
// per-input time ranges read naturally; the digest itself does not depend on the order.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';

/**
 * fast-glob, loaded on first use: it is ~70 modules, a tenth of the startup of every run, and only
 * directories and patterns need it (a file argument is one stat).
 */
const globber = ((): (() => typeof FastGlob) => {
  let fg: typeof FastGlob | undefined;
  return () => (fg ??= createRequire(import.meta.url)('fast-glob') as typeof FastGlob);
})();

export interface Source {
  /** what the report shows: the path as given or found, or '-' for stdin */
  path: string;
  kind: 'file' | 'stdin';
}

export interface ResolveResult {
  sources: Source[];
  /** paths that matched nothing or could not be read: one-line messages */
  problems: { path: string; message: string }[];
}

// Directory scans skip what is clearly not a log: compressed archives of other kinds, our own reports,
// editor and VCS files. Everything else is opened and checked for binary content.
const SKIP_IN_DIRS = [
  '**/.*',
  '**/node_modules/**',
  '**/*.{zip,tar,tgz,bz2,xz,zst,7z,rar,png,jpg,jpeg,gif,webp,ico,pdf,so,o,a,pyc,class,jar,sqlite,db,pid,sock,lock}',
  '**/*.{json,md,html}',
];

const ROTATION = /^(.*?)(?:[.-](\d{1,4}))?(\.gz)?$/;

/** Sort key: same base name together, higher rotation number (older) first, the live file last. */
export function rotationOrder(a: string, b: string): number {
  const ma = ROTATION.exec(a);
  const mb = ROTATION.exec(b);
  const baseA = ma?.[1] ?? a;
  const baseB = mb?.[1] ?? b;
  if (baseA !== baseB) return baseA < baseB ? -1 : 1;
  const na = ma?.[2] === undefined ? -1 : Number(ma[2]);
  const nb = mb?.[2] === undefined ? -1 : Number(mb[2]);
  return nb - na;
}

function isGlob(p: string): boolean {
  return globber().isDynamicPattern(p);
}

export function resolveSources(paths: readonly string[], stdinIsPiped: boolean): ResolveResult {
  const sources: Source[] = [];
  const problems: ResolveResult['problems'] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    if (seen.has(p)) return;
    seen.add(p);
    sources.push({ path: p, kind: 'file' });
  };

  if (paths.length === 0) {
    if (stdinIsPiped) sources.push({ path: '-', kind: 'stdin' });
    return { sources, problems };
  }

  for (const p of paths) {
    if (p === '-') {
      if (!seen.has('-')) sources.push({ path: '-', kind: 'stdin' });
      seen.add('-');
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      if (isGlob(p)) {
        const found = globber().sync(p, { onlyFiles: true, dot: false, followSymbolicLinks: true, suppressErrors: true });
        if (found.length === 0) problems.push({ path: p, message: 'no file matches this pattern' });
        found.sort(rotationOrder).forEach(add);
        continue;
      }
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({ path: p, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? 'error'})` });
      continue;
    }
    if (st.isDirectory()) {
      const found = globber().sync('**/*', {
        cwd: p,
        absolute: false,
        onlyFiles: true,
        dot: false,
        followSymbolicLinks: true,
        suppressErrors: true,
        ignore: SKIP_IN_DIRS,
      });
      if (found.length === 0) problems.push({ path: p, message: 'directory holds no log files' });
      const prefix = p.endsWith('/') ? p : `${p}/`;
      found.sort(rotationOrder).forEach((f) => add(prefix + f));
    } else {
      add(p);
    }
  }
  return { sources, problems };
}
