// Live mode on real files written while the follower runs: appended lines, logrotate's rename and its
// copytruncate, each line counted exactly once.
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { follow } from '../../src/follow/follow.js';
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
  const reports: Report[] = [];
  const ac = new AbortController();
  const done = follow(
    paths.map((path) => ({ path, kind: 'file' as const })),
    { tz: 'UTC', scope: {}, intervalMs: 40, pollMs: 10, version: 'test', warn: () => undefined, onReport: (r) => void reports.push(r) },
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

describe('follow', () => {
  it('reads what the file holds, then the lines appended after start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-follow-'));
    const log = join(dir, 'access.log');
    writeFileSync(log, lines(1, [200, 502, 200]));
    const f = start([log]);
    await f.until(requests(3), 'the history');
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
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-follow-'));
    const log = join(dir, 'access.log');
    writeFileSync(log, lines(1, [200, 502, 200]));
    const f = start([log]);
    await f.until(requests(3), 'the history');
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
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-follow-'));
    const log = join(dir, 'access.log');
    writeFileSync(log, lines(1, [200, 502, 200]));
    const f = start([log]);
    await f.until(requests(3), 'the history');

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
});
