#!/usr/bin/env node
// Generator for the fixtures/scenarios/insight-* bundles (issue 6), built like lab/catalogue/build.mjs from the
// catalogue's line formats with its seeded helpers. Same seed → same bytes.
//   node lab/catalogue/insights.mjs [--root DIR] [name…]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  Rng, LogFile, wall, fpmTime, ngxErrTime, f3, makeVisitors, wpSite, traffic, finishNginx, ngxAccess, ngxErr, counts, php, UA,
} from './lib.mjs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
let ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ri = args.indexOf('--root');
if (ri >= 0) { ROOT = path.resolve(args[ri + 1]); args.splice(ri, 2); }

const sec = (s) => s * 1000;
const min = (m) => m * 60000;
const fpm = (t, level, msg) => `[${fpmTime(t)}] ${level}: ${msg}`;
/** PHP error_log line stamped in UTC (php.ini date.timezone unset → UTC), from a local wall time */
const phpLog = (t, offMin, msg) => `[${fpmTime(t - offMin * 60000)} UTC] ${msg}`;
const NOTE =
  'Built from the line formats and example lines of shared/design/signatures.md (Parts 2-3) with the seeded helpers of ' +
  'lab/catalogue/lib.mjs; the lines are NOT captured from running servers. Times, pids and connection numbers are consistent across files.';

function accessLines(reqs, off) {
  const f = new LogFile();
  for (const q of reqs) f.add(q.end, ngxAccess(q, off));
  return f;
}

/** traffic with a day/night profile: views per hour by local hour */
function dayTraffic(r, site, vis, start, end, perHour, extra = {}) {
  const reqs = [];
  for (let t = start; t < end; t += min(60)) {
    const hour = new Date(t).getUTCHours();
    const views = Math.round(perHour(hour) * r.float(0.8, 1.2));
    reqs.push(...traffic(r, site, vis, { start: t, end: Math.min(end, t + min(60)), views, monitorEvery: 0, ...extra }));
  }
  return reqs;
}

function every(r, vis, site, who, start, end, periodMs, jitter) {
  const out = [];
  for (let t = start + r.int(0, periodMs); t < end; t += periodMs + r.int(-jitter, jitter)) out.push(...site.pageView(r, who, t));
  return out;
}

