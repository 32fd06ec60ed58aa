// Live mode on real files written while the follower runs: appended lines, logrotate's rename and its
// copytruncate, each line counted exactly once.
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { follow, isHistory } from '../../src/follow/follow.js';
import { resolveSources, type Source } from '../../src/input/sources.js';
import type { Report } from '../../src/report/schema.js';

let seq = 0;
/** An nginx combined line; every line has its own client so no two are alike. */
function access(sec: number, status: number, path = '/'): string {
  seq++;
  const ss = String(sec).padStart(2, '0');
  return `198.51.100.${seq % 250} - - [12/Jan/2026:10:00:${ss} +0000] "GET ${path}?n=${seq} HTTP/1.1" ${status} 157 "-" "Mozilla/5.0 (X11; Linux x86_64)"\n`;
}

function lines(from: number, statuses: number[]): string {
  return statuses.map((s, i) => access(from + i, s)).join('');
}

interface Running {
  reports: Report[];
  stop(): Promise<Report>;
  until(pred: (r: Report) => boolean, what: string): Promise<Report>;
}

const running: Running[] = [];

function start(paths: string[]): Running {
  return startSources(paths.map((path) => ({ path, kind: 'file' as const })), []);
}

/** A new access.log of three lines (200, 502, 200), followed, its history read. */
async function followingThreeLines(): Promise<{ log: string; f: Running }> {
  const log = join(mkdtempSync(join(tmpdir(), 'logsleuth-follow-')), 'access.log');
  writeFileSync(log, lines(1, [200, 502, 200]));
  const f = start([log]);
  await f.until(requests(3), 'the history');
  return { log, f };
}

/** Follows a directory as the CLI does: what it holds now, and the files that appear in it later. */
function startDir(dir: string, intervalMs = 40): Running {
  const { sources, directories } = resolveSources([dir], false);
  return startSources(sources, directories, intervalMs);
}

