// Files that appear in a followed directory after start: a new vhost's log, a log the application now
// writes under another name. The directory is scanned as at start (input/sources.ts), and each path is
// handed out once; deciding whether it is a live file to follow is the caller's.
import { resolve } from 'node:path';
import { scanDirectory } from '../input/sources.js';

export class NewFiles {
  private readonly dirs: readonly string[];
  private readonly known = new Set<string>();

  /** `present`: the paths already read or followed, never handed out */
  constructor(dirs: readonly string[], present: Iterable<string>) {
    this.dirs = dirs;
    for (const p of present) this.known.add(resolve(p));
  }

  /** Paths not seen before, each rotated set oldest first. */
  next(): string[] {
    const out: string[] = [];
    for (const dir of this.dirs) {
      for (const p of scanDirectory(dir)) {
        const key = resolve(p);
        if (this.known.has(key)) continue;
        this.known.add(key);
        out.push(p);
      }
    }
    return out;
  }
}