// ------------------------------------------------------------------ A: one plugin exhausts memory_limit
function pluginMemory() {
  const r = new Rng(6061);
  const off = 60; // Europe/Paris in February: +01:00
  const site = wpSite({ host: 'shop.example.org' });
  const docroot = '/var/www/html';
  const vis = makeVisitors(r);
  const T = (h, m, s = 0, ms = 0) => wall(2026, 2, 17, h, m, s, ms);
  const start = T(13, 0), end = T(15, 0);
  let reqs = traffic(r, site, vis, { start, end, views: 760, monitorEvery: 60000, cronEvery: min(5), admin: { from: 0.1, to: 0.7 } });
  const php_ = new LogFile();
  const fpmLog = new LogFile();
  const err = new LogFile();
  fpmLog.add(T(6, 25, 2), fpm(T(6, 25, 2), 'NOTICE', 'error log file re-opened'));

  const spf = `${docroot}/wp-content/plugins/smart-product-feed`;
  // [time, who, method, uri, file, line, tried, duration]
  const feedUri = '/feed/spf-google-shopping/';
  const ajax = '/wp-admin/admin-ajax.php';
  const cron = (t) => `/wp-cron.php?doing_wp_cron=${Math.floor((t - off * 60000) / 1000)}.${r.int(1000000000, 9999999999)}`;
  const events = [
    [T(13, 21, 4), 'google', 'GET', feedUri, `${spf}/includes/class-spf-feed-builder.php`, 412, 262144, 7.9],
    [T(13, 24, 40), 'admin', 'POST', ajax, `${spf}/includes/class-spf-feed-builder.php`, 412, 262144, 8.4],
    [T(13, 26, 2), 'admin', 'POST', ajax, `${docroot}/wp-includes/class-wpdb.php`, 2349, 20480, 8.1],
    [T(13, 29, 31), 'admin', 'POST', ajax, `${spf}/includes/class-spf-product-query.php`, 88, 4194304, 6.6],
    [T(13, 30, 12), 'self', 'POST', null, `${spf}/includes/class-spf-feed-builder.php`, 412, 262144, 9.2],
    [T(13, 35, 47), 'admin', 'POST', ajax, `${spf}/includes/class-spf-feed-builder.php`, 415, 131072, 8.8],
    [T(13, 41, 9), 'google', 'GET', feedUri, `${docroot}/wp-includes/class-wpdb.php`, 2349, 20480, 8.0],
    [T(13, 45, 20), 'self', 'POST', null, `${spf}/includes/class-spf-product-query.php`, 88, 4194304, 6.9],
    [T(13, 52, 33), 'admin', 'POST', ajax, `${docroot}/wp-content/plugins/woocommerce/includes/data-stores/class-wc-product-data-store-cpt.php`, 1342, 65536, 7.7],
    [T(14, 0, 15), 'self', 'POST', null, `${spf}/includes/class-spf-feed-builder.php`, 412, 262144, 9.0],
    [T(14, 1, 56), 'google', 'GET', feedUri, `${spf}/includes/class-spf-feed-builder.php`, 412, 262144, 8.3],
    [T(14, 6, 48), 'admin', 'POST', ajax, `${docroot}/wp-includes/class-wpdb.php`, 2349, 20480, 7.5],
    [T(14, 15, 12), 'self', 'POST', null, `${spf}/includes/class-spf-feed-builder.php`, 412, 262144, 9.4],
  ];
  for (const [t, who, method, uri0, file, line, tried, dur] of events) {
    const v = who === 'google' ? vis.google[0] : vis[who];
    const uri = uri0 ?? cron(t);
    const q = php(r, v, t, method, uri, 500, 0, who === 'admin' ? `https://${site.host}/wp-admin/admin.php?page=spf-feeds` : '-', 0.1);
    q.rt = dur + r.int(0, 999) / 1000;
    q.up = { addr: site.upstream, us: '500', uct: '0.000', uht: f3(q.rt - 0.001), urt: f3(q.rt - 0.001) };
    reqs.push(q);
    const at = t + Math.round(q.rt * 1000) - r.int(1, 40);
    php_.add(at, phpLog(at, off, `PHP Fatal error:  Allowed memory size of 268435456 bytes exhausted (tried to allocate ${tried} bytes) in ${file} on line ${line}`));
  }
  // warnings and deprecations of requests that succeed: other plugins, the theme, and the feed plugin's own settings page
  const noise = [
    `PHP Deprecated:  Automatic conversion of false to array is deprecated in ${docroot}/wp-content/plugins/contact-form-7/includes/submission.php on line 664`,
    `PHP Warning:  Undefined array key "variation_id" in ${docroot}/wp-content/themes/storefront-child/inc/woocommerce.php on line 88`,
    `PHP Warning:  Trying to access array offset on value of type bool in ${spf}/admin/class-spf-settings.php on line 203`,
    `PHP Deprecated:  Creation of dynamic property WPSEO_Frontend::$canonical is deprecated in ${docroot}/wp-content/plugins/wordpress-seo/src/deprecated/frontend/frontend.php on line 56`,
  ];
  const ok = reqs.filter((q) => q.php && q.status === 200);
  for (let i = 0; i < 18; i++) {
    const q = ok[r.int(0, ok.length - 1)];
    const at = q.start + 30;
    php_.add(at, phpLog(at, off, r.pick(noise)));
  }
  finishNginx(r, reqs, site);
  // nginx error log: only unrelated noise (PHP errors go to the pool's error_log, not to nginx)
  for (const q of reqs.filter((x) => x.ua.includes('iPhone') && x.php && x.status === 200).slice(0, 30)) {
    if (!r.chance(0.25)) continue;
    const s = { ...q, uri: '/apple-touch-icon.png', start: q.start + 300, end: q.end + 300, status: 404, bytes: 153, rt: 0, php: false, up: undefined };
    reqs.push(s);
    err.add(s.end, ngxErr(s.end, 'error', s, site, `open() "${docroot}/apple-touch-icon.png" failed (2: No such file or directory)`, { upstream: false }));
  }
  const c = counts(reqs);
  return {
    dir: 'fixtures/scenarios/insight-wordpress-plugin-memory',
    files: {
      'access.log': accessLines(reqs, off).render(),
      'error.log': err.render(),
      'php8.2-fpm.log': fpmLog.render(),
      'php_errors.log': php_.render(),
    },
    expected: {
      description:
        'WooCommerce shop (nginx + php8.2-fpm, Europe/Paris): the smart-product-feed plugin builds its Google Shopping feed in memory and hits memory_limit = 256M ' +
        'when Googlebot fetches the feed, when the shop manager regenerates it and on wp-cron; some fatal errors name core or WooCommerce files where the allocation happened.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: 'Europe/Paris',
      stats: c,
      expect: [{ cause: 'php-memory-exhausted', rank: 1, confidence: [0.6, 0.85], fiveXX: events.length, culprit: 'wordpress-plugin smart-product-feed' }],
      insights: { topCulprit: 'wordpress-plugin smart-product-feed', pattern: 'transient' },
      notes:
        `${NOTE} PHP errors go only to php_errors.log (php_admin_value[error_log], stamped UTC), so each 500 joins its fatal error by time (0.7 when one 5xx is in the window). ` +
        '13 × 500: 9 fatal errors name files of wp-content/plugins/smart-product-feed/, 3 name wp-includes/class-wpdb.php and 1 WooCommerce — the allocation site, not the code that grew the array — ' +
        'so the top culprit must be wordpress-plugin smart-product-feed by count, never core. Deprecations and warnings of other plugins, the theme and the feed plugin\'s settings page sit on 200s and must not count.',
    },
  };
}

