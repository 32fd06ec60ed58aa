// webserver-worker-crash (signatures.md §5.8): an nginx worker ("worker process N exited on signal 11") or
// an Apache child ("AH00052: child pid N exit signal Segmentation fault (11)") died. Requests it was serving
// vanish without an access-log line, so the local log shows no 5xx: the finding stands on the event itself
// (0.8) and affected-request counts are unknown. SIGKILL confirmed by a kernel OOM kill belongs to
// oom-killer (variant webserver); SIGTERM/SIGQUIT/SIGHUP are administrative, not crashes.
import type { DiagnoseContext } from '../diagnose/context.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import type { Culprit } from './types.js';
import { SLACK_MS, sampleEvidence } from './helpers.js';
import { APACHE_VHOST, NGINX_MAIN, dominant, longestAccessGapMs, topValues } from './lib-web.js';
import type { Finding, Rule } from './types.js';

const CONFIDENCE = 0.8;
/** SIGKILL with no OOM line while the kernel log covers the moment: someone killed it (§5.4 item 6). */
const SIGKILL_CONFIDENCE = 0.6;
/** SIGKILL and no kernel log: probably the OOM killer; too unsure to report on its own. */
const SIGKILL_UNCONFIRMED = 0.5;
const WEB_COMMS = /^(nginx|httpd|apache2?)$/;
const CRASH_VARIANTS: Readonly<Record<string, string>> = {
  SIGSEGV: 'segv',
  SIGBUS: 'bus',
  SIGABRT: 'abort',
  SIGILL: 'illegal-instruction',
  SIGFPE: 'fpe',
  SIGSYS: 'sigsys',
  SIGTRAP: 'trap',
};
/** How far around a crash the access log is searched for the silence it caused (X-GAP). */
const GAP_WINDOW_MS = 15_000;

interface Crash {
  event: Signal;
  pid: number | undefined;
  signal: string;
  server: 'nginx' | 'apache';
  kernel?: Signal;
}

