// `logsleuth --follow`: picks the output for where stdout goes and runs the live loop until Ctrl-C.
import type { InputFlags } from '../cli/options.js';
import type { Source } from '../input/sources.js';
import { follow } from './follow.js';
import { CLEAR_SCREEN, EpisodeAnnouncer, ndjsonLine, renderLive } from './output.js';
import type { Scope } from './session.js';

export interface FollowRun {
  flags: InputFlags;
  /** the directories among the inputs, looked at again for new files */
  directories: readonly string[];
  scope: Scope;
  json: boolean;
  intervalSeconds: number;
  top?: number;
  version: string;
  tty: boolean;
  color: boolean;
  width(): number;
  write(s: string): Promise<void>;
  warn(message: string): void;
}

/** Files are checked at least this often, and more often when reports are asked for more often. */
const MAX_POLL_MS = 1000;

export async function runFollow(sources: readonly Source[], run: FollowRun): Promise<void> {
  const ac = new AbortController();
  let stops = 0;
  const stop = (): void => {
    // a second Ctrl-C leaves at once, as in the batch mode
    if (++stops > 1) process.exit(130);
    ac.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const announcer = new EpisodeAnnouncer();
  const intervalMs = Math.max(50, Math.round(run.intervalSeconds * 1000));
  try {
    await follow(
      sources,
      {
        tz: run.flags.tz,
        inputFormat: run.flags.inputFormat,
        nginxLogFormat: run.flags.nginxLogFormat,
        apacheLogFormat: run.flags.apacheLogFormat,
        scope: run.scope,
        intervalMs,
        pollMs: Math.min(MAX_POLL_MS, Math.max(20, Math.floor(intervalMs / 4))),
        version: run.version,
        top: run.top,
        warn: run.warn,
        directories: run.directories,
        onReport: async (report) => {
          if (run.json) await run.write(ndjsonLine(report));
          else if (run.tty) {
            await run.write(CLEAR_SCREEN + renderLive(report, { color: run.color, width: run.width(), intervalSeconds: run.intervalSeconds, now: new Date() }));
          } else {
            for (const line of announcer.announce(report)) await run.write(line);
          }
        },
      },
      ac.signal,
    );
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
