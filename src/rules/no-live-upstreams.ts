// no-live-upstreams (signatures.md §5.13, derived): every server of an upstream group was marked failed, so
// nginx answered "no live upstreams" (502) and Apache "disabled connection" / "All workers are in error
// state" (503) without even trying. That is a mechanism, not a root cause: the servers were marked after
// earlier failures. lib-web's look-back (W-FAIL: nginx fail_timeout 10 s, Apache retry 60 s) finds them;
// when their cause is a rule that credits itself for the no-live 5xx (upstream-down, socket-permission,
// ephemeral-port-exhaustion, upstream-invalid-response, upstream-header-too-big, upstream-tls,
// dns-resolution), this rule leaves those 5xx alone. Otherwise (timeouts, resets, or no failure in the
// supplied logs: servers marked "down", max_conns reached) it claims them itself at a moderate 0.6.
import { NGINX_SITE, APACHE_VHOST, WEB_CONFIDENCE, noLiveBursts, scopedFinding, shortText, topValues } from './lib-web.js';
import type { Claim, Finding, Rule } from './types.js';

const CONFIDENCE = 0.6;

export const rule: Rule = {
  id: 'no-live-upstreams',
  title: 'All backend servers marked unavailable',
  layer: 'web',
  meaning:
    'Every server of a backend group had been marked as failed (after errors, or configured down / at max_conns), so the web server refused requests without trying them. Look at the failures that marked them.',
  signals: ['N-NOLIVE', 'A-CONNECT', 'A-BAL'],
  lookAlikes: ['the cause of the failures that marked the servers (connect refused, timeouts, resets) is the root'],
  residual: true,
  fix: {
    summary: 'Fix the failures that marked the servers; make marking less brittle and add a fallback.',
    directives: [
      { file: NGINX_SITE, set: 'upstream { server … }', to: 'max_fails=3 fail_timeout=10s; plus a backup server' },
      { file: NGINX_SITE, set: 'proxy_next_upstream', to: 'error timeout http_502 (idempotent routes only)' },
      { file: APACHE_VHOST, set: 'ProxyPass … retry', to: '0 (single FPM backend: retry at once instead of a 60 s lockout)' },
      { file: APACHE_VHOST, set: 'BalancerMember … retry / mod_proxy_hcheck', to: 'retry=5 and health checks (hcmethod=GET hcuri=/health)' },
    ],
  },
  diagnose(ctx) {
    const bursts = noLiveBursts(ctx).filter((b) => b.markingCause === undefined || WEB_CONFIDENCE[b.markingCause] === undefined);
    const findings: Finding[] = [];
    for (const server of ['nginx', 'apache'] as const) {
      const mine = bursts.filter((b) => b.server === server);
      if (mine.length === 0) continue;
      const claims: Claim[] = [];
      for (const b of mine) {
        const marker = b.marking[0];
        const via = marker ? `${server === 'nginx' ? 'no live upstreams' : 'proxy worker disabled'} ← ${shortText(marker)}` : undefined;
        for (const j of b.joins) {
          const c: Claim = { error: j.error, confidence: j.exact ? CONFIDENCE : CONFIDENCE - 0.1, why: j.exact ? 'same request' : 'same time window', evidence: j.evidence };
          if (via) c.via = via;
          claims.push(c);
        }
      }
      const signals = mine.flatMap((b) => b.signals);
      const marking = mine.flatMap((b) => b.marking);
      const causes = topValues(mine.map((b) => b.markingCause));
      const f = scopedFinding(ctx, 'no-live-upstreams', signals, claims, {
        variant: marking.length > 0 ? 'marked-after-failures' : 'no-failures-logged',
        upstreams: [...new Set(mine.map((b) => b.upstream))].slice(0, 10),
      });
      if (!f) continue;
      f.evidence = [...marking.slice(0, 2), ...f.evidence].slice(0, 6);
      f.note =
        causes.length > 0
          ? `The servers were marked failed after ${marking.length} earlier failure(s) pointing to ${causes.map((c) => c.value).join(', ')}: fix those and these refusals stop.`
          : server === 'nginx'
            ? 'No failure before the refusals is in the supplied logs: the servers were marked "down", reached max_conns, or failed before the logs start (a single-server upstream is never marked failed).'
            : 'No connect failure before the lockout is in the supplied logs: the worker was disabled earlier or is in error state for another reason.';
      findings.push(f);
    }
    return findings;
  },
};
