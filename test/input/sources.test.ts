import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { orderRotated, parseRotated } from '../../src/input/rotation.js';
import { resolveSources } from '../../src/input/sources.js';

describe('parseRotated', () => {
  it.each([
    ['access.log', { base: 'access.log', scheme: 'live', key: '', compression: null }],
    ['php8.2-fpm.log', { base: 'php8.2-fpm.log', scheme: 'live', key: '', compression: null }],
    ['access.log.1', { base: 'access.log', scheme: 'number', key: '1', compression: null }],
    ['access.log.10.gz', { base: 'access.log', scheme: 'number', key: '10', compression: 'gzip' }],
    ['access.log-20240310', { base: 'access.log', scheme: 'date', key: '20240310', compression: null }],
    ['access.log-20240310.gz', { base: 'access.log', scheme: 'date', key: '20240310', compression: 'gzip' }],
    ['access.log-2024-03-10.gz', { base: 'access.log', scheme: 'date', key: '20240310', compression: 'gzip' }],
    ['access.log-2024031012', { base: 'access.log', scheme: 'date', key: '2024031012', compression: null }],
    ['access.log-20240310-1710028800', { base: 'access.log', scheme: 'date', key: '202403101710028800', compression: null }],
    ['error.log.2.bz2', { base: 'error.log', scheme: 'number', key: '2', compression: 'bzip2' }],
    ['logs/2024-03-10/access.log', { base: 'logs/2024-03-10/access.log', scheme: 'live', key: '', compression: null }],
  ])('%s', (name, expected) => {
    expect(parseRotated(name)).toEqual(expected);
  });
});

describe('orderRotated', () => {
  it('puts numbered members oldest first and the live file last', () => {
    const names = ['access.log', 'access.log.1', 'access.log.10.gz', 'access.log.2.gz', 'error.log', 'error.log.1'];
    expect(orderRotated(names)).toEqual([
      'access.log.10.gz', 'access.log.2.gz', 'access.log.1', 'access.log', 'error.log.1', 'error.log',
    ]);
  });

  it('orders dateext members by their date, each with its own live file', () => {
    const names = [
      'error.log', 'access.log-20240310', 'access.log', 'error.log-20240309.gz', 'access.log-20240308.gz',
      'access.log-20240309.gz', 'error.log-20240310',
    ];
    expect(orderRotated(names)).toEqual([
      'access.log-20240308.gz', 'access.log-20240309.gz', 'access.log-20240310', 'access.log',
      'error.log-20240309.gz', 'error.log-20240310', 'error.log',
    ]);
  });

  it('orders dateformat and hourly stamps, and stamps of different precision, by time', () => {
    expect(orderRotated(['a.log', 'a.log-2024-03-10.gz', 'a.log-2024-02-28.gz', 'a.log-2024-03-09'])).toEqual([
      'a.log-2024-02-28.gz', 'a.log-2024-03-09', 'a.log-2024-03-10.gz', 'a.log',
    ]);
    expect(orderRotated(['a.log', 'a.log-2024031012', 'a.log-2024031009.gz', 'a.log-2024030923.gz', 'a.log-20240310'])).toEqual([
      'a.log-2024030923.gz', 'a.log-20240310', 'a.log-2024031009.gz', 'a.log-2024031012', 'a.log',
    ]);
  });

  it('places numbered and dated members of one set by the time they were last written', () => {
    const names = ['a.log', 'a.log.1', 'a.log.2.gz', 'a.log-20240310', 'a.log-20240309.gz'];
    // no times: numbered first (a host that moved to dateext keeps its old numbered files)
    expect(orderRotated(names)).toEqual(['a.log.2.gz', 'a.log.1', 'a.log-20240309.gz', 'a.log-20240310', 'a.log']);
    // the numbered ones are newer: a host that moved away from dateext
    const mtime = (p: string): number => (p.includes('-2024') ? 1000 : 2000);
    expect(orderRotated(names, mtime)).toEqual(['a.log-20240309.gz', 'a.log-20240310', 'a.log.2.gz', 'a.log.1', 'a.log']);
  });
});

