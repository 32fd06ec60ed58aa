// Process-level behaviour: stdout that may be closed early (| head), Ctrl-C, exit codes, TTY and colour.
import { readFileSync } from 'node:fs';
import { escapeTerminal } from '../report/escape.js';

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

let interrupted = false;

/** First Ctrl-C: stop reading and report what was read (marked partial). Second: leave at once. */
export function watchInterrupt(): () => boolean {
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('logsleuth: interrupted — finishing the report with what was read (Ctrl-C again to quit)\n');
  });
  return () => interrupted;
}

/**
 * A closed pipe (| head) ends the run quietly: the reader has what it wanted. Any other write error
 * (a full disk behind '> report.json') is one line and exit 1, never an unhandled 'error' event's stack.
 */
export function quietOnClosedPipe(): void {
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_OK);
    warn(`cannot write the output: ${err.message}`);
    process.exit(EXIT_INPUT);
  };
  process.stdout.on('error', onError);
}

export function useColor(): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}

export function terminalWidth(): number {
  return process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 100;
}

/** Writes and, when the pipe is full, waits for it to drain (NDJSON of big files). */
export async function writeOut(s: string): Promise<void> {
  if (!process.stdout.write(s)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
}

/**
 * One line on stderr. Messages quote paths found in scanned directories and text read from inputs, so
 * they are made terminal-safe like the report (a file named with an escape sequence is data, not a command).
 */
export function warn(message: string): void {
  process.stderr.write(`logsleuth: ${escapeTerminal(message)}\n`);
}

let cachedVersion: string | undefined;
export function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    cachedVersion = pkg.version ?? '0.0.0';
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}
