import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSources, rotationOrder } from '../../src/input/sources.js';

describe('rotationOrder', () => {
  it('puts rotated files oldest first and the live file last', () => {
    const names = ['access.log', 'access.log.1', 'access.log.10.gz', 'access.log.2.gz', 'error.log', 'error.log.1'];
    expect([...names].sort(rotationOrder)).toEqual([
      'access.log.10.gz', 'access.log.2.gz', 'access.log.1', 'access.log', 'error.log.1', 'error.log',
    ]);
  });
});

describe('resolveSources', () => {
  it('walks a directory recursively, skipping hidden files and non-log types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-src-'));
    mkdirSync(join(dir, 'nginx'));
    for (const f of ['nginx/access.log', 'nginx/access.log.1', 'nginx/access.log.2.gz', 'php8.2-fpm.log', '.hidden.log', 'report.json']) {
      writeFileSync(join(dir, f), 'x\n');
    }
    const { sources, problems } = resolveSources([dir], false);
    expect(problems).toEqual([]);
    expect(sources.map((s) => s.path.slice(dir.length + 1))).toEqual([
      'nginx/access.log.2.gz', 'nginx/access.log.1', 'nginx/access.log', 'php8.2-fpm.log',
    ]);
  });

  it('reports a missing path and an empty glob as problems, not crashes', () => {
    const { sources, problems } = resolveSources(['/nonexistent/x.log', '/nonexistent/*.log'], false);
    expect(sources).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual(['no such file or directory', 'no file matches this pattern']);
  });

  it('reads stdin when no path is given and stdin is piped', () => {
    expect(resolveSources([], true).sources).toEqual([{ path: '-', kind: 'stdin' }]);
    expect(resolveSources([], false).sources).toEqual([]);
  });
});
