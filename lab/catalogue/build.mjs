#!/usr/bin/env node
// Deterministic generator for the catalogue-built scenarios and the demo bundle.
//
//   node lab/catalogue/build.mjs                 # every target
//   node lab/catalogue/build.mjs demo            # fixtures/demo only
//   node lab/catalogue/build.mjs catalogue-oom-killer catalogue-disk-full
//   node lab/catalogue/build.mjs --list
//   node lab/catalogue/build.mjs --out /tmp/x    # write under another root (determinism check)
//
// Lines are built from the examples and format strings of
// shared/design/signatures.md (Parts 2, 3 and Appendix B), not captured from servers.
// Same seed → byte-identical files. No clock, no network.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Rng, LogFile, wall, clfTime, ngxErrTime, fpmTime, apacheErrTime, f3,
  makeVisitors, wpSite, laravelSite, traffic, finishNginx, ngxAccess, ngxErr, kern, oomReport, counts, php, UA,
} from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
let ROOT = path.resolve(HERE, '../..');

const BERLIN = { tz: 'Europe/Berlin', off: 60 }; // January–March: CET, +01:00
const UTC = { tz: 'UTC', off: 0 };
const HOST = 'web1';

const CATALOGUE_NOTE =
  'Built by lab/catalogue/build.mjs from the format strings and example lines of shared/design/signatures.md ' +
  '(Parts 2-3, Appendix B); the lines are NOT captured from running servers. Times, pids and connection numbers ' +
  'are made consistent across files. Regenerate with `node lab/catalogue/build.mjs <name>`.';

const fpm = (t, level, msg) => `[${fpmTime(t)}] ${level}: ${msg}`;
const sec = (s) => s * 1000;
const min = (m) => m * 60000;

// ------------------------------------------------------------------ scaffolding
function nginxCtx(seed, { site, zone, start, minutes, views, cronEvery = 0, admin = 0, bots = 0.18, apiClients = null, monitorEvery = 60000 }) {
  const r = new Rng(seed);
  const vis = makeVisitors(r);
  const end = start + min(minutes);
  const reqs = traffic(r, site, vis, { start, end, views, cronEvery, admin, bots, apiClients, monitorEvery });
  // kernel uptime anchor (scenarios may override with their own boot time)
  const boot = start - sec(400000 + (seed % 997) * 1000) - 123;
  return { r, site, vis, zone, start, end, reqs, boot, err: new LogFile(), fpm: new LogFile(), kern: new LogFile(), slow: new LogFile() };
}
function fpmStartup(ctx, t, masterPid) {
  ctx.fpm.add(t, fpm(t, 'NOTICE', `fpm is running, pid ${masterPid}`));
  ctx.fpm.add(t, fpm(t, 'NOTICE', 'ready to handle connections'));
  ctx.fpm.add(t, fpm(t, 'NOTICE', 'systemd monitor interval set to 10000ms'));
}
function accessFile(ctx, kv = true) {
  const f = new LogFile();
  for (const q of ctx.reqs) f.add(q.end, ngxAccess(q, ctx.zone.off, kv));
  return f.render();
}
/** remove background requests that overlap [a, b) (used to make gaps / keep incidents clean) */
function dropBetween(ctx, a, b, pred = () => true) {
  ctx.reqs = ctx.reqs.filter((q) => !(q.start >= a && q.start < b && pred(q)));
}
function upFail(site, status, urt, { uct = '0.000', uht = '-' } = {}) {
  return { addr: site.upstream, us: String(status), uct, uht, urt: f3(urt) };
}
function frames(r, list) {
  let a = 0x7f3b8c015000 + r.int(0, 0xfff) * 16;
  return list.map(([fn, file, line]) => {
    const s = `[0x0000${a.toString(16).padStart(12, '0')}] ${fn}() ${file}:${line}`;
    a -= 0x100 + r.int(0, 8) * 16;
    return s;
  });
}
function slowEntry(t, pid, script, fr) {
  return `\n[${fpmTime(t)}]  [pool www] pid ${pid}\nscript_filename = ${script}\n${fr.join('\n')}`;
}
function slowAnnounce(ctx, t, pid, script, uri, method, secs) {
  ctx.fpm.add(t, fpm(t, 'WARNING', `[pool www] child ${pid}, script '${script}' (request: "${method} ${uri}") executing too slow (${secs.toFixed(6)} sec), logging`));
  ctx.fpm.add(t, fpm(t, 'NOTICE', `child ${pid} stopped for tracing`));
  ctx.fpm.add(t, fpm(t, 'NOTICE', `about to trace ${pid}`));
  ctx.fpm.add(t, fpm(t, 'NOTICE', `finished trace of ${pid}`));
}
/** an in-flight request whose worker vanished: 502 after `dur` seconds, ending at `t` */
function lostRequest(ctx, vis, t, dur, method, uri, ref = '-') {
  const q = php(ctx.r, vis, t - sec(dur), method, uri, 502, 166, ref, 0.1);
  q.rt = dur + ctx.r.int(0, 9) / 1000;
  q.up = upFail(ctx.site, 502, q.rt, { uht: '-' });
  return q;
}
function kernNoise(ctx, t) {
  const r = ctx.r;
  const src = r.pick(['203.0.113.', '198.51.100.', '192.0.2.']) + r.int(2, 254);
  const port = r.pick([23, 2323, 3389, 5900, 6379, 8088, 445, 22222]);
  ctx.kern.add(t, kern(t, HOST, ctx.boot, `[UFW BLOCK] IN=ens3 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=${src} DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=${r.int(230, 250)} ID=${r.int(1000, 65000)} PROTO=TCP SPT=${r.int(1024, 65000)} DPT=${port} WINDOW=1024 RES=0x00 SYN URGP=0 `, r.int(0, 999)));
}
function kernNoiseSpread(ctx, n) {
  for (let i = 0; i < n; i++) kernNoise(ctx, Math.floor(ctx.start + ctx.r.next() * (ctx.end - ctx.start)));
}
function phpNoise(ctx, n, docroot = '/var/www/html') {
  // PHP warnings/deprecations of requests that still succeed (hidden, not 5xx)
  const msgs = [
    `PHP message: PHP Warning:  Undefined array key "variation_id" in ${docroot}/wp-content/themes/storefront-child/inc/woocommerce.php on line 88`,
    `PHP message: PHP Deprecated:  Creation of dynamic property WC_Product_Simple::$rp_score is deprecated in ${docroot}/wp-content/plugins/related-products-pro/src/Scorer.php on line 57`,
    `PHP message: PHP Warning:  Attempt to read property "ID" on null in ${docroot}/wp-content/themes/storefront-child/functions.php on line 214`,
  ];
  const cands = ctx.reqs.filter((q) => q.php && q.status === 200 && q.method === 'GET' && !q.uri.startsWith('/wp-cron'));
  for (let i = 0; i < n && cands.length; i++) {
    const q = cands[ctx.r.int(0, cands.length - 1)];
    q.noise = ctx.r.pick(msgs);
  }
}
function emitPhpNoise(ctx) {
  for (const q of ctx.reqs) if (q.noise) ctx.err.add(q.end - 1, ngxErr(q.end - Math.round(q.rt * 500), 'error', q, ctx.site, `FastCGI sent in stderr: "${q.noise}"`, { action: 'reading response header from upstream' }));
}
function expected(obj) {
  return JSON.stringify(obj, null, 2) + '\n';
}

// ------------------------------------------------------------------ catalogue scenarios
const targets = {};

