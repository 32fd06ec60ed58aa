// socket-permission (signatures.md §5.17): connect() to the backend denied with errno 13. On a unix socket
// that is the socket file's owner/mode (or a parent directory without x); on TCP, or with an SELinux AVC
// denial of the web server at that moment, it is SELinux (httpd_can_network_connect).
import type { DiagnoseContext } from '../diagnose/context.js';
import type { FixDirective } from '../report/schema.js';
import type { Signal } from '../signals/types.js';
import { SLACK_MS, sampleEvidence } from './helpers.js';
import {
  APACHE_VHOST,
  WEB_CONFIDENCE,
  claimScoped,
  connectFailures,
  directivesFor,
  noLiveClaimsFor,
  poolFileOf,
  scopedFinding,
  serverOf,
} from './lib-web.js';
import type { Rule } from './types.js';

const CONFIDENCE = WEB_CONFIDENCE['socket-permission'] ?? 0.95;
const STATUSES: readonly number[] = [502, 503];
const WEB_COMMS = /^(nginx|httpd|apache2?)$/;

function avcNear(ctx: DiagnoseContext, signals: readonly Signal[]): Signal[] {
  const avcs = ctx.bySig('K-AUDIT').filter((a) => WEB_COMMS.test(a.keys.comm ?? '') && /connectto|name_connect|write/.test(a.keys.variant ?? ''));
  return avcs.filter((a) => signals.some((s) => Math.abs(s.time - a.time) <= SLACK_MS));
}

function directivesOf(selinux: boolean, upstreamKey: string | undefined, server: 'nginx' | 'apache'): FixDirective[] {
  const user = server === 'apache' ? 'www-data (apache on RHEL)' : 'www-data (nginx on RHEL/Alpine)';
  if (selinux) {
    const port = /:(\d{1,5})$/.exec(upstreamKey ?? '')?.[1];
    return [
      { file: 'SELinux boolean (setsebool -P)', set: 'httpd_can_network_connect', to: '1', why: 'lets the web server connect to TCP backends' },
      { file: 'SELinux port labels (semanage port -a -t http_port_t -p tcp)', set: 'backend port', to: port ?? '<port>', why: 'only when you prefer labelling the port over the boolean' },
      { file: 'SELinux file labels (restorecon -Rv /run/php-fpm)', set: 'socket label', to: 'httpd_var_run_t', why: 'for unix sockets created in an unlabelled directory' },
    ];
  }
  const pool = poolFileOf(upstreamKey);
  const out: FixDirective[] = [
    { file: pool, set: 'listen.owner', to: user.split(' ')[0] ?? 'www-data', why: `the web server's user (${user})` },
    { file: pool, set: 'listen.group', to: user.split(' ')[0] ?? 'www-data' },
    { file: pool, set: 'listen.mode', to: '0660' },
    { file: APACHE_VHOST, set: 'SetHandler', to: '"proxy:unix:<socket>|fcgi://localhost" with the socket readable by the Apache user' },
  ];
  return directivesFor(out, server);
}

export const rule: Rule = {
  id: 'socket-permission',
  title: 'Web server not allowed to connect to the backend socket',
  layer: 'os',
  meaning:
    'The web server was denied access to the backend (errno 13, Permission denied): the PHP-FPM socket belongs to another user or has a restrictive mode, a parent directory is not searchable, or SELinux forbids the connection.',
  signals: ['N-CONNECT', 'A-CONNECT', 'K-AUDIT'],
  lookAlikes: ['upstream-down: errno 111/2 (nobody listening)', 'disk-full variant temp-permission: errno 13 on nginx temp files, not on connect'],
  fix: {
    summary: 'Give the web server user access to the FPM socket (pool listen.owner/group/mode), or allow the connection in SELinux.',
    directives: [
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'listen.owner', to: 'www-data', why: "the web server's user (nginx or apache on RHEL/Alpine)" },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'listen.group', to: 'www-data' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'listen.mode', to: '0660' },
      { file: 'SELinux boolean (setsebool -P)', set: 'httpd_can_network_connect', to: '1', why: 'TCP backends under SELinux' },
    ],
  },
  diagnose(ctx) {
    const fails = connectFailures(ctx).filter((f) => f.errno === 13);
    const noLive = noLiveClaimsFor(ctx, 'socket-permission', CONFIDENCE);
    if (fails.length === 0 && noLive.claims.length === 0) return [];
    const scoped = fails.filter((f) => f.requestScoped).map((f) => f.signal);
    const { claims } = claimScoped(ctx, scoped, CONFIDENCE, { statuses: STATUSES });
    for (const c of noLive.claims) if (!claims.some((x) => x.error === c.error)) claims.push(c);
    const signals = [...new Set(fails.flatMap((f) => [f.signal, f.errnoSignal]))];
    const avcs = avcNear(ctx, signals);
    const tcp = fails.some((f) => f.upstreamKey !== undefined && !f.upstreamKey.startsWith('unix:'));
    const selinux = avcs.length > 0 || tcp;
    const upstreamKey = fails.find((f) => f.upstreamKey)?.upstreamKey;
    const server = serverOf(signals);
    const f = scopedFinding(ctx, 'socket-permission', signals.length > 0 ? signals : noLive.bursts.flatMap((b) => b.marking), claims, {
      variant: selinux ? 'selinux' : 'socket-mode',
      directives: directivesOf(selinux, upstreamKey, server),
      evidence: sampleEvidence([...avcs.slice(0, 2), ...fails.map((x) => x.errnoSignal)]),
    });
    if (!f) return [];
    f.note = selinux
      ? avcs.length > 0
        ? 'SELinux denied the web server at the same moment (AVC in the kernel/audit log).'
        : 'The backend is TCP, where file modes do not apply: SELinux (or another LSM) is the likely reason.'
      : upstreamKey?.startsWith('unix:')
        ? `The web server user cannot open ${upstreamKey.slice(5)}: check "ls -l" of the socket and "namei -l" of its directories.`
        : 'The web server user cannot open the backend socket.';
    return [f];
  },
};
