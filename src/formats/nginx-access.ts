// nginx access log (signatures.md §2.2): combined, main (+ "$http_x_forwarded_for"), the timing tails
// operators append, ingress-nginx's upstreaminfo, or the user's own log_format (ctx.nginxLogFormat).
// $time_local is written when the request ends, so timeIsStart is false.
import { type AccessCount, createAccessParser, sniffAccess } from './access-common.js';
import type { AccessScanState } from './access-line.js';
import type { LineParser, LogFormat, ParseContext } from './types.js';

const TIME_IS_START = false;

export const nginxAccess: LogFormat = {
  id: 'nginx-access',
  title: 'nginx access log',
  sniff: (lines) => sniffAccess(lines).nginx,
  createParser: (ctx) => createAccessParser(ctx, 'nginx-access', TIME_IS_START),
};

/** The parser for a consumer that only counts ordinary lines (see createAccessParser). */
export function createNginxAccessCounter(ctx: ParseContext, count: AccessCount, state?: AccessScanState): LineParser {
  return createAccessParser(ctx, 'nginx-access', TIME_IS_START, count, state);
}