targets['catalogue-oom-killer'] = () => {
  const site = wpSite();
  const zone = BERLIN;
  const start = wall(2026, 2, 3, 14, 0, 0);
  const ctx = nginxCtx(101, { site, zone, start, minutes: 25, views: 68, cronEvery: min(5) });
  const { r, vis } = ctx;
  ctx.boot = start - sec(812345) - 321;
  fpmStartup(ctx, start - min(187) + 4000, 902);
  // three worker kills; pids match across kern.log and the FPM log
  const kills = [
    { t: wall(2026, 2, 3, 14, 12, 37, 412), pid: 4711, newPid: 4790, uptime: 812.503321, dur: 41.3, how: 'premature', uri: '/product-category/sale/?orderby=price-desc&filter_size=m', inv: 4718, anon: 1612340 },
    { t: wall(2026, 2, 3, 14, 13, 5, 90), pid: 4718, newPid: 4791, uptime: 838.114002, dur: 22.8, how: 'premature', uri: '/shop/?orderby=popularity&paged=3', inv: 4725, anon: 1433812 },
    { t: wall(2026, 2, 3, 14, 14, 41, 733), pid: 4725, newPid: 4795, uptime: 931.220918, dur: 17.1, how: 'recv', uri: '/product/waxed-rain-jacket/', inv: 4702, anon: 1391004 },
  ];
  for (const k of kills) {
    const v = r.pick(vis.browsers);
    const rep = oomReport(r, {
      t: k.t, host: HOST, boot: ctx.boot,
      invoker: { pid: k.inv, comm: 'php-fpm8.2' },
      victim: { pid: k.pid, comm: 'php-fpm8.2', uid: 33, vm: k.anon + 412000, anon: k.anon, file: 0, shmem: 12345, pgt: 3480 },
      tasks: [
        { pid: 612, uid: 106, vm: 1302117, rss: 98211, pgt: 1212416, comm: 'mariadbd' },
        { pid: 902, uid: 0, vm: 59811, rss: 5110, pgt: 180224, comm: 'php-fpm8.2' },
        { pid: 1187, uid: 33, vm: 14980, rss: 1920, pgt: 114688, comm: 'nginx' },
        { pid: k.inv, uid: 33, vm: 398112, rss: 321004, pgt: 2871296, comm: 'php-fpm8.2' },
        { pid: k.pid, uid: 33, vm: Math.round((k.anon + 412000) / 4), rss: Math.round(k.anon / 4), pgt: 3563520, comm: 'php-fpm8.2' },
      ],
    });
    for (const l of rep.lines) ctx.kern.add(k.t, l);
    ctx.kern.add(k.t + 80, rep.reaper(k.t + 80));
    const tf = k.t + 350; // FPM notices SIGCHLD a moment later
    ctx.fpm.add(tf, fpm(tf, 'WARNING', `[pool www] child ${k.pid} exited on signal 9 (SIGKILL) after ${k.uptime.toFixed(6)} seconds from start`));
    ctx.fpm.add(tf + 2, fpm(tf + 2, 'NOTICE', `[pool www] child ${k.newPid} started`));
    const q = lostRequest(ctx, v, k.t + 2, k.dur, 'GET', k.uri, `https://${site.host}/shop/`);
    q.errKind = k.how;
    ctx.reqs.push(q);
  }
  // the box was swapping to death: everything else got slower around the kills
  for (const q of ctx.reqs) if (q.php && q.status === 200 && q.start > wall(2026, 2, 3, 14, 11, 30) && q.start < wall(2026, 2, 3, 14, 15, 30)) q.rt *= r.float(4, 12);
  kernNoiseSpread(ctx, 6);
  phpNoise(ctx, 4);
  finishNginx(r, ctx.reqs, site);
  for (const q of ctx.reqs) {
    if (q.errKind === 'premature') ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'upstream prematurely closed connection', { action: 'reading response header from upstream' }));
    if (q.errKind === 'recv') ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'recv() failed (104: Connection reset by peer)', { action: 'reading response header from upstream' }));
  }
  emitPhpNoise(ctx);
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-oom-killer',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render(), 'php8.2-fpm.log': ctx.fpm.render(), 'kern.log': ctx.kern.render() },
    expected: {
      description: 'Kernel OOM killer kills three php-fpm8.2 workers (pids 4711, 4718, 4725) on a 4 GB WordPress host; each in-flight request ends as 502 after long upstream time.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'oom-killer', rank: 1, confidence: [0.85, 1.0], fiveXX: 3, variant: 'worker' }],
      notes: `${CATALOGUE_NOTE} Chain per 502: kern.log "Out of memory: Killed process <pid> (php-fpm8.2)" = php8.2-fpm.log "child <pid> exited on signal 9 (SIGKILL)" (W-PID, same second) → nginx "upstream prematurely closed connection" / "recv() failed (104)" → 502 with urt 17-41 s (X-502-AFTER-WORK). Rule §5.4 item 1 / §5.27 row 1: 0.95. Kernel lines include the usual OOM dump (Call Trace, Mem-Info, task table) which the parser must skip.`,
    },
  };
};

targets['catalogue-host-memory-exhausted'] = () => {
  const site = laravelSite();
  const zone = UTC;
  const start = wall(2026, 3, 17, 8, 40, 0);
  const ctx = nginxCtx(202, {
    site, zone, start, minutes: 22, views: 95,
    apiClients: [
      { kind: 'api', ip: '198.51.100.77', ua: UA.okhttp, proto: 'HTTP/1.1' },
      { kind: 'api', ip: '203.0.113.140', ua: UA.pyreq, proto: 'HTTP/1.1' },
    ],
  });
  const { r, vis } = ctx;
  ctx.boot = start - sec(2201234) - 77;
  fpmStartup(ctx, start - min(300) + 2000, 611);
  const t0 = wall(2026, 3, 17, 8, 51, 3);
  // the OS refuses memory: FPM cannot fork and PHP's allocator gets NULL from mmap
  for (const [dt, pidHint] of [[0, 0], [19000, 0], [64000, 0]]) {
    const t = t0 + dt + pidHint;
    ctx.fpm.add(t, fpm(t, 'ERROR', 'fork() failed: Cannot allocate memory (12)'));
  }
  const oomReqs = [
    [2400, 'GET', '/reports/monthly', 'vendor/laravel/framework/src/Illuminate/Collections/Collection.php', 1719, 44040192, 8388608],
    [9100, 'GET', '/api/v1/orders?page=1&per_page=500', 'vendor/laravel/framework/src/Illuminate/Database/Connection.php', 423, 27262976, 2097160],
    [21300, 'GET', '/reports/monthly', 'vendor/laravel/framework/src/Illuminate/Collections/Collection.php', 1719, 44040192, 8388608],
    [38800, 'POST', '/api/v1/orders', 'vendor/laravel/framework/src/Illuminate/Database/Eloquent/Model.php', 1234, 18874368, 262144],
    [52500, 'GET', '/dashboard', 'vendor/laravel/framework/src/Illuminate/View/Compilers/BladeCompiler.php', 170, 14680064, 131072],
    [71900, 'GET', '/api/v1/orders?page=2&per_page=500', 'vendor/laravel/framework/src/Illuminate/Database/Connection.php', 423, 27262976, 2097160],
  ];
  for (const [dt, method, uri, file, line, alloc, req] of oomReqs) {
    const v = uri.startsWith('/api') ? { ip: '198.51.100.77', ua: UA.okhttp, proto: 'HTTP/1.1' } : r.pick(vis.browsers);
    const q = php(r, v, t0 + dt, method, uri, 500, 0, uri.startsWith('/api') ? '-' : `https://${site.host}/dashboard`, 0.1);
    q.rt = r.float(0.4, 2.6);
    q.bytes = r.int(580, 620);
    q.up = { addr: site.upstream, us: '500', uct: '0.000', uht: f3(q.rt - 0.001), urt: f3(q.rt) };
    q.errMsg = `FastCGI sent in stderr: "PHP message: PHP Fatal error:  Out of memory (allocated ${alloc} bytes) (tried to allocate ${req} bytes) in /var/www/app/${file} on line ${line}"`;
    ctx.reqs.push(q);
  }
  kernNoiseSpread(ctx, 5);
  finishNginx(r, ctx.reqs, site);
  for (const q of ctx.reqs) if (q.errMsg) ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, q.errMsg, { action: 'reading response header from upstream' }));
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-host-memory-exhausted',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render(), 'php8.2-fpm.log': ctx.fpm.render(), 'kern.log': ctx.kern.render() },
    expected: {
      description: 'Laravel app on a host with strict overcommit (vm.overcommit_memory=2): PHP\'s allocator gets no memory ("Out of memory (allocated N bytes)") and FPM cannot fork; six 500s. No OOM kill in kern.log.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'host-memory-exhausted', rank: 1, confidence: [0.85, 1.0], fiveXX: 6 }],
      notes: `${CATALOGUE_NOTE} Each 500 is joined to its own "FastCGI sent in stderr: PHP Fatal error:  Out of memory (allocated …)" line (W-REQ, §5.2/§5.3, 0.95). Must NOT be php-memory-exhausted (no "Allowed memory size") nor oom-killer (kern.log covers the window and has no kill). FPM "fork() failed: Cannot allocate memory (12)" lines are supporting.`,
    },
  };
};