function startSources(sources: Source[], directories: string[], intervalMs = 40): Running {
  const reports: Report[] = [];
  const ac = new AbortController();
  const done = follow(
    sources,
    { tz: 'UTC', scope: {}, intervalMs, pollMs: 10, version: 'test', warn: () => undefined, onReport: (r) => void reports.push(r), directories },
    ac.signal,
  );
  const r: Running = {
    reports,
    stop: async () => {
      ac.abort();
      return done;
    },
    until: async (pred, what) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const last = reports[reports.length - 1];
        if (last && pred(last)) return last;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last report: ${last?.summary.requests} requests`);
        await new Promise((res) => setTimeout(res, 10));
      }
    },
  };
  running.push(r);
  return r;
}

const requests = (n: number) => (r: Report) => r.summary.requests === n;
const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));

afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

describe('isHistory', () => {
  it('takes numbered, dated and compressed members of a set as history, never the live file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-follow-'));
    const names = ['access.log.1', 'access.log.2.gz', 'access.log-20260112', 'access.log-2026-01-12', 'access.log-2026011210', 'error.log.3.bz2'];
    for (const n of [...names, 'access.log', 'php8.2-fpm.log']) writeFileSync(join(dir, n), 'x\n');
    expect(names.filter((n) => !isHistory(join(dir, n)))).toEqual([]);
    expect(isHistory(join(dir, 'access.log'))).toBe(false);
    expect(isHistory(join(dir, 'php8.2-fpm.log'))).toBe(false);
    // gzip whatever the name
    writeFileSync(join(dir, 'old'), gzipSync('x\n'));
    expect(isHistory(join(dir, 'old'))).toBe(true);
  });
});

describe('follow', () => {
  it('reads what the file holds, then the lines appended after start', async () => {
    const { log, f } = await followingThreeLines();
    appendFileSync(log, lines(4, [200, 502, 502, 200]));
    // half a line: it must wait for its end, not be counted as unrecognised
    const last = access(8, 504);
    appendFileSync(log, last.slice(0, 40));
    await f.until(requests(7), 'the appended lines');
    appendFileSync(log, last.slice(40));
    await f.until(requests(8), 'the completed line');
    const final = await f.stop();
    expect(final.summary).toMatchObject({ requests: 8, errors5xx: 4, byStatus: { 200: 4, 502: 3, 504: 1 } });
    expect(final.inputs[0]).toMatchObject({ format: 'nginx-access', lines: 8, records: 8, unrecognized: 0 });
  });

  it('survives logrotate rename + create, reading late writes to the renamed file first', async () => {
    const { log, f } = await followingThreeLines();
    appendFileSync(log, lines(4, [502, 200]));
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
    await pause(40);
    // nginx keeps writing to the renamed file until postrotate's USR1 makes it reopen, after the follower
    // has already moved to the new file
    appendFileSync(`${log}.1`, lines(6, [200, 503]));
    await pause(40);
    appendFileSync(log, lines(8, [200, 502, 200]));
    await f.until(requests(10), 'the new file');
    appendFileSync(log, lines(11, [500]));
    await f.until(requests(11), 'a line appended to the new file');
    const final = await f.stop();
    expect(final.summary).toMatchObject({ requests: 11, errors5xx: 5, byStatus: { 200: 6, 500: 1, 502: 3, 503: 1 } });
    expect(final.inputs[0]).toMatchObject({ lines: 11, records: 11, unrecognized: 0 });
  });

  it('survives copytruncate, taking the lines written just before it from the copy', async () => {
    const { log, f } = await followingThreeLines();

    // lines the follower has not read yet when logrotate copies and truncates: only the copy has them
    appendFileSync(log, lines(4, [502, 200]));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, lines(6, [200]));
    await f.until(requests(6), 'the copy and the truncated file');

    // a second rotation where the writer refills the file past the old offset before the next poll:
    // only the bytes before the offset tell that it is not the same content
    appendFileSync(log, lines(7, [503]));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, lines(8, [200, 200, 200, 500, 200, 200]));
    await f.until(requests(13), 'the refilled file');

    const final = await f.stop();
    expect(final.summary).toMatchObject({ requests: 13, errors5xx: 4, byStatus: { 200: 9, 500: 1, 502: 2, 503: 1 } });
    expect(final.inputs[0]).toMatchObject({ lines: 13, records: 13, unrecognized: 0, problems: [] });
  });

  it('follows log files that appear in a followed directory, from their first byte, but not rotated members', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-follow-'));
    const log = join(dir, 'access.log');
    writeFileSync(log, lines(1, [200, 502, 200]));
    writeFileSync(join(dir, 'access.log-20260111.gz'), gzipSync(lines(1, [200, 503])));
    const f = startDir(dir);
    await f.until(requests(5), 'the history');

    // a new vhost's log, and one in a subdirectory: their lines written before they were seen count too
    writeFileSync(join(dir, 'shop-access.log'), lines(4, [200, 504]));
    mkdirSync(join(dir, 'vhosts'));
    writeFileSync(join(dir, 'vhosts', 'blog.log'), lines(6, [500]));
    await f.until(requests(8), 'the new files');
    appendFileSync(join(dir, 'shop-access.log'), lines(7, [200]));
    await f.until(requests(9), 'a line appended to a new file');

    // dateext rotation: the renamed file and its compressed copy hold lines already read; so does a
    // followed file renamed to a name that does not say it is rotated
    appendFileSync(log, lines(8, [502]));
    renameSync(log, `${log}-20260112`);
    writeFileSync(log, lines(9, [200, 200]));
    await f.until(requests(12), 'the rotated file');
    writeFileSync(`${log}-20260112.gz`, gzipSync(readFileSync(`${log}-20260112`)));
    unlinkSync(`${log}-20260112`);
    renameSync(join(dir, 'shop-access.log'), join(dir, 'shop-access.old'));
    // seen in the same scan as the renamed files or a later one: any of them read again shows here
    writeFileSync(join(dir, 'late.log'), lines(11, [503]));
    await f.until(requests(13), 'a file created after the rotation');

    const final = await f.stop();
    expect(final.summary).toMatchObject({ requests: 13, errors5xx: 6, byStatus: { 200: 7, 500: 1, 502: 2, 503: 2, 504: 1 } });
    expect(final.inputs.map((i) => [i.path.slice(dir.length + 1), i.lines])).toEqual([
      ['access.log-20260111.gz', 2], ['access.log', 6], ['shop-access.log', 3], ['vhosts/blog.log', 1], ['late.log', 1],
    ]);
  });

  it('does not read a renamed file again when the next look at the directory is long after the rename', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-follow-'));
    const log = join(dir, 'access.log');
    writeFileSync(log, lines(1, [200, 502]));
    // one report at start and one at the end: only the rename itself can make the follower look
    const f = startDir(dir, 60_000);
    await f.until(requests(2), 'the history');
    renameSync(log, join(dir, 'access.old'));
    writeFileSync(log, lines(3, [200]));
    // long enough for the tail to let the renamed file go (10 quiet polls of 10 ms)
    await pause(300);
    const final = await f.stop();
    expect(final.summary).toMatchObject({ requests: 3, errors5xx: 1 });
    expect(final.inputs.map((i) => i.path.slice(dir.length + 1))).toEqual(['access.log']);
  });
});
