// nginx access log (signatures.md §2.2): combined, main (+ "$http_x_forwarded_for"), the timing tails
// operators append, ingress-nginx's upstreaminfo, or the user's own log_format (ctx.nginxLogFormat).
// $time_local is written when the request ends, so timeIsStart is false.
import { createAccessParser, sniffAccess } from './access-common.js';
import type { LogFormat } from './types.js';

export const nginxAccess: LogFormat = {
  id: 'nginx-access',
  title: 'nginx access log',
  sniff: (lines) => sniffAccess(lines).nginx,
  createParser: (ctx) => createAccessParser(ctx, 'nginx-access', false),
};