targets['catalogue-disk-full'] = () => {
  const site = wpSite();
  const zone = UTC;
  const start = wall(2026, 1, 20, 3, 0, 0);
  const ctx = nginxCtx(303, { site, zone, start, minutes: 24, views: 62, cronEvery: min(5), admin: { from: 0.3, to: 0.8 } });
  const { r, vis } = ctx;
  const full0 = wall(2026, 1, 20, 3, 9, 40);
  // uploads from the admin fail: nginx cannot buffer the body to /var/lib/nginx/body
  const uploads = [[0, 'POST', '/wp-admin/async-upload.php'], [41000, 'POST', '/wp-admin/async-upload.php'], [95000, 'POST', '/wp-admin/async-upload.php'], [260000, 'POST', '/wp-admin/media-new.php'], [402000, 'POST', '/wp-admin/async-upload.php']];
  let tmp = 123;
  for (const [dt, method, uri] of uploads) {
    const q = php(r, vis.admin, full0 + dt, method, uri, 500, 177, `https://${site.host}/wp-admin/upload.php`, 0.1);
    q.php = false; // never reached FPM
    q.rt = r.float(0.8, 3.5);
    q.up = null;
    q.errMsg = `pwritev() "/var/lib/nginx/body/00000${String(tmp++).padStart(5, '0')}" failed (28: No space left on device)`;
    ctx.reqs.push(q);
  }
  // sessions cannot be written (warnings, requests still 200)
  const sess = ctx.reqs.filter((q) => q.php && q.status === 200 && q.start > full0 && q.start < full0 + min(8) && (q.uri.startsWith('/cart') || q.uri.startsWith('/my-account') || q.uri.startsWith('/?wc-ajax')));
  for (const q of sess.slice(0, 6)) q.sessWarn = true;
  // a big response could not be spooled to fastcgi_temp: truncated 200 (hidden failure)
  const big = ctx.reqs.find((q) => q.php && q.status === 200 && q.ip === vis.admin.ip && q.start > full0 + min(2));
  if (big) big.tempFail = true;
  kernNoiseSpread(ctx, 4);
  finishNginx(r, ctx.reqs, site);
  for (const q of ctx.reqs) {
    if (q.errMsg) ctx.err.add(q.end, ngxErr(q.end - Math.round(q.rt * 1000) + 300, 'crit', q, site, q.errMsg, { upstream: false }));
    if (q.sessWarn) ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'FastCGI sent in stderr: "PHP message: PHP Warning:  Unknown: Write failed: No space left on device (28) in Unknown on line 0PHP message: PHP Warning:  Unknown: Failed to write session data (files). Please verify that the current setting of session.save_path is correct (/var/lib/php/sessions) in Unknown on line 0"', { action: 'reading upstream' }));
    if (q.tempFail) ctx.err.add(q.end, ngxErr(q.end, 'crit', q, site, `pwrite() "/var/lib/nginx/fastcgi/3/27/0000000${r.int(100, 999)}" failed (28: No space left on device)`, { action: 'reading upstream' }));
  }
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-disk-full',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render(), 'kern.log': ctx.kern.render() },
    expected: {
      description: '/var/lib fills up during a nightly backup: nginx cannot buffer upload bodies (pwritev ENOSPC 28 → 500), PHP cannot write sessions (warnings, 200), one FastCGI temp file write fails (truncated 200).',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'disk-full', rank: 1, confidence: [0.85, 1.0], fiveXX: uploads.length }],
      notes: `${CATALOGUE_NOTE} The 500s have ua="-" us="-" (nginx never reached FPM) and join their own [crit] pwritev() (28) line (§5.22, 0.9). Session "Write failed: No space left on device (28)" lines and the "pwrite() … while reading upstream" line belong to 200 requests: hidden failures, not 5xx. Logs live on a separate /var/log volume, so logging continued.`,
    },
  };
};

targets['catalogue-ephemeral-port-exhaustion'] = () => {
  const site = wpSite({ upstream: '127.0.0.1:9000' });
  const zone = UTC;
  const start = wall(2026, 2, 11, 19, 30, 0);
  const ctx = nginxCtx(404, { site, zone, start, minutes: 18, views: 60, bots: 0.25 });
  const { r, vis } = ctx;
  ctx.boot = start - sec(6123456) - 11;
  // a campaign spike: many short PHP requests over TCP without keepalive → TIME_WAIT piles up
  const s0 = wall(2026, 2, 11, 19, 41, 0);
  for (let i = 0; i < 38; i++) ctx.reqs.push(...site.pageView(r, r.pick(vis.browsers), s0 + r.int(0, 150000)));
  const fails = [1200, 1900, 2300, 9100, 9300, 31000, 48800, 49100, 77400];
  for (const dt of fails) {
    const v = r.pick(vis.browsers);
    const q = php(r, v, s0 + 20000 + dt, 'GET', r.pick(['/', '/shop/', '/product/merino-beanie/', '/product/organic-cotton-hoodie/', '/product-category/sale/']), 502, 166, 'https://www.google.com/', 0.1);
    q.rt = 0;
    q.up = { addr: '127.0.0.1:9000', us: '502', uct: '-', uht: '-', urt: '0.000' };
    q.errMsg = 'connect() to 127.0.0.1:9000 failed (99: Cannot assign requested address)';
    ctx.reqs.push(q);
  }
  for (const [dt, n] of [[18000, 0], [21000, 41], [50000, 17]]) {
    const t = s0 + dt;
    if (n) ctx.kern.add(t, kern(t, HOST, ctx.boot, `net_ratelimit: ${n} callbacks suppressed`, 211));
    ctx.kern.add(t + 1, kern(t + 1, HOST, ctx.boot, 'TCP: time wait bucket table overflow', 487));
  }
  kernNoiseSpread(ctx, 5);
  finishNginx(r, ctx.reqs, site, { tcp: true });
  for (const q of ctx.reqs) if (q.errMsg) ctx.err.add(q.end, ngxErr(q.end, 'crit', q, site, q.errMsg, { action: 'connecting to upstream' }));
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-ephemeral-port-exhaustion',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render(), 'kern.log': ctx.kern.render() },
    expected: {
      description: 'nginx → FPM over TCP 127.0.0.1:9000 without keepalive during a traffic spike: no local port left, connect() fails with errno 99 → immediate 502s.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'ephemeral-port-exhaustion', rank: 1, confidence: [0.85, 1.0], fiveXX: fails.length }],
      notes: `${CATALOGUE_NOTE} [crit] connect() … (99: Cannot assign requested address) joined per request (§5.18, 0.9); kernel "TCP: time wait bucket table overflow" is supporting (K-OTHER). 502s show uct="-" urt="0.000" (X-502-FAST).`,
    },
  };
};

targets['catalogue-too-many-open-files'] = () => {
  const site = wpSite();
  const zone = BERLIN;
  const start = wall(2026, 1, 27, 21, 0, 0);
  const ctx = nginxCtx(505, { site, zone, start, minutes: 20, views: 70 });
  const { r, vis } = ctx;
  const e0 = wall(2026, 1, 27, 21, 9, 12);
  // accept() failing: clients are not served at all for ~25 s (no access lines)
  dropBetween(ctx, e0 + 30000, e0 + 56000);
  for (let dt = 30000; dt < 56000; dt += r.int(700, 4000)) {
    const t = e0 + dt;
    ctx.err.add(t, `${ngxErrTime(t)} [crit] ${r.pick([1187, 1188])}#${r.pick([1187, 1188])}: accept4() failed (24: Too many open files) while accepting new connection on 0.0.0.0:443`.replace(/(\d+)#\d+/, (m, a) => `${a}#${a}`));
  }
  const fails = [
    [0, 'socket', 'GET', '/shop/'], [2100, 'socket', 'GET', '/product/linen-shirt-navy/'], [7800, 'static', 'GET', '/wp-content/themes/storefront/style.css?ver=4.6.0'],
    [15500, 'socket', 'POST', '/?wc-ajax=get_refreshed_fragments'], [22900, 'static', 'GET', '/wp-includes/js/jquery/jquery.min.js?ver=3.7.1'], [64000, 'socket', 'GET', '/'],
  ];
  for (const [dt, kind, method, uri] of fails) {
    const v = r.pick(vis.browsers);
    const q = php(r, v, e0 + dt, method, uri, 500, kind === 'static' ? 579 : 579, `https://${site.host}/`, 0.1);
    q.rt = kind === 'static' ? 0 : 0.001;
    if (kind === 'socket') {
      q.up = { addr: '-', us: '-', uct: '-', uht: '-', urt: '0.000' };
      q.errMsg = ['alert', 'socket() failed (24: Too many open files)', 'connecting to upstream', true];
    } else {
      q.php = false;
      q.up = null;
      const file = uri.replace(/\?.*/, '');
      q.errMsg = ['crit', `open() "/var/www/html${file}" failed (24: Too many open files)`, null, false];
    }
    ctx.reqs.push(q);
  }
  finishNginx(r, ctx.reqs, site);
  for (const q of ctx.reqs) if (q.errMsg) ctx.err.add(q.end, ngxErr(q.end, q.errMsg[0], q, site, q.errMsg[1], { action: q.errMsg[2] ?? undefined, upstream: q.errMsg[3] }));
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-too-many-open-files',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render() },
    expected: {
      description: 'nginx runs out of file descriptors (worker_rlimit_nofile too low): socket() to the upstream fails (500), open() of static files fails (500), accept4() fails (no access lines for ~25 s).',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'too-many-open-files', rank: 1, confidence: [0.8, 1.0], fiveXX: fails.length }],
      notes: `${CATALOGUE_NOTE} 500s (not 502) because nginx never got an upstream connection (§1.2, Part 7 #7): ua="-" us="-". Request-scoped (24) lines → 0.9 (§5.21); the accept4() lines explain an access-log gap (X-GAP) of about 25 s with no 5xx recorded for the dropped clients.`,
    },
  };
};

