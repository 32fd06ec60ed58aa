// Rotated sets: which live file a name belongs to, and the order of its members, oldest first. logrotate
// names members by number (access.log.1, access.log.2.gz: higher is older) or, with `dateext`, by date
// (access.log-20240310, -2024-03-10 with `dateformat`, -2024031012 hourly: higher is newer).

export type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd';

export interface RotatedName {
  /** the live file's name: 'nginx/access.log' for 'nginx/access.log-20240310.gz' */
  base: string;
  scheme: 'live' | 'number' | 'date';
  /** 'number': the rotation count; 'date': the stamp's digits, e.g. '2024031012' */
  key: string;
  /** what the name says it is compressed with (the reader itself goes by the magic bytes) */
  compression: Compression | null;
}

const COMPRESSION: Record<string, Compression> = { gz: 'gzip', bz2: 'bzip2', xz: 'xz', zst: 'zstd' };
const COMPRESSED = /\.(gz|bz2|xz|zst)$/;
// `dateformat` allows %Y %m %d %H %M %S %V and %s: a year then two-digit fields with or without
// separators, maybe followed by %s seconds, or %s alone
const DATED = /^(.+?)[-._](\d{4}(?:[-_.]?\d{2}){1,5}(?:[-_.]\d{9,10})?|\d{9,10})$/;
const NUMBERED = /^(.+?)[.-](\d{1,4})$/;

export function parseRotated(path: string): RotatedName {
  // only the file's own name is looked at: '/var/log/2024-03/access.log' is a live file
  const slash = path.lastIndexOf('/') + 1;
  const dir = path.slice(0, slash);
  const name = path.slice(slash);
  const z = COMPRESSED.exec(name);
  const compression = z ? (COMPRESSION[z[1] ?? ''] ?? null) : null;
  const bare = z ? name.slice(0, z.index) : name;
  const dated = DATED.exec(bare);
  if (dated?.[1] !== undefined && dated[2] !== undefined) {
    return { base: dir + dated[1], scheme: 'date', key: dated[2].replace(/\D/g, ''), compression };
  }
  const numbered = NUMBERED.exec(bare);
  if (numbered?.[1] !== undefined && numbered[2] !== undefined) {
    return { base: dir + numbered[1], scheme: 'number', key: numbered[2], compression };
  }
  // 'access.log.gz' is not logrotate's, but it is a finished copy of access.log, newer than access.log.1
  if (compression !== null && bare !== '') return { base: dir + bare, scheme: 'number', key: '0', compression };
  return { base: path, scheme: 'live', key: '', compression };
}

/** Older member first within one scheme; stamps of different precision compare on their common fields. */
function olderFirst(a: RotatedName, b: RotatedName): number {
  if (a.scheme === 'number') return Number(b.key) - Number(a.key);
  const n = Math.max(a.key.length, b.key.length);
  const ka = a.key.padEnd(n, '0');
  const kb = b.key.padEnd(n, '0');
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Paths grouped by rotated set (sets in name order), each set oldest first and its live file last.
 * Numbered and dated members side by side (the host switched to `dateext`, or back) cannot be placed by
 * name: the scheme whose newest member was modified earlier goes first, and without times the numbered
 * ones, since distributions moved from numbers to dates.
 */
export function orderRotated(paths: readonly string[], mtimeMs: (path: string) => number = () => NaN): string[] {
  const sets = new Map<string, { path: string; name: RotatedName }[]>();
  for (const path of paths) {
    const name = parseRotated(path);
    const set = sets.get(name.base);
    if (set) set.push({ path, name });
    else sets.set(name.base, [{ path, name }]);
  }
  const out: string[] = [];
  for (const base of [...sets.keys()].sort(byName)) {
    const members = sets.get(base) ?? [];
    const of = (scheme: RotatedName['scheme']): string[] =>
      members
        .filter((m) => m.name.scheme === scheme)
        .sort((a, b) => olderFirst(a.name, b.name) || byName(a.path, b.path))
        .map((m) => m.path);
    const numbered = of('number');
    const dated = of('date');
    const newest = (ps: string[]): number => Math.max(...ps.map(mtimeMs));
    const datedFirst = numbered.length > 0 && dated.length > 0 && newest(dated) < newest(numbered);
    out.push(...(datedFirst ? [...dated, ...numbered] : [...numbered, ...dated]), ...of('live'));
  }
  return out;
}
