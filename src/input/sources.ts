// PATH arguments → the list of inputs to read: files, directories (recursive), globs and '-' for stdin.
// Rotated sets are ordered oldest first (name.log.3.gz, name.log.2.gz, name.log.1, name.log) so that
// per-input time ranges read naturally; the digest itself does not depend on the order.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';
import { orderRotated, parseRotated, type Compression } from './rotation.js';

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
  /** the directories given, as given: `--follow` looks in them again for new files */
  directories: string[];
}

// Directory scans skip what is clearly not a log: archives, our own reports, editor and VCS files. Logs
// compressed with something other than gzip are found, and reported as not readable (see resolveSources).
const SKIP_IN_DIRS = [
  '**/.*',
  '**/node_modules/**',
  '**/*.{zip,tar,tgz,tbz2,txz,7z,rar,png,jpg,jpeg,gif,webp,ico,pdf,so,o,a,pyc,class,jar,sqlite,db,pid,sock,lock}',
  '**/*.tar.*',
  '**/*.{json,md,html}',
];

function isGlob(p: string): boolean {
  return globber().isDynamicPattern(p);
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return NaN;
  }
}

/** The files a directory holds that may be logs (recursively), each rotated set oldest first. */
export function scanDirectory(dir: string): string[] {
  const found = globber().sync('**/*', {
    cwd: dir,
    absolute: false,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: true,
    suppressErrors: true,
    ignore: SKIP_IN_DIRS,
  });
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return orderRotated(found.map((f) => prefix + f), mtimeOf);
}

const MAGIC: Record<Exclude<Compression, 'gzip'>, { bytes: number[]; cat: string }> = {
  bzip2: { bytes: [0x42, 0x5a, 0x68], cat: 'bzcat' },
  xz: { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], cat: 'xzcat' },
  zstd: { bytes: [0x28, 0xb5, 0x2f, 0xfd], cat: 'zstdcat' },
};

/**
 * Why a file cannot be read, when its name says bzip2, xz or zstd and its first bytes agree: the reader
 * knows gzip only, and would otherwise skip it as 'binary' without saying what it is.
 */
function unsupportedCompression(path: string): string | null {
  const c = parseRotated(path).compression;
  if (c === null || c === 'gzip') return null;
  const { bytes, cat } = MAGIC[c];
  const head = Buffer.alloc(bytes.length);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, head, 0, head.length, 0) < head.length) return null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!bytes.every((b, i) => head[i] === b)) return null;
  return `${c}-compressed, not read (only plain and gzip logs are): pipe it in with ${cat}`;
}

export function resolveSources(paths: readonly string[], stdinIsPiped: boolean): ResolveResult {
  const sources: Source[] = [];
  const problems: ResolveResult['problems'] = [];
  const directories: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    if (seen.has(p)) return;
    seen.add(p);
    const unreadable = unsupportedCompression(p);
    if (unreadable === null) sources.push({ path: p, kind: 'file' });
    else problems.push({ path: p, message: unreadable });
  };

  if (paths.length === 0) {
    if (stdinIsPiped) sources.push({ path: '-', kind: 'stdin' });
    return { sources, problems, directories };
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
        orderRotated(found, mtimeOf).forEach(add);
        continue;
      }
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({ path: p, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? 'error'})` });
      continue;
    }
    if (st.isDirectory()) {
      directories.push(p);
      const found = scanDirectory(p);
      if (found.length === 0) problems.push({ path: p, message: 'directory holds no log files' });
      found.forEach(add);
    } else {
      add(p);
    }
  }
  return { sources, problems, directories };
}