targets['catalogue-webserver-worker-crash'] = () => {
  const site = wpSite();
  const zone = UTC;
  const start = wall(2026, 2, 24, 16, 0, 0);
  const ctx = nginxCtx(606, { site, zone, start, minutes: 20, views: 70 });
  const { r } = ctx;
  ctx.boot = start - sec(412345) - 888;
  const crashes = [
    { t: wall(2026, 2, 24, 16, 7, 14, 220), pid: 1188, ip: '00007f9d2c41b6e2', base: '7f9d2c417000' },
    { t: wall(2026, 2, 24, 16, 9, 51, 610), pid: 5120, ip: '00007f9d2c41b6e2', base: '7f9d2c417000' },
    { t: wall(2026, 2, 24, 16, 12, 3, 45), pid: 5177, ip: '00007f9d2c41b6e2', base: '7f9d2c417000' },
  ];
  const pids = [1187, 1188];
  for (const c of crashes) {
    ctx.kern.add(c.t, kern(c.t, HOST, ctx.boot, `nginx[${c.pid}]: segfault at 10 ip ${c.ip} sp 00007ffc1a2b3c40 error 4 in ngx_http_geoip2_module.so[${c.base}+4000] likely on CPU 0 (core 0, socket 0)`, 403));
    ctx.kern.add(c.t, kern(c.t, HOST, ctx.boot, 'Code: 48 8b 47 10 48 85 c0 74 1b 48 8b 50 08 48 85 d2 74 12 <48> 8b 02 c3 66 0f 1f 44 00 00 31 c0 c3 0f 1f 40 00 f3 0f 1e fa', 419));
    const te = c.t + 20;
    ctx.err.add(te, `${ngxErrTime(te)} [alert] 1102#1102: worker process ${c.pid} exited on signal 11 (core dumped)`);
    // requests on that worker die with it: nothing in the access log for a few seconds
    dropBetween(ctx, c.t - 4000, c.t + 3000);
  }
  // later requests are served by the respawned workers
  finishNginx(r, ctx.reqs, site, { workers: pids });
  for (const q of ctx.reqs) {
    if (q.start > crashes[0].t) q.wpid = q.wpid === 1188 ? 5120 : 1187;
    if (q.start > crashes[1].t && q.wpid === 5120) q.wpid = 5177;
    if (q.start > crashes[2].t && q.wpid === 5177) q.wpid = 5230;
  }
  phpNoise(ctx, 3);
  emitPhpNoise(ctx);
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-webserver-worker-crash',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render(), 'kern.log': ctx.kern.render() },
    expected: {
      description: 'nginx worker processes segfault in a third-party module (ngx_http_geoip2_module.so) three times in five minutes; requests they held vanish without access-log lines.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'webserver-worker-crash', rank: 1, confidence: [0.7, 0.9], fiveXX: 0, variant: 'segv' }],
      notes: `${CATALOGUE_NOTE} The access log has no 5xx at all: the lost requests leave no line (§5.8); a load balancer in front would have seen 502s. Evidence: nginx [alert] "worker process N exited on signal 11 (core dumped)" + kernel "nginx[N]: segfault … in ngx_http_geoip2_module.so" with the same pid, and ~7 s access-log gaps around each crash. Confidence ≈ 0.8 for the event; affected request count unknown.`,
    },
  };
};

targets['catalogue-apache-workers-exhausted'] = () => {
  const r = new Rng(707);
  const zone = BERLIN;
  const start = wall(2026, 3, 5, 11, 0, 0);
  const end = start + min(25);
  const site = wpSite({ host: 'www.example.org' });
  const vis = makeVisitors(r);
  let reqs = traffic(r, site, vis, { start, end, views: 62 });
  const hot0 = wall(2026, 3, 5, 11, 10, 30);
  const hot1 = wall(2026, 3, 5, 11, 16, 45);
  // newsletter spike: lots of visitors, every request waits for a free worker
  for (let i = 0; i < 60; i++) reqs.push(...site.pageView(r, r.pick(vis.browsers), hot0 + r.int(0, hot1 - hot0)));
  for (const q of reqs) {
    if (q.start >= hot0 && q.start < hot1) {
      const depth = Math.min(1, (q.start - hot0) / (hot1 - hot0 - 60000));
      q.rt = q.rt + (q.php ? r.float(4, 12) : r.float(0.5, 3)) * (0.3 + depth);
    }
  }
  // gap: the listen backlog is full, no request is even read for ~40 s
  const gap0 = wall(2026, 3, 5, 11, 15, 20);
  reqs = reqs.filter((q) => !(q.start >= gap0 && q.start < gap0 + 40000));
  const acc = new LogFile();
  const err = new LogFile();
  const pid = () => r.pick([2311, 2312, 2478]);
  const tid = () => `1402${r.int(10000000, 99999999)}${r.int(1000, 9999)}`.slice(0, 15);
  for (const q of reqs) {
    q.end = q.start + Math.round(q.rt * 1000);
    const D = Math.round(q.rt * 1e6) + r.int(80, 900);
    // %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D  (Apache: %t is the start)
    acc.add(q.end, `${q.ip} - - [${clfTime(q.start, zone.off)}] "${q.method} ${q.uri} ${q.proto === 'HTTP/2.0' ? 'HTTP/1.1' : q.proto}" ${q.status} ${q.bytes === 0 ? '-' : q.bytes} "${q.ref}" "${q.ua}" ${D}`);
  }
  const boot = wall(2026, 3, 5, 6, 25, 3, 512);
  err.add(boot, `[${apacheErrTime(boot, 412)}] [mpm_event:notice] [pid 2190:tid 140234567890000] AH00489: Apache/2.4.62 (Debian) configured -- resuming normal operations`);
  err.add(boot + 1, `[${apacheErrTime(boot + 1, 77)}] [core:notice] [pid 2190:tid 140234567890000] AH00094: Command line: '/usr/sbin/apache2'`);
  const w1 = hot0 + 81234;
  err.add(w1, `[${apacheErrTime(w1, 18)}] [mpm_event:warn] [pid 2190:tid 140234567890000] AH10159: server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting`);
  const w2 = hot0 + 97001;
  err.add(w2, `[${apacheErrTime(w2, 9)}] [mpm_event:error] [pid 2190:tid 140234567890000] AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting`);
  // unrelated noise
  for (let i = 0; i < 3; i++) {
    const t = start + r.int(0, end - start);
    err.add(t, `[${apacheErrTime(t, r.int(0, 999))}] [proxy_fcgi:error] [pid ${pid()}:tid ${tid()}] [client ${r.pick(vis.browsers).ip}:${r.int(30000, 65000)}] AH01071: Got error 'Primary script unknown'`);
  }
  const c = { ...counts(reqs), accessLogFormat: 'combined+%D' };
  return {
    dir: 'fixtures/scenarios/catalogue-apache-workers-exhausted',
    files: { 'access.log': acc.render(), 'error.log': err.render() },
    expected: {
      description: 'Apache 2.4 (mpm_event, MaxRequestWorkers 150) in front of FPM during a newsletter spike: AH10159 then AH00484, %D climbs to 5-20 s for every URL, then ~40 s without any access line. Apache itself logs no 5xx.',
      source: 'catalogue', stack: 'apache+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'apache-workers-exhausted', rank: 1, confidence: [0.6, 0.8], fiveXX: 0 }],
      notes: `${CATALOGUE_NOTE} Access format: combined + %D (microseconds); %t is the request START, so lines are written in end order and their timestamps are not monotonic. AH00484 is logged once per server lifetime (§5.19: 0.7 for the first episode). The report must say that Apache's own log shows slow 200s, not 503s; the users saw timeouts at whatever sits in front.`,
    },
  };
};

