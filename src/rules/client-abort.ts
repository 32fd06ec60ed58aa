// client-abort (signatures.md §5.30): 499, the client went away. Noise: not a server fault and not a 5xx,
// so it never claims a 5xx and never ranks as a cause of its own.
//
// The one exception (X-499-CLUSTER: many 499s whose $request_time clusters at a front-end timeout such as
// 30/60/100 s) is evidence that something in front timed out on slow responses; the spec attaches such
// clusters to the slowness cause (§5.1/§5.9/§5.10) at 0.5, not to this id. The digest keeps no per-request
// data for non-5xx statuses (only per-second counts), so the cluster cannot be measured here; this rule
// therefore reports nothing, and the report lists 499 counts under the status meanings.
import type { Rule } from './types.js';

export const rule: Rule = {
  id: 'client-abort',
  title: 'Client closed the connection (499)',
  layer: 'edge',
  meaning: 'The client or a proxy in front closed the connection before the response was ready. Not a server error; listed separately from 5xx.',
  signals: ['N-CLIENT'],
  lookAlikes: ['a 499 cluster at a fixed request time (30 s, 60 s, 100 s) is a front-end timeout on slow responses: look at the slowness cause'],
  fix: {
    summary: 'Nothing to fix for true client aborts. If many 499s end at one fixed request time, a load balancer or CDN in front is timing out: fix the slow requests or align its timeout.',
    directives: [
      { file: 'load balancer / CDN', set: 'idle or origin timeout', to: 'longer than the web server\'s fastcgi_read_timeout/proxy_read_timeout' },
      { file: 'nginx site config (/etc/nginx/sites-enabled/<site>)', set: 'fastcgi_ignore_client_abort', to: 'on (only when scripts must finish after the client left)' },
    ],
  },
  diagnose() {
    return [];
  },
};
