// Apache access log (signatures.md §2.4): common, combined, vhost_combined, combined + %D/%T, or the user's
// own LogFormat (ctx.apacheLogFormat). %t is when the request was received, so timeIsStart is true.
import { type AccessCount, createAccessParser, sniffAccess } from './access-common.js';
import type { AccessScanState } from './access-line.js';
import type { LineParser, LogFormat, ParseContext } from './types.js';

const TIME_IS_START = true;

export const apacheAccess: LogFormat = {
  id: 'apache-access',
  title: 'Apache access log',
  sniff: (lines) => sniffAccess(lines).apache,
  createParser: (ctx) => createAccessParser(ctx, 'apache-access', TIME_IS_START),
};

/** The parser for a consumer that only counts ordinary lines (see createAccessParser). */
export function createApacheAccessCounter(ctx: ParseContext, count: AccessCount, state?: AccessScanState): LineParser {
  return createAccessParser(ctx, 'apache-access', TIME_IS_START, count, state);
}