targets['catalogue-backend-5xx'] = () => {
  const site = laravelSite();
  const zone = UTC;
  const start = wall(2026, 2, 17, 6, 50, 0);
  const ctx = nginxCtx(808, {
    site, zone, start, minutes: 20, views: 90,
    apiClients: [
      { kind: 'api', ip: '198.51.100.77', ua: UA.okhttp, proto: 'HTTP/1.1' },
      { kind: 'api', ip: '203.0.113.140', ua: UA.pyreq, proto: 'HTTP/1.1' },
    ],
  });
  const { r } = ctx;
  fpmStartup(ctx, start - min(900) + 1500, 711);
  // `php artisan down` during a deploy: the app answers 503 itself, nothing is logged
  const d0 = wall(2026, 2, 17, 6, 58, 20);
  const d1 = wall(2026, 2, 17, 7, 2, 5);
  let n = 0;
  for (const q of ctx.reqs) {
    if (q.php && q.start >= d0 && q.start < d1) {
      q.status = 503;
      q.bytes = q.uri.startsWith('/api') ? 47 : 6382;
      q.rt = r.float(0.006, 0.02);
      n++;
    }
  }
  phpNoise(ctx, 0);
  finishNginx(r, ctx.reqs, site);
  // unrelated error-log content before and after
  const quiet = ctx.reqs.filter((q) => q.php && q.status === 200 && q.uri.startsWith('/orders/'));
  for (const q of quiet.slice(0, 3)) ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, `FastCGI sent in stderr: "PHP message: PHP Deprecated:  Implicit conversion from float 12.5 to int loses precision in /var/www/app/app/Support/Money.php on line 41"`, { action: 'reading response header from upstream' }));
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-backend-5xx',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render(), 'php8.2-fpm.log': ctx.fpm.render() },
    expected: {
      description: 'Laravel maintenance mode (`php artisan down`) for ~4 minutes during a deploy: every PHP request answers 503 quickly, upstream_status = status = 503, no error line anywhere.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'backend-5xx', rank: 1, confidence: [0.3, 0.5], fiveXX: n }],
      notes: `${CATALOGUE_NOTE} X-UPSTREAM-5XX with no error line and no PHP message (§5.25, 0.4): the tool can say who produced the 503s (the backend) but not why. Static files kept answering 200 during the window; FPM log shows no lifecycle event (it was not restarted).`,
    },
  };
};

targets['catalogue-webserver-config-error'] = () => {
  const site = wpSite();
  const zone = UTC;
  const start = wall(2026, 3, 2, 10, 0, 0);
  const ctx = nginxCtx(909, { site, zone, start, minutes: 20, views: 72 });
  const { r } = ctx;
  // a deploy swaps the release symlink with index.php missing for ~2.5 minutes
  const d0 = wall(2026, 3, 2, 10, 11, 2);
  const d1 = wall(2026, 3, 2, 10, 13, 31);
  let n = 0;
  for (const q of ctx.reqs) {
    if (q.php && q.start >= d0 && q.start < d1 && !/^\/wp-(cron|login|admin)/.test(q.uri)) {
      q.status = 500;
      q.bytes = 579;
      q.rt = 0;
      q.up = null;
      q.php = false;
      q.cycle = true;
      n++;
    }
  }
  finishNginx(r, ctx.reqs, site);
  for (const q of ctx.reqs) if (q.cycle) ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'rewrite or internal redirection cycle while internally redirecting to "/index.php"', { upstream: false }));
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-webserver-config-error',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render() },
    expected: {
      description: 'A deploy leaves /var/www/html without index.php for 2.5 minutes: try_files … /index.php loops and nginx answers 500 for every pretty URL.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'webserver-config-error', rank: 1, confidence: [0.85, 1.0], fiveXX: n }],
      notes: `${CATALOGUE_NOTE} "rewrite or internal redirection cycle while internally redirecting to \\"/index.php\\"" joins each 500 (W-REQ, §5.26, 0.95). The 500s have no upstream (ua="-" us="-"); the nginx error line has no upstream part. Direct scripts (/wp-cron.php, /wp-admin/…) kept working.`,
    },
  };
};

targets['catalogue-upstream-reset'] = () => {
  const site = wpSite({ upstream: '127.0.0.1:9000' });
  const zone = BERLIN;
  const start = wall(2026, 1, 14, 13, 0, 0);
  const ctx = nginxCtx(1010, { site, zone, start, minutes: 22, views: 70 });
  const { r, vis } = ctx;
  fpmStartup(ctx, start - min(75) + 900, 1455);
  // FPM log covers the window: only normal recycling (pm.max_requests) before and after
  for (const [t, old, nu, up] of [[start + min(3) + 4411, 1502, 1610, 3601.224411], [start + min(19) + 1200, 1507, 1655, 3710.801002]]) {
    ctx.fpm.add(t, fpm(t, 'NOTICE', `[pool www] child ${old} exited with code 0 after ${up.toFixed(6)} seconds from start`));
    ctx.fpm.add(t + 3, fpm(t + 3, 'NOTICE', `[pool www] child ${nu} started`));
  }
  const e0 = wall(2026, 1, 14, 13, 9, 26);
  const resets = [[0, 0.412, 'GET', '/product/alpaca-gloves/'], [1730, 0.207, 'POST', '/?wc-ajax=checkout'], [67020, 1.904, 'GET', '/shop/'], [68100, 0.033, 'GET', '/']];
  for (const [dt, dur, method, uri] of resets) {
    const q = lostRequest(ctx, r.pick(vis.browsers), e0 + dt, dur, method, uri, `https://${site.host}/`);
    q.up.uct = '0.000';
    q.errKind = 'premature';
    ctx.reqs.push(q);
  }
  finishNginx(r, ctx.reqs, site, { tcp: true });
  for (const q of ctx.reqs) if (q.errKind) ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'upstream prematurely closed connection', { action: 'reading response header from upstream' }));
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-upstream-reset',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render(), 'php8.2-fpm.log': ctx.fpm.render() },
    expected: {
      description: 'Four 502s with "upstream prematurely closed connection" (FPM on 127.0.0.1:9000) and nothing deeper: the FPM log covers the window and shows no exit, terminate or lifecycle line; no kernel log supplied.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'upstream-reset', rank: 1, confidence: [0.3, 0.5], fiveXX: resets.length }],
      notes: `${CATALOGUE_NOTE} Residual of §5.27 (row 11: FPM log covers the time, no exit/lifecycle lines → 0.4). The two "exited with code 0" lines are normal pm.max_requests recycling 6 minutes away and must not explain the resets. The report should ask for kern.log.`,
    },
  };
};