// ------------------------------------------------------------------ B: every night at 03:00 the DB is stopped for a cold backup
function nightlyBackup() {
  const r = new Rng(6062);
  const off = -360; // America/Chicago in February: -06:00
  const site = wpSite({ host: 'www.example.net' });
  const docroot = '/var/www/html';
  const vis = makeVisitors(r);
  const D = (day, h, m, s = 0) => wall(2026, 2, day, h, m, s);
  const start = D(9, 6, 25), end = D(13, 6, 25);
  const perHour = (h) => (h >= 9 && h <= 22 ? 18 : h >= 7 ? 12 : 8);
  let reqs = dayTraffic(r, site, vis, start, end, perHour);
  reqs.push(...every(r, vis, site, vis.monitor, start, end, min(5), 2000));
  reqs.push(...every(r, vis, site, vis.self, start, end, min(10), 20000));
  const debug = new LogFile();
  const err = new LogFile();
  const outages = [];
  for (const day of [10, 11, 12, 13]) {
    const a = D(day, 3, 0, r.int(2, 40));
    const b = a + sec(r.int(150, 250));
    outages.push([a, b]);
    // Googlebot crawls at night: one of its fetches lands in the window every night, Bingbot's every other night
    reqs.push(php(r, vis.google[day % 3], a + sec(r.int(10, 140)), 'GET', r.pick(['/product/merino-beanie/', '/shop/', '/product-category/outdoor/', '/blog/size-guide/']), 200, r.int(20000, 40000), '-', 0.15));
    if (day % 2 === 1) reqs.push(php(r, vis.bing[0], a + sec(r.int(20, 120)), 'GET', '/product-category/sale/', 200, 30111, '-', 0.15));
  }
  const inOutage = (t) => outages.some(([a, b]) => t >= a && t < b);
  for (const q of reqs) {
    if (!q.php || !inOutage(q.start)) continue;
    // WordPress: wpdb cannot connect → dead_db() → 500 "Error establishing a database connection"
    q.status = 500;
    q.bytes = 2731;
    q.rt = r.float(0.012, 0.045);
    q.up = { addr: site.upstream, us: '500', uct: '0.000', uht: f3(q.rt - 0.001), urt: f3(q.rt - 0.001) };
    q.dbDown = true;
  }
  // WP_DEBUG + WP_DEBUG_LOG: noise every day from plugins, then the warnings of the outage
  const noise = [
    `PHP Deprecated:  Creation of dynamic property Jetpack_Sitemap_Manager::$plugin_url is deprecated in ${docroot}/wp-content/plugins/jetpack/modules/sitemaps/sitemaps.php on line 41`,
    `PHP Notice:  Function _load_textdomain_just_in_time was called <strong>incorrectly</strong>. Translation loading for the <code>woocommerce</code> domain was triggered too early. in ${docroot}/wp-includes/functions.php on line 6114`,
  ];
  const okReqs = reqs.filter((q) => q.php && q.status === 200);
  for (let i = 0; i < 24; i++) {
    const q = okReqs[r.int(0, okReqs.length - 1)];
    debug.add(q.start + 20, phpLog(q.start + 20, off, r.pick(noise)));
  }
  finishNginx(r, reqs, site);
  for (const q of reqs) {
    if (!q.dbDown) continue;
    const t = q.start + 5;
    debug.add(t, phpLog(t, off, `PHP Warning:  mysqli_real_connect(): (HY000/2002): No such file or directory in ${docroot}/wp-includes/class-wpdb.php on line 1982`));
  }
  // nginx error log: scanners probing for files, nothing about the outage (the 500s come from PHP)
  for (const q of reqs.filter((x) => x.status === 404 && x.ip === vis.scanner.ip).slice(0, 20)) {
    err.add(q.end, ngxErr(q.end, 'error', q, site, `open() "${docroot}${q.uri}" failed (2: No such file or directory)`, { upstream: false }));
  }
  // daily rotation at 06:25 (Debian cron.daily): access.log, .1, then gzip'd .2.gz, .3.gz
  const files = {};
  const rotated = (name, lines, tOf) => {
    for (let k = 0; k < 4; k++) {
      const a = end - (k + 1) * min(1440), b = end - k * min(1440);
      const f = new LogFile();
      for (const [t, text] of lines) if (t >= a && t < b) f.add(t, text);
      const body = f.render();
      if (k === 0) files[name] = body;
      else if (k === 1) files[`${name}.1`] = body;
      else files[`${name}.${k}.gz`] = zlib.gzipSync(Buffer.from(body), { level: 9, mtime: 0 });
    }
  };
  rotated('access.log', reqs.map((q) => [q.end, ngxAccess(q, off)]));
  rotated('error.log', err.items.map((i) => [i.t, i.text]));
  files['debug.log'] = debug.render();
  const fpmLog = new LogFile();
  fpmLog.add(D(8, 6, 25, 3), fpm(D(8, 6, 25, 3), 'NOTICE', 'error log file re-opened'));
  files['php8.2-fpm.log'] = fpmLog.render();
  const c = counts(reqs);
  return {
    dir: 'fixtures/scenarios/insight-nightly-db-backup',
    files,
    expected: {
      description:
        'WordPress shop (nginx + php8.2-fpm, America/Chicago), four days of daily-rotated logs: a cron job stops MariaDB every night at 03:00 for a cold backup; ' +
        'for 2-4 minutes every PHP request fails with 500 "Error establishing a database connection", including Googlebot and Bingbot fetches.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: 'America/Chicago',
      stats: c,
      expect: [{ cause: 'database-unavailable', rank: 1, confidence: [0.5, 0.85], fiveXX: c.fiveXX }],
      insights: { pattern: 'recurring', recurrence: { kind: 'daily', hour: 3, days: 4, ofDays: 4 }, crawlersRecurring: ['Googlebot'] },
      notes:
        `${NOTE} WP_DEBUG_LOG writes wp-content/debug.log (copied here as debug.log, stamped UTC: 03:00 local is 09:00 UTC); with WP_DEBUG on, wpdb calls mysqli_real_connect without @ so ` +
        'every failed connect leaves "(HY000/2002): No such file or directory". nginx logs nothing for these 500s. access.log.2.gz and access.log.3.gz are gzip\'d by logrotate (delaycompress). ' +
        `Outages (local): ${outages.map(([a, b]) => `${new Date(a).toISOString().slice(5, 10)} ${new Date(a).toISOString().slice(11, 19)}-${new Date(b).toISOString().slice(11, 19)}`).join(', ')}.`,
    },
  };
}