describe('resolveSources', () => {
  it('walks a directory recursively, skipping hidden files and non-log types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-src-'));
    mkdirSync(join(dir, 'nginx'));
    for (const f of ['nginx/access.log', 'nginx/access.log.1', 'nginx/access.log.2.gz', 'php8.2-fpm.log', '.hidden.log', 'report.json']) {
      writeFileSync(join(dir, f), 'x\n');
    }
    const { sources, problems, directories } = resolveSources([dir], false);
    expect(problems).toEqual([]);
    expect(directories).toEqual([dir]);
    expect(sources.map((s) => s.path.slice(dir.length + 1))).toEqual([
      'nginx/access.log.2.gz', 'nginx/access.log.1', 'nginx/access.log', 'php8.2-fpm.log',
    ]);
  });

  it('groups a directory\'s dated and numbered members with their live file, by the files\' times', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-src-'));
    const files: [string, number][] = [
      ['access.log', 500], ['access.log-20240310', 400], ['access.log-20240309.gz', 300], ['access.log.1', 200],
      ['access.log.2.gz', 100], ['error.log', 500], ['error.log-2024-03-10.gz', 400], ['error.log-2024-03-09.gz', 300],
      ['vhost-access.log', 500], ['vhost-access.log-2024031012', 450], ['vhost-access.log-2024031011', 440],
    ];
    for (const [f, t] of files) {
      writeFileSync(join(dir, f), f.endsWith('.gz') ? gzipSync('x\n') : 'x\n');
      utimesSync(join(dir, f), 1_700_000_000 + t, 1_700_000_000 + t);
    }
    const { sources, problems } = resolveSources([dir], false);
    expect(problems).toEqual([]);
    expect(sources.map((s) => s.path.slice(dir.length + 1))).toEqual([
      'access.log.2.gz', 'access.log.1', 'access.log-20240309.gz', 'access.log-20240310', 'access.log',
      'error.log-2024-03-09.gz', 'error.log-2024-03-10.gz', 'error.log',
      'vhost-access.log-2024031011', 'vhost-access.log-2024031012', 'vhost-access.log',
    ]);
  });

  it('names bzip2, xz and zstd logs as not read instead of skipping them silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-src-'));
    writeFileSync(join(dir, 'access.log'), 'x\n');
    writeFileSync(join(dir, 'access.log.2.bz2'), Buffer.from('BZh91AY&SY', 'latin1'));
    writeFileSync(join(dir, 'access.log-20240309.xz'), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]));
    writeFileSync(join(dir, 'error.log.1.zst'), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00]));
    // named .bz2 but plain text: read like any log (the reader goes by content, not by name)
    writeFileSync(join(dir, 'error.log.2.bz2'), 'x\n');
    writeFileSync(join(dir, 'old-logs.tar.bz2'), Buffer.from('BZh91AY&SY', 'latin1'));
    const { sources, problems } = resolveSources([dir], false);
    expect(sources.map((s) => s.path.slice(dir.length + 1))).toEqual(['access.log', 'error.log.2.bz2']);
    expect(problems.map((p) => [p.path.slice(dir.length + 1), p.message])).toEqual([
      ['access.log.2.bz2', 'bzip2-compressed, not read (only plain and gzip logs are): pipe it in with bzcat'],
      ['access.log-20240309.xz', 'xz-compressed, not read (only plain and gzip logs are): pipe it in with xzcat'],
      ['error.log.1.zst', 'zstd-compressed, not read (only plain and gzip logs are): pipe it in with zstdcat'],
    ]);
    // given by name it is the same
    expect(resolveSources([join(dir, 'access.log.2.bz2')], false).problems).toHaveLength(1);
  });

  it('reports a missing path and an empty glob as problems, not crashes', () => {
    const { sources, problems } = resolveSources(['/nonexistent/x.log', '/nonexistent/*.log'], false);
    expect(sources).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual(['no such file or directory', 'no file matches this pattern']);
  });

  it('reads stdin when no path is given and stdin is piped', () => {
    expect(resolveSources([], true).sources).toEqual([{ path: '-', kind: 'stdin' }]);
    expect(resolveSources([], true).directories).toEqual([]);
    expect(resolveSources([], false).sources).toEqual([]);
  });
});