targets['catalogue-fpm-worker-crash'] = () => {
  const site = wpSite();
  const zone = UTC;
  const start = wall(2026, 2, 9, 9, 30, 0);
  const ctx = nginxCtx(1111, { site, zone, start, minutes: 22, views: 70 });
  const { r, vis } = ctx;
  ctx.boot = start - sec(991234) - 12;
  fpmStartup(ctx, start - min(30) + 2100, 1021);
  const crashes = [
    { t: wall(2026, 2, 9, 9, 38, 12, 301), pid: 4712, newPid: 4801, up: 3.120001, uri: '/cart/', ip: '00007f2a1c8d1a2e' },
    { t: wall(2026, 2, 9, 9, 39, 40, 87), pid: 4801, newPid: 4803, up: 87.903311, uri: '/?wc-ajax=get_refreshed_fragments', method: 'POST', ip: '00007f2a1c8d1a2e' },
    { t: wall(2026, 2, 9, 9, 41, 5, 640), pid: 4744, newPid: 4810, up: 512.660107, uri: '/cart/', ip: '00007f2a1c8d1a2e' },
    { t: wall(2026, 2, 9, 9, 44, 29, 12), pid: 4810, newPid: 4822, up: 203.37512, uri: '/checkout/', ip: '00007f2a1c8d1a2e' },
  ];
  for (const c of crashes) {
    ctx.kern.add(c.t, kern(c.t, HOST, ctx.boot, `php-fpm8.2[${c.pid}]: segfault at 18 ip ${c.ip} sp 00007ffd5e1a0b40 error 4 in redis.so[7f2a1c8c0000+3a000] likely on CPU ${r.int(0, 1)} (core ${r.int(0, 1)}, socket 0)`, 122));
    ctx.kern.add(c.t, kern(c.t, HOST, ctx.boot, 'Code: 00 00 48 8b 7d 00 e8 6e 2d ff ff 48 8b 45 10 48 89 df 48 8b 40 18 <48> 8b 50 18 e8 18 fd ff ff 85 c0 0f 84 9a 00 00 00 48 8b 45 10', 131));
    const tf = c.t + 180;
    ctx.fpm.add(tf, fpm(tf, 'WARNING', `[pool www] child ${c.pid} exited on signal 11 (SIGSEGV - core dumped) after ${c.up.toFixed(6)} seconds from start`));
    ctx.fpm.add(tf + 1, fpm(tf + 1, 'NOTICE', `[pool www] child ${c.newPid} started`));
    const q = lostRequest(ctx, r.pick(vis.browsers), c.t + 3, r.float(0.05, 0.4), c.method ?? 'GET', c.uri, `https://${site.host}/product/merino-beanie/`);
    q.errKind = r.chance(0.5) ? 'premature' : 'recv';
    ctx.reqs.push(q);
  }
  kernNoiseSpread(ctx, 4);
  finishNginx(r, ctx.reqs, site);
  for (const q of ctx.reqs) {
    if (q.errKind === 'premature') ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'upstream prematurely closed connection', { action: 'reading response header from upstream' }));
    if (q.errKind === 'recv') ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'recv() failed (104: Connection reset by peer)', { action: 'reading response header from upstream' }));
  }
  const c = counts(ctx.reqs);
  return {
    dir: 'fixtures/scenarios/catalogue-fpm-worker-crash',
    files: { 'access.log': accessFile(ctx), 'error.log': ctx.err.render(), 'php8.2-fpm.log': ctx.fpm.render(), 'kern.log': ctx.kern.render() },
    expected: {
      description: 'PHP-FPM workers segfault in the redis extension (redis.so) on cart/checkout requests: four SIGSEGV exits confirmed by kernel segfault lines with the same pids; four 502s.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [{ cause: 'fpm-worker-crash', rank: 1, confidence: [0.85, 1.0], fiveXX: crashes.length, variant: 'segv' }],
      notes: `${CATALOGUE_NOTE} §5.7: F-EXIT signal 11 ↔ proxy close/reset within W-CLOSE → 0.9, 0.95 with K-SEGV for the same pid. Culprit: php-extension redis (K-SEGV "in redis.so[…]", §6.7). Crash 2 happens to the replacement worker of crash 1 (pid 4801).`,
    },
  };
};