// ------------------------------------------------------------------ C: one burst — a newsletter floods a small pool once
function singleBurst() {
  const r = new Rng(6063);
  const off = 0; // UTC server
  const site = wpSite({ host: 'www.example.com' });
  const vis = makeVisitors(r, 140);
  const T = (h, m, s = 0, ms = 0) => wall(2026, 3, 4, h, m, s, ms);
  const start = T(6, 0), end = T(14, 0);
  let reqs = dayTraffic(r, site, vis, start, end, (h) => (h < 8 ? 40 : 80), { cronEvery: min(5) });
  reqs.push(...every(r, vis, site, vis.monitor, start, end, min(1), 300));
  // 11:40 the newsletter goes out: five times the usual page views for twenty minutes, from many readers
  const b0 = T(11, 40), b1 = T(12, 0);
  const wave = traffic(r, site, vis, { start: b0, end: b1, views: 140, monitorEvery: 0, bots: 0.03 });
  for (const q of wave) if (q.php && q.method === 'GET' && q.ref === '-') q.uri = `${q.uri}${q.uri.includes('?') ? '&' : '?'}utm_source=newsletter&utm_medium=email&utm_campaign=march-sale`;
  reqs.push(...wave);
  const fpmLog = new LogFile();
  const err = new LogFile();
  const fpmAt = (t, level, msg) => fpmLog.add(t, fpm(t, level, msg));
  fpmAt(T(6, 25, 1), 'NOTICE', 'error log file re-opened');
  fpmAt(T(11, 41, 2), 'WARNING', '[pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 9 total children');
  fpmAt(T(11, 41, 4), 'WARNING', '[pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 16 children, there are 0 idle, and 11 total children');
  fpmAt(T(11, 41, 6), 'WARNING', '[pool www] server reached pm.max_children setting (12), consider raising it');
  // while all 12 children are busy the socket backlog fills: new connects fail at once with EAGAIN
  const full0 = T(11, 41, 9), full1 = T(11, 44, 40);
  for (const q of reqs) {
    if (!q.php || q.start < full0 || q.start >= full1) continue;
    if (r.chance(0.45)) {
      q.status = 502;
      q.bytes = 166;
      q.rt = 0;
      q.up = { addr: site.upstream, us: '502', uct: '-', uht: '-', urt: '0.000' };
      q.eagain = true;
    } else {
      q.rt *= r.float(6, 14);
    }
  }
  finishNginx(r, reqs, site);
  for (const q of reqs) {
    if (q.eagain) err.add(q.end, ngxErr(q.end, 'error', q, site, 'connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable)', { action: 'connecting to upstream' }));
  }
  fpmAt(T(11, 52, 30), 'NOTICE', '[pool www] child 31877 exited with code 0 after 660.412331 seconds from start');
  const c = counts(reqs);
  return {
    dir: 'fixtures/scenarios/insight-single-burst',
    files: { 'access.log': accessLines(reqs, off).render(), 'error.log': err.render(), 'php8.2-fpm.log': fpmLog.render() },
    expected: {
      description:
        'WordPress shop (nginx + php8.2-fpm, UTC), eight hours: at 11:40 a newsletter sends five times the usual traffic; the pool (pm.max_children = 12) fills ' +
        'and for three and a half minutes nginx answers 502 at once (EAGAIN on the FPM socket). Nothing like it before or after.',
      source: 'catalogue', stack: 'nginx+php-fpm', tz: 'UTC',
      stats: c,
      expect: [{ cause: 'fpm-pool-exhausted', rank: 1, confidence: [0.8, 1.0], fiveXX: c.fiveXX, variant: 'traffic-spike' }],
      insights: { pattern: 'transient', incidents: 1, spike: true },
      notes: `${NOTE} The wave comes from many readers (utm_source=newsletter), not one client: the traffic context must say spike without naming a single client.`,
    },
  };
}

const targets = { 'insight-wordpress-plugin-memory': pluginMemory, 'insight-nightly-db-backup': nightlyBackup, 'insight-single-burst': singleBurst };
for (const name of args.length ? args : Object.keys(targets)) {
  const out = targets[name]();
  const dir = path.join(ROOT, out.dir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, body] of Object.entries(out.files)) fs.writeFileSync(path.join(dir, f), body);
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify({ ...out.expected, generatedBy: `lab/catalogue/insights.mjs ${name}` }, null, 2) + '\n');
  console.log(`${out.dir}: ${out.expected.stats.requests} requests, ${out.expected.stats.fiveXX} × 5xx`, out.expected.stats.byStatus);
}
