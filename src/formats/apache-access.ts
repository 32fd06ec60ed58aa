// Apache access log (signatures.md §2.4): common, combined, vhost_combined, combined + %D/%T, or the user's
// own LogFormat (ctx.apacheLogFormat). %t is when the request was received, so timeIsStart is true.
import { createAccessParser, sniffAccess } from './access-common.js';
import type { LogFormat } from './types.js';

export const apacheAccess: LogFormat = {
  id: 'apache-access',
  title: 'Apache access log',
  sniff: (lines) => sniffAccess(lines).apache,
  createParser: (ctx) => createAccessParser(ctx, 'apache-access', true),
};