// ------------------------------------------------------------------ the demo bundle
targets.demo = () => {
  const site = wpSite();
  const zone = BERLIN;
  const start = wall(2026, 1, 12, 9, 0, 0);
  const ctx = nginxCtx(4242, { site, zone, start, minutes: 120, views: 880, cronEvery: min(4), admin: { from: 0.18, to: 0.36 } });
  const { r, vis } = ctx;
  const docroot = '/var/www/html';
  ctx.boot = start - sec(1734567) - 123;
  const T = (h, m, s = 0, ms = 0) => wall(2026, 1, 12, h, m, s, ms);
  // FPM: log rotated at 06:25 (SIGUSR1), workers recycled now and then
  const rot = T(6, 25, 2);
  ctx.fpm.add(rot, fpm(rot, 'NOTICE', 'error log file re-opened'));
  let nextPid = 23410;
  const workers = [];
  for (let i = 0; i < 14; i++) workers.push(23190 + i * 7);
  const newPid = () => (nextPid += r.int(2, 9));
  const replaced = []; // [time, old pid, new pid] of OOM kills
  const aliveAt = (t) => {
    const w = workers.slice();
    for (const [kt, o, n] of replaced) if (kt <= t) w[w.indexOf(o)] = n;
    return w;
  };
  const slowReq = (q, pid, script, fr) => {
    const ts = q.start + 5000 + r.int(1, 30);
    const qs = q.uri.includes('?') ? q.uri.slice(q.uri.indexOf('?')) : '';
    slowAnnounce(ctx, ts, pid, script, script.replace(docroot, '') + qs, q.method, 5 + r.float(0.0005, 0.03));
    ctx.slow.add(ts, slowEntry(ts, pid, script, frames(r, fr)));
  };

  // (a) memory_limit episode from one plugin (second biggest)
  const boe = `${docroot}/wp-content/plugins/bulk-order-export/includes`;
  const memEvents = [
    [T(9, 24, 51), 'admin', 'GET', '/wp-admin/admin.php?page=bulk-order-export&action=download&format=csv', 'class-boe-exporter.php', 318, 20480, 11.2],
    [T(9, 26, 37), 'admin', 'GET', '/wp-admin/admin.php?page=bulk-order-export&action=download&format=csv', 'class-boe-exporter.php', 318, 20480, 10.7],
    [T(9, 27, 58), 'admin', 'POST', '/wp-admin/admin-ajax.php', 'class-boe-query.php', 141, 4194312, 6.3],
    [T(9, 28, 40), 'admin', 'POST', '/wp-admin/admin-ajax.php', 'class-boe-query.php', 141, 4194312, 6.1],
    [T(9, 30, 12), 'self', 'POST', `/wp-cron.php?doing_wp_cron=${Math.floor((T(9, 30, 12) - 3600000) / 1000)}.4821590232`, 'class-boe-exporter.php', 318, 20480, 12.9],
    [T(9, 31, 2), 'admin', 'GET', '/wp-admin/admin.php?page=bulk-order-export&action=download&format=xlsx', 'class-boe-xlsx-writer.php', 77, 65536, 8.8],
    [T(9, 33, 47), 'admin', 'GET', '/wp-admin/admin.php?page=bulk-order-export&action=download&format=csv&range=month', 'class-boe-exporter.php', 318, 20480, 9.4],
    [T(9, 35, 15), 'self', 'POST', `/wp-cron.php?doing_wp_cron=${Math.floor((T(9, 35, 15) - 3600000) / 1000)}.1170349913`, 'class-boe-exporter.php', 318, 20480, 13.1],
    [T(9, 37, 29), 'admin', 'GET', '/wp-admin/admin.php?page=bulk-order-export&action=download&format=csv&range=week', 'class-boe-exporter.php', 318, 20480, 7.2],
  ];
  for (const [t, who, method, uri, file, line, req, dur] of memEvents) {
    const v = vis[who];
    const q = php(r, v, t, method, uri, 500, 0, who === 'admin' ? `https://${site.host}/wp-admin/admin.php?page=bulk-order-export` : '-', 0.1);
    q.rt = dur;
    q.bytes = 0;
    q.up = { addr: site.upstream, us: '500', uct: '0.000', uht: f3(dur - 0.001), urt: f3(dur - 0.001) };
    q.errMsg = `FastCGI sent in stderr: "PHP message: PHP Fatal error:  Allowed memory size of 268435456 bytes exhausted (tried to allocate ${req} bytes) in ${boe}/${file} on line ${line}"`;
    ctx.reqs.push(q);
    const script = uri.startsWith('/wp-cron') ? `${docroot}/wp-cron.php` : uri.startsWith('/wp-admin/admin-ajax') ? `${docroot}/wp-admin/admin-ajax.php` : `${docroot}/wp-admin/admin.php`;
    slowReq(q, r.pick(workers), script, [
      ['wc_get_order', `${boe}/class-boe-query.php`, 139],
      ['fetch_orders', `${boe}/class-boe-exporter.php`, 301],
      ['build_rows', `${boe}/class-boe-exporter.php`, 274],
      ['export', `${boe}/class-boe-exporter.php`, 96],
      ['do_action', `${docroot}/wp-includes/plugin.php`, 517],
      ['[INCLUDE_OR_EVAL]', script, 46],
    ]);
  }

  // (b) OOM-kill wave (biggest): leaking workers (pm.max_requests = 0) on a 4 GB VM
  const rpp = `${docroot}/wp-content/plugins/related-products-pro/src`;
  const killTimes = [
    T(10, 8, 14, 220), T(10, 8, 49, 901), T(10, 9, 33, 17), T(10, 10, 2, 640), T(10, 10, 41, 88), T(10, 11, 20, 412),
    T(10, 11, 58, 5), T(10, 12, 44, 730), T(10, 13, 19, 301), T(10, 14, 3, 999), T(10, 14, 50, 124), T(10, 15, 36, 610),
    T(10, 16, 22, 45), T(10, 17, 9, 808), T(10, 17, 57, 333), T(10, 18, 40, 470), T(10, 19, 26, 901), T(10, 20, 15, 12),
  ];
  const victims = workers.slice();
  let kn = 0;
  for (const kt of killTimes) {
    const idx = (kn * 5) % victims.length;
    const victim = victims[idx];
    const replacement = newPid();
    victims[idx] = replacement;
    replaced.push([kt, victim, replacement]);
    const invoker = victims[(idx + 3) % victims.length];
    const anon = r.int(231000, 289000) * 4 + r.int(0, 3);
    const rep = oomReport(r, {
      t: kt, host: HOST, boot: ctx.boot,
      invoker: { pid: invoker, comm: 'php-fpm8.2' },
      victim: { pid: victim, comm: 'php-fpm8.2', uid: 33, vm: anon + 418000 + r.int(0, 4000), anon, file: r.int(0, 64) * 4, shmem: 12300 + r.int(0, 200), pgt: 2100 + r.int(0, 400) },
      tasks: [
        { pid: 689, uid: 106, vm: 1301554, rss: 101233, pgt: 1220608, comm: 'mariadbd' },
        { pid: 812, uid: 0, vm: 59811, rss: 5104, pgt: 180224, comm: 'php-fpm8.2' },
        { pid: 1187, uid: 33, vm: 15001, rss: 1990, pgt: 114688, comm: 'nginx' },
        { pid: invoker, uid: 33, vm: 159000 + r.int(0, 9000), rss: 61000 + r.int(0, 5000), pgt: 1900000 + r.int(0, 90000), comm: 'php-fpm8.2' },
        { pid: victim, uid: 33, vm: Math.round((anon + 418000) / 4), rss: Math.round(anon / 4), pgt: 2200000 + r.int(0, 90000), comm: 'php-fpm8.2' },
      ],
    });
    for (const l of rep.lines) ctx.kern.add(kt, l);
    ctx.kern.add(kt + 60, rep.reaper(kt + 60));
    const tf = kt + r.int(120, 700);
    ctx.fpm.add(tf, fpm(tf, 'WARNING', `[pool www] child ${victim} exited on signal 9 (SIGKILL) after ${(3000 + (kt - start) / 1000 + r.float(0, 900)).toFixed(6)} seconds from start`));
    ctx.fpm.add(tf + 1, fpm(tf + 1, 'NOTICE', `[pool www] child ${replacement} started`));
    const who = r.chance(0.85) ? r.pick(vis.browsers) : r.pick(vis.google);
    const uri = r.weighted([[4, `/product/${r.pick(['merino-beanie', 'waxed-rain-jacket', 'linen-shirt-navy', 'recycled-backpack', 'alpaca-gloves', 'denim-jacket-classic'])}/`], [2, '/shop/'], [2, `/product-category/${r.pick(['clothing', 'outdoor', 'sale'])}/`], [1, '/']]);
    const dur = r.float(3.5, 19);
    const q = lostRequest(ctx, who, kt + r.int(1, 60), dur, 'GET', uri, who.kind === 'bot' ? '-' : `https://${site.host}/shop/`);
    q.errKind = r.chance(0.7) ? 'premature' : 'recv';
    q.wpidHint = victim;
    ctx.reqs.push(q);
    if (dur > 5.2) {
      slowReq(q, victim, `${docroot}/index.php`, [
        ['unserialize', `${rpp}/Index.php`, 212],
        ['load_matrix', `${rpp}/Index.php`, 188],
        ['related_for', `${rpp}/Scorer.php`, 64],
        ['render', `${rpp}/Widget.php`, 33],
        ['apply_filters', `${docroot}/wp-includes/plugin.php`, 205],
        ['[INCLUDE_OR_EVAL]', `${docroot}/wp-content/themes/storefront/single-product.php`, 19],
      ]);
    }
    kn++;
  }
  // swap-less memory pressure: everything PHP is slower during the wave
  for (const q of ctx.reqs) if (q.php && q.status === 200 && q.start > T(10, 7, 30) && q.start < T(10, 20, 30)) q.rt *= r.float(2, 7);

  // (c) short pool-exhaustion burst: an SEO crawler hammers faceted search
  const b0 = T(10, 41, 10);
  const b1 = T(10, 43, 30);
  const crawler = { kind: 'bot', ip: '185.191.171.4', ua: 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)', proto: 'HTTP/1.1' };
  for (let t = b0; t < b1; t += r.int(150, 700)) {
    const uri = r.chance(0.5)
      ? `/?s=${r.pick(['hoodie', 'beanie', 'socks', 'jacket', 'scarf', 'gloves'])}&post_type=product&paged=${r.int(1, 30)}`
      : `/product-category/${r.pick(['clothing', 'accessories', 'outdoor', 'sale'])}/?orderby=${r.pick(['price', 'price-desc', 'rating', 'date'])}&filter_color=${r.pick(['blue', 'grey', 'green', 'navy', 'black'])}&filter_size=${r.pick(['s', 'm', 'l', 'xl'])}`;
    const q = php(r, crawler, t, 'GET', uri, 200, r.int(30000, 52000), '-', 2.1);
    q.rt = Math.min(q.rt + (t - b0) / 60000, 9);
    ctx.reqs.push(q);
  }
  const busy = T(10, 41, 52);
  ctx.fpm.add(busy, fpm(busy, 'WARNING', '[pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 15 total children'));
  const maxc = T(10, 41, 58);
  ctx.fpm.add(maxc, fpm(maxc, 'WARNING', '[pool www] server reached pm.max_children setting (20), consider raising it'));
  const eagain = [T(10, 42, 21, 100), T(10, 42, 29, 730), T(10, 42, 30, 10), T(10, 42, 44, 500), T(10, 42, 58, 202), T(10, 43, 3, 880), T(10, 43, 11, 90)];
  eagain.forEach((t, i) => {
    const who = i % 3 === 1 ? r.pick(vis.browsers) : crawler;
    const uri = who === crawler ? `/?s=${r.pick(['hoodie', 'socks'])}&post_type=product&paged=${r.int(5, 30)}` : r.pick(['/shop/', '/product/merino-beanie/', '/cart/']);
    const q = php(r, who, t, 'GET', uri, 502, 166, who === crawler ? '-' : 'https://www.google.com/', 0.1);
    q.rt = 0;
    q.up = { addr: site.upstream, us: '502', uct: '-', uht: '-', urt: '0.000' };
    q.errMsg = 'connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable)';
    q.errAction = 'connecting to upstream';
    ctx.reqs.push(q);
  });

  // (d) a few 500s that nothing explains (WooCommerce answers 500 without logging)
  const unexplained = [[T(9, 13, 27), 'POST', '/?wc-ajax=checkout', `https://${site.host}/checkout/`], [T(10, 5, 12), 'GET', '/my-account/orders/', `https://${site.host}/my-account/`], [T(10, 52, 40), 'POST', '/wp-json/wc/store/v1/cart/add-item', `https://${site.host}/product/canvas-tote-bag/`]];
  for (const [t, method, uri, ref] of unexplained) {
    const q = php(r, r.pick(vis.browsers), t, method, uri, 500, r.int(120, 180), ref, 0.3);
    q.up = undefined;
    ctx.reqs.push(q);
  }

  // noise: Safari touch icons missing (static 404 with open() failed), PHP warnings with 200
  for (const q of ctx.reqs.filter((x) => x.ua.includes('iPhone') && x.php && x.status === 200).slice(0, 40)) {
    if (!r.chance(0.3)) continue;
    const icon = r.pick(['/apple-touch-icon.png', '/apple-touch-icon-precomposed.png']);
    const s = { ...q, method: 'GET', start: q.start + r.int(100, 900), uri: icon, status: 404, bytes: 153, rt: 0, php: false, up: null, ref: '-', conn: undefined, wpid: undefined, errMsg: undefined, noise: undefined, missing: true };
    ctx.reqs.push(s);
  }
  phpNoise(ctx, 16, docroot);
  // slow wp-cron calls to the update API (http-call, harmless)
  for (const q of ctx.reqs.filter((x) => x.uri.startsWith('/wp-cron.php') && x.status === 200).slice(0, 40)) {
    if (!r.chance(0.12)) continue;
    q.rt = r.float(5.3, 7.9);
    slowReq(q, r.pick(aliveAt(q.start)), `${docroot}/wp-cron.php`, [
      ['curl_exec', `${docroot}/wp-includes/Requests/src/Transport/Curl.php`, 205],
      ['request', `${docroot}/wp-includes/Requests/src/Requests.php`, 469],
      ['request', `${docroot}/wp-includes/class-wp-http.php`, 396],
      ['wp_update_plugins', `${docroot}/wp-includes/update.php`, 492],
      ['do_action_ref_array', `${docroot}/wp-includes/plugin.php`, 565],
      ['[INCLUDE_OR_EVAL]', `${docroot}/wp-cron.php`, 191],
    ]);
  }
  // pm.max_requests-free pool still recycles idle children now and then (NOTICE)
  kernNoiseSpread(ctx, 14);

  finishNginx(r, ctx.reqs, site);
  for (const q of ctx.reqs) {
    if (q.errMsg) ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, q.errMsg, { action: q.errAction ?? 'reading response header from upstream' }));
    if (q.errKind === 'premature') ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'upstream prematurely closed connection', { action: 'reading response header from upstream' }));
    if (q.errKind === 'recv') ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, 'recv() failed (104: Connection reset by peer)', { action: 'reading response header from upstream' }));
    if (q.missing) ctx.err.add(q.end, ngxErr(q.end, 'error', q, site, `open() "${docroot}${q.uri}" failed (2: No such file or directory)`, { upstream: false }));
  }
  emitPhpNoise(ctx);
  const c = counts(ctx.reqs);
  const readme = demoReadme(c, { mem: memEvents.length, oom: killTimes.length, pool: eagain.length, unexplained: unexplained.length });
  return {
    dir: 'fixtures/demo',
    files: {
      'access.log': accessFile(ctx),
      'error.log': ctx.err.render(),
      'php8.2-fpm.log': ctx.fpm.render(),
      'php-fpm-slow.log': ctx.slow.render(),
      'kern.log': ctx.kern.render(),
      'README.md': readme,
    },
    expected: {
      description: 'Demo bundle: two hours of a WordPress/WooCommerce shop (nginx + php8.2-fpm, Europe/Berlin) with an OOM-kill wave, a memory_limit episode from one plugin, a short pool-exhaustion burst and a few unexplained 500s.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: zone.tz,
      stats: c,
      expect: [
        { cause: 'oom-killer', rank: 1, confidence: [0.85, 1.0], fiveXX: killTimes.length, variant: 'worker' },
        { cause: 'php-memory-exhausted', rank: 2, confidence: [0.85, 1.0], fiveXX: memEvents.length, culprit: 'wordpress-plugin bulk-order-export' },
        { cause: 'fpm-pool-exhausted', rank: 3, confidence: [0.8, 1.0], fiveXX: eagain.length, variant: 'traffic-spike' },
        { cause: 'backend-5xx', rank: 4, confidence: [0.0, 0.5], fiveXX: unexplained.length, optional: true },
      ],
      notes: `${CATALOGUE_NOTE} See README.md. The last entry may equally be reported as "unexplained": upstream_status = status = 500 with no error line anywhere.`,
    },
  };
};