function culpritOfObject(obj: string): Culprit | undefined {
  const name = obj.replace(/^.*\//, '');
  if (!/\.so(\.\d+)*$/.test(name) && !name.startsWith('lib')) return undefined;
  if (/^(nginx|apache2|httpd)$/.test(name)) return undefined;
  const kind = name.startsWith('ngx_') ? 'nginx-module' : name.startsWith('mod_') ? 'apache-module' : name.startsWith('libphp') ? 'php' : /^lib(c|pthread|ssl|crypto)\b/.test(name) ? 'system-library' : 'shared-object';
  return { kind, name, count: 1 };
}

function crashesOf(ctx: DiagnoseContext): Crash[] {
  const out: Crash[] = [];
  const kSegv = ctx.bySig('K-SEGV').filter((k) => WEB_COMMS.test(k.keys.comm ?? ''));
  const used = new Set<Signal>();
  const kernelFor = (pid: number | undefined, t: number): Signal | undefined => {
    const k = kSegv.find((x) => !used.has(x) && x.keys.pid === pid && Math.abs(x.time - t) <= 5_000);
    if (k) used.add(k);
    return k;
  };
  for (const s of ctx.bySig('N-PROC')) {
    if (s.keys.phase !== 'exit' || !s.keys.signal) continue;
    const c: Crash = { event: s, pid: s.keys.pid, signal: s.keys.signal, server: 'nginx' };
    const k = kernelFor(c.pid, s.time);
    if (k) c.kernel = k;
    out.push(c);
  }
  for (const s of ctx.bySig('A-CHILD')) {
    if (!s.keys.signal) continue;
    const c: Crash = { event: s, pid: s.keys.pid, signal: s.keys.signal, server: 'apache' };
    const k = kernelFor(c.pid, s.time);
    if (k) c.kernel = k;
    out.push(c);
  }
  // a kernel fault line alone (the web server's error log not supplied)
  for (const k of kSegv) {
    if (used.has(k)) continue;
    out.push({ event: k, pid: k.keys.pid, signal: k.keys.signal ?? 'SIGSEGV', server: k.keys.comm === 'nginx' ? 'nginx' : 'apache', kernel: k });
  }
  return out.sort((a, b) => a.event.time - b.event.time);
}

function directivesOf(server: 'nginx' | 'apache', culprit: string | undefined): FixDirective[] {
  if (server === 'nginx') {
    return [
      { file: NGINX_MAIN, set: 'worker_rlimit_core', to: '500M', why: 'keep a core dump to get a backtrace' },
      { file: NGINX_MAIN, set: 'working_directory', to: '/var/crash/nginx (writable by the worker user)' },
      { file: NGINX_MAIN, set: 'load_module', to: culprit ? `remove or update ${culprit}` : 'remove or update third-party modules', why: 'crashes in workers are almost always third-party modules' },
    ];
  }
  return [
    { file: 'Apache main config (/etc/apache2/apache2.conf)', set: 'CoreDumpDirectory', to: '/var/crash/apache2' },
    { file: APACHE_VHOST, set: 'PHP handler', to: 'mpm_event + proxy_fcgi to PHP-FPM instead of mod_php', why: 'a PHP crash then kills one FPM worker, not an Apache child' },
    ...(culprit ? [{ file: 'Apache/PHP modules', set: 'LoadModule / extension', to: `disable or update ${culprit}` }] : []),
  ];
}

export const rule: Rule = {
  id: 'webserver-worker-crash',
  title: 'Web server worker process crashed',
  layer: 'web',
  meaning:
    'An nginx worker or an Apache child process died on a fatal signal. The requests it was serving got no answer and left no line in the access log; a load balancer in front sees them as 502s.',
  signals: ['N-PROC', 'A-CHILD', 'K-SEGV', 'K-OOM'],
  lookAlikes: ['oom-killer (variant webserver): SIGKILL with a kernel OOM kill of nginx/apache', 'fpm-worker-crash: a PHP-FPM worker, not the web server, crashed', 'graceful reload/stop: workers exit with code 0 or SIGTERM/SIGQUIT'],
  fix: {
    summary: 'Get a core dump and a backtrace, then update or remove the module named in the fault line; with mod_php, move PHP to PHP-FPM.',
    directives: directivesOf('nginx', undefined),
  },
  diagnose(ctx) {
    const crashes = crashesOf(ctx);
    if (crashes.length === 0) return [];
    const ooms = ctx.bySig('K-OOM').filter((k) => WEB_COMMS.test(k.keys.comm ?? '') && k.keys.variant === 'kill');
    const kernelCovers = (t: number): boolean => {
      const c = ctx.coverage('kernel');
      return !!c && t >= c.from - 60_000 && t <= c.to + 60_000;
    };
    const real: Crash[] = [];
    const killed: Crash[] = [];
    for (const c of crashes) {
      if (CRASH_VARIANTS[c.signal]) real.push(c);
      else if (c.signal === 'SIGKILL') {
        // an OOM kill of the web server is oom-killer's (§5.8); pids differ across pid namespaces, so a kill
        // of a web-server process at that moment is enough
        const oom = ooms.some((k) => Math.abs(k.time - c.event.time) <= SLACK_MS);
        if (!oom) killed.push(c);
      }
    }
    const findings: Finding[] = [];
    for (const [list, kind] of [
      [real, 'crash'],
      [killed, 'kill'],
    ] as const) {
      if (list.length === 0) continue;
      const server = dominant(list.map((c) => c.server)) ?? 'nginx';
      const objects = list.map((c) => (c.kernel?.keys.detail ? culpritOfObject(c.kernel.keys.detail) : undefined)).filter((x): x is Culprit => !!x);
      const culprits = topValues(objects.map((o) => `${o.kind}\u0000${o.name}`)).map((v) => {
        const [k, n] = v.value.split('\u0000');
        return { kind: k ?? 'shared-object', name: n ?? v.value, count: v.count };
      });
      const signals = topValues(list.map((c) => c.signal));
      const gaps = list.map((c) => longestAccessGapMs(ctx, c.event.time - GAP_WINDOW_MS, c.event.time + GAP_WINDOW_MS));
      const maxGap = Math.max(0, ...gaps);
      const f: Finding = {
        cause: 'webserver-worker-crash',
        confidence: kind === 'crash' ? CONFIDENCE : list.some((c) => kernelCovers(c.event.time)) ? SIGKILL_CONFIDENCE : SIGKILL_UNCONFIRMED,
        claims: [],
        evidence: sampleEvidence([...list.map((c) => c.event), ...list.flatMap((c) => (c.kernel && c.kernel !== c.event ? [c.kernel] : []))]),
        variant: kind === 'crash' ? CRASH_VARIANTS[list[0]?.signal ?? ''] ?? 'crash' : 'external-sigkill',
        directives: directivesOf(server, culprits[0]?.name),
        note:
          `${list.length} ${server === 'nginx' ? 'nginx worker' : 'Apache child'} exit(s) on ${signals.map((s) => `${s.value}${s.count > 1 ? ` ×${s.count}` : ''}`).join(', ')}` +
          (culprits[0] ? `, faulting in ${culprits[0].name}` : '') +
          '. The requests they were serving left no access-log line' +
          (maxGap >= 3_000 ? `; the access log is silent for up to ${Math.round(maxGap / 1000)} s around the crashes` : '') +
          '. A load balancer in front would have logged 502s.' +
          (kind === 'kill' ? ' SIGKILL without an OOM kill: a deploy script, the container runtime or an administrator killed it.' : ''),
      };
      if (culprits.length > 0) f.culprits = culprits;
      if (kind === 'kill' && !list.some((c) => kernelCovers(c.event.time))) f.missingSources = ['kernel log'];
      findings.push(f);
    }
    return findings;
  },
};
