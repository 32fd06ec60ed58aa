// The live loop: read what the logs already hold, then poll the live files for new lines and re-diagnose
// the growing digest every interval. Rotated and compressed members of a set (access.log.1, .2.gz) are
// history: read once. Followed directories are looked at again every interval for new live files. Piped
// stdin is read as it comes while the reports go on.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { FormatId } from '../formats/types.js';
import { ingestSource } from '../input/ingest.js';
import type { Source } from '../input/sources.js';
import type { Diagnosis } from '../diagnose/diagnose.js';
import type { Report } from '../report/schema.js';
import { emptySummary, type InputSummary } from '../input/summary.js';
import { parseRotated } from '../input/rotation.js';
import { NewFiles } from './discover.js';
import { Ingester } from './ingester.js';
import { DigestSession, type Scope } from './session.js';
import { FileTail } from './tail.js';

export interface FollowOptions {
  tz: string;
  inputFormat?: FormatId;
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  scope: Scope;
  /** how often the diagnosis is redone and reported */
  intervalMs: number;
  /** how often the files are checked for new lines */
  pollMs: number;
  version: string;
  top?: number;
  /** called after the history is read, then every interval, and once more when stopped (final) */
  onReport(report: Report, diagnosis: Diagnosis, final: boolean): Promise<void> | void;
  warn(message: string): void;
  /** directories given as inputs: new live files that appear in them are followed too */
  directories?: readonly string[];
}

/** A rotated or compressed member of a set is history: logrotate never appends to it. */
export function isHistory(path: string): boolean {
  const name = parseRotated(path);
  if (name.scheme !== 'live' || name.compression !== null) return true;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** True when `path` is another name of a file one of the tails reads. */
function heldByAny(live: readonly Live[], path: string): boolean {
  let st;
  try {
    st = statSync(path);
  } catch {
    return false;
  }
  return live.some((l) => l.tail.holds(st));
}

interface Live {
  tail: FileTail;
  ingester: Ingester;
}

/** Runs until `signal` aborts; resolves with the final report. */
export async function follow(sources: readonly Source[], opts: FollowOptions, signal: AbortSignal): Promise<Report> {
  const session = new DigestSession(opts.scope);
  const parse = { tz: opts.tz, inputFormat: opts.inputFormat, nginxLogFormat: opts.nginxLogFormat, apacheLogFormat: opts.apacheLogFormat };
  const inputs: InputSummary[] = [];
  const live: Live[] = [];
  const background: Promise<void>[] = [];
  /** a followed file was renamed since the directories were last looked at */
  let renamed = false;
  const startTail = (path: string): void => {
    const ingester = new Ingester(path, { ...parse, onRecord: session.add });
    inputs.push(ingester.summary);
    const tail = new FileTail(path, {
      data: (chunk) => ingester.push(chunk),
      rotated: () => {
        ingester.rotate();
        renamed = true;
      },
      retiredData: (chunk) => ingester.pushRetired(chunk),
      retiredEnded: () => ingester.endRetired(),
      restarted: () => ingester.restart(),
      problem: (message) => {
        ingester.summary.problems.push(message);
        opts.warn(`${path}: ${message}`);
      },
    });
    live.push({ tail, ingester });
  };

  for (const src of sources) {
    if (signal.aborted) break;
    if (src.kind === 'stdin') {
      // stdin ends when its writer does (tail -F | logsleuth --follow runs until stopped): read alongside
      const slot = inputs.push(emptySummary(src.path)) - 1;
      background.push(
        ingestSource(src, { ...parse, onRecord: session.add, shouldStop: () => signal.aborted }).then((s) => {
          inputs[slot] = s;
          for (const p of s.problems) opts.warn(`<stdin>: ${p}`);
        }),
      );
    } else if (isHistory(src.path)) {
      const s = await ingestSource(src, { ...parse, onRecord: session.add, shouldStop: () => signal.aborted });
      for (const p of s.problems) opts.warn(`${src.path}: ${p}`);
      inputs.push(s);
    } else {
      startTail(src.path);
    }
  }

  const newFiles = opts.directories?.length ? new NewFiles(opts.directories, sources.map((s) => s.path)) : undefined;
  /** Follows the live files that appeared in the directories since the last look, from their first byte. */
  const discover = (): void => {
    renamed = false;
    for (const path of newFiles?.next() ?? []) {
      // a member rotated away from a followed file (access.log.1, access.log-20260112) holds lines already
      // read; a live-looking name of a followed file's inode is the same (rename to a name we do not parse)
      if (isHistory(path) || heldByAny(live, path)) continue;
      startTail(path);
    }
  };

  /** Polls every live file; true when some file still has more to read right away. */
  const pollAll = (final: boolean): boolean => {
    let more = false;
    for (const l of live) {
      const r = l.tail.poll();
      if (r.more) more = true;
      l.ingester.settle(final || r.bytes === 0);
    }
    return more;
  };
  const report = async (final: boolean): Promise<Report> => {
    // an entry a parser holds waits for a next line that may not come for minutes; loggers write an entry
    // with its continuation lines in one write, so what is held now is complete
    for (const l of live) l.ingester.settle(true);
    const { report: r, diagnosis } = session.report(inputs, { tz: opts.tz, version: opts.version, top: opts.top, partial: false });
    await opts.onReport(r, diagnosis, final);
    return r;
  };

  // the history first, then a report of it
  while (!signal.aborted && pollAll(false)) await new Promise((resolve) => setImmediate(resolve));
  let next = Date.now() + opts.intervalMs;
  if (!signal.aborted) await report(false);

  while (!signal.aborted) {
    const due = Date.now() >= next;
    // a renamed file is recognised by its inode only while its tail still reads it: look at once, not at
    // the next interval, which may come after the tail has let it go
    if (due || renamed) discover();
    const more = pollAll(false);
    if (due) {
      await report(false);
      next = Math.max(next + opts.intervalMs, Date.now());
    }
    if (more) await new Promise((resolve) => setImmediate(resolve));
    else await sleep(Math.min(opts.pollMs, Math.max(0, next - Date.now())), signal);
  }

  // stopped: what was written up to now counts, and entries held by the parsers are complete
  discover();
  while (pollAll(true));
  // a quiet pipe would never end the stdin reader: end the stream as if its writer had closed it, so the
  // reader finishes normally (last line and held entries included) with the lines it got
  if (background.length > 0) {
    process.stdin.push(null);
    await Promise.all(background);
  }
  for (const l of live) {
    l.tail.close();
    l.ingester.settle(true);
  }
  return report(true);
}