function demoReadme(c, n) {
  return `# Demo bundle: a bad morning on a WooCommerce shop

\`npm start\` runs \`logsleuth fixtures/demo\` on these files. They are **generated**
(\`node lab/catalogue/build.mjs demo\`, seeded, byte-for-byte reproducible) from the
line formats in \`shared/design/signatures.md\`; nothing here was captured from a real site.

## The host

* \`web1\`, Debian 12, 4 GB RAM, no swap, zone **Europe/Berlin** (all files use local time, +01:00).
* nginx → php8.2-fpm over \`unix:/run/php/php8.2-fpm.sock\`, pool \`www\`: \`pm = dynamic\`,
  \`pm.max_children = 20\`, \`pm.max_requests = 0\` (workers never recycled), \`request_slowlog_timeout = 5s\`,
  a small \`listen.backlog\`.
* WordPress 6.7 + WooCommerce, MariaDB on the same box.
* Window: **Mon 12 Jan 2026, 09:00–11:00**.

| file | what it is |
|---|---|
| \`access.log\` | nginx \`combined\` + \`rt=… uct="…" uht="…" urt="…" ua="…" us="…"\` (${c.requests} lines) |
| \`error.log\` | nginx error log (PHP errors arrive here as \`FastCGI sent in stderr\`, Debian default) |
| \`php8.2-fpm.log\` | FPM master log (starts at the 06:25 log rotation) |
| \`php-fpm-slow.log\` | FPM slow log (multi-line traces) |
| \`kern.log\` | kernel messages, rsyslog format, with full OOM reports |

Status counts: ${Object.entries(c.byStatus).map(([k, v]) => `${k}: ${v}`).join(', ')} — **${c.fiveXX} × 5xx** in total.

## What happened (the right answer)

1. **\`oom-killer\` — ${n.oom} × 502, 10:08–10:20 (biggest impact).** Workers leak memory in the
   \`related-products-pro\` plugin and are never recycled; 20 workers × ~1 GB do not fit in 4 GB.
   The kernel kills one \`php-fpm8.2\` worker every ~45 s. Each kill: \`kern.log\`
   \`Out of memory: Killed process <pid> (php-fpm8.2)\` → \`php8.2-fpm.log\`
   \`child <pid> exited on signal 9 (SIGKILL)\` (same pid, < 1 s later) → \`error.log\`
   \`upstream prematurely closed connection\` or \`recv() failed (104: …)\` → a 502 after several seconds
   of work. Expected confidence ≈ 0.95. Fix: \`pm.max_requests = 500\`, lower \`pm.max_children\`
   to what fits in RAM, fix or drop the plugin.
2. **\`php-memory-exhausted\` — ${n.mem} × 500, 09:24–09:38.** The shop manager (203.0.113.50) and wp-cron
   run the \`bulk-order-export\` plugin, which hits the 256 MB \`memory_limit\`
   (\`Allowed memory size of 268435456 bytes exhausted\` in \`…/bulk-order-export/includes/class-boe-exporter.php\`).
   Each 500 joins its own FastCGI stderr line: confidence ≈ 0.95, culprit \`wordpress-plugin bulk-order-export\`.
3. **\`fpm-pool-exhausted\` — ${n.pool} × 502, 10:41–10:43.** SemrushBot (185.191.171.4) crawls faceted
   search at ~3 req/s with slow queries; FPM logs \`seems busy\` and
   \`server reached pm.max_children setting (20)\`; nginx logs \`connect() … failed (11: Resource temporarily unavailable)\`
   and answers 502 in 0 ms. Variant \`traffic-spike\` (one user agent). Confidence ≈ 0.9.
4. **${n.unexplained} × 500 nobody logged** (09:13, 10:05, 10:52): \`us="500"\`, no error line anywhere. At best
   \`backend-5xx\` at low confidence (0.4), or listed as unexplained.

Things that must **not** become causes: Safari's missing \`apple-touch-icon\` 404s (\`open() … failed (2: …)\`),
PHP warnings/deprecations on 200 responses, slow wp-cron update checks in the slow log (\`curl_exec\`),
firewall (\`[UFW BLOCK]\`) lines in \`kern.log\`, and the pre-window log-rotation line.
`;
}

// ------------------------------------------------------------------ main
function write(target) {
  const out = targets[target]();
  const dir = path.join(ROOT, out.dir);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(out.files)) fs.writeFileSync(path.join(dir, name), content);
  fs.writeFileSync(path.join(dir, 'expected.json'), expected({ ...out.expected, generatedBy: `lab/catalogue/build.mjs ${target}` }));
  const size = Object.values(out.files).reduce((s, x) => s + Buffer.byteLength(x), 0);
  console.log(`${out.dir}: ${Object.keys(out.files).length + 1} files, ${(size / 1024).toFixed(1)} KB, ${out.expected.stats.requests} access lines, ${out.expected.stats.fiveXX} × 5xx → ${out.expected.expect.map((e) => e.cause).join(', ')}`);
}

const args = process.argv.slice(2);
const oi = args.indexOf('--out');
if (oi >= 0) {
  ROOT = path.resolve(args[oi + 1]);
  args.splice(oi, 2);
}
if (args.includes('--list')) {
  console.log(Object.keys(targets).join('\n'));
} else {
  const list = args.length ? args : Object.keys(targets);
  for (const t of list) {
    if (!targets[t]) {
      console.error(`unknown target ${t}; --list shows them`);
      process.exit(2);
    }
    write(t);
  }
}
