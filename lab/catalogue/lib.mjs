// Shared pieces for the catalogue generator: seeded randomness, time formatting in
// every family's layout, background traffic, and line builders.
//
// Times are "local wall-clock milliseconds": Date.UTC(...) of the wall clock the
// host shows. The zone offset (minutes east of UTC) is carried separately and only
// used where a format prints it (nginx $time_local, Apache %t).

export const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const WDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// ---------------------------------------------------------------- randomness
export class Rng {
  constructor(seed) {
    this.s = seed >>> 0;
  }
  next() {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  float(a, b) {
    return a + (b - a) * this.next();
  }
  int(a, b) {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }
  /** pick from [[weight, value], ...] */
  weighted(pairs) {
    const total = pairs.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of pairs) {
      if ((x -= w) < 0) return v;
    }
    return pairs[pairs.length - 1][1];
  }
  /** log-normal with the given median and spread (sigma of ln) */
  lognormal(median, sigma) {
    const u1 = Math.max(this.next(), 1e-12);
    const u2 = this.next();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return median * Math.exp(sigma * z);
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
}

/** small stable hash for per-path sizes */
export function hash(str) {
  let h = 2166136261;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------- time formats
const p2 = (n) => String(n).padStart(2, '0');
const d = (t) => new Date(t);

/** wall clock → ms */
export function wall(y, mo, day, h = 0, mi = 0, s = 0, ms = 0) {
  return Date.UTC(y, mo - 1, day, h, mi, s, ms);
}
export function offStr(offMin, colon = false) {
  const sign = offMin < 0 ? '-' : '+';
  const a = Math.abs(offMin);
  return `${sign}${p2(Math.floor(a / 60))}${colon ? ':' : ''}${p2(a % 60)}`;
}
/** nginx $time_local / Apache %t: 12/Jan/2026:10:00:01 +0100 */
export function clfTime(t, offMin) {
  const x = d(t);
  return `${p2(x.getUTCDate())}/${MON[x.getUTCMonth()]}/${x.getUTCFullYear()}:${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())} ${offStr(offMin)}`;
}
/** nginx error log: 2026/01/12 10:00:01 */
export function ngxErrTime(t) {
  const x = d(t);
  return `${x.getUTCFullYear()}/${p2(x.getUTCMonth() + 1)}/${p2(x.getUTCDate())} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
}
/** FPM master / slow log: 12-Jan-2026 10:00:01 */
export function fpmTime(t) {
  const x = d(t);
  return `${p2(x.getUTCDate())}-${MON[x.getUTCMonth()]}-${x.getUTCFullYear()} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
}
/** traditional syslog: Jan 12 10:00:01 (day space-padded) */
export function sysTime(t) {
  const x = d(t);
  return `${MON[x.getUTCMonth()]} ${String(x.getUTCDate()).padStart(2, ' ')} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}`;
}
/** Apache 2.4 error log: Mon Jan 12 10:00:01.123456 2026 (usec from the ms part plus extra) */
export function apacheErrTime(t, usecExtra = 0) {
  const x = d(t);
  const usec = String(x.getUTCMilliseconds() * 1000 + usecExtra).padStart(6, '0');
  return `${WDAY[x.getUTCDay()]} ${MON[x.getUTCMonth()]} ${p2(x.getUTCDate())} ${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}.${usec} ${x.getUTCFullYear()}`;
}
export function isoLocal(t, offMin) {
  const x = d(t);
  return `${x.getUTCFullYear()}-${p2(x.getUTCMonth() + 1)}-${p2(x.getUTCDate())}T${p2(x.getUTCHours())}:${p2(x.getUTCMinutes())}:${p2(x.getUTCSeconds())}${offStr(offMin, true)}`;
}
export const f3 = (x) => x.toFixed(3);

// ---------------------------------------------------------------- a log file under construction
export class LogFile {
  constructor() {
    this.items = [];
    this.seq = 0;
  }
  /** t = sort key (ms), text may contain several physical lines */
  add(t, text) {
    this.items.push({ t, seq: this.seq++, text });
  }
  render() {
    return (
      this.items
        .slice()
        .sort((a, b) => a.t - b.t || a.seq - b.seq)
        .map((i) => i.text)
        .join('\n') + '\n'
    );
  }
  get length() {
    return this.items.length;
  }
}

// ---------------------------------------------------------------- visitors
const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1';
const FIREFOX =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const ANDROID =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
export const UA = {
  browsers: [CHROME_WIN, CHROME_WIN, CHROME_MAC, SAFARI_IOS, SAFARI_IOS, FIREFOX, ANDROID, EDGE],
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  googlebotImage: 'Googlebot-Image/1.0',
  bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  ahrefs: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  uptime: 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
  scanner: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.88 Safari/537.36',
  okhttp: 'okhttp/4.12.0',
  pyreq: 'python-requests/2.32.3',
};

/** documentation / test ranges plus the crawlers' published ranges */
export function makeVisitors(r, n = 45) {
  const v = [];
  const used = new Set();
  const ip = () => {
    for (;;) {
      const net = r.pick(['203.0.113', '198.51.100', '192.0.2']);
      const a = `${net}.${r.int(2, 254)}`;
      if (!used.has(a) && a !== '192.0.2.10') {
        used.add(a);
        return a;
      }
    }
  };
  for (let i = 0; i < n; i++) {
    const six = r.chance(0.08);
    v.push({
      kind: 'browser',
      ip: six ? `2001:db8:${r.int(0x1000, 0xffff).toString(16)}:${r.int(0x10, 0xff).toString(16)}::${r.int(0x100, 0xfff).toString(16)}` : ip(),
      ua: r.pick(UA.browsers),
      proto: 'HTTP/2.0',
    });
  }
  return {
    browsers: v,
    google: ['66.249.66.1', '66.249.66.32', '66.249.79.118'].map((a) => ({ kind: 'bot', ip: a, ua: UA.googlebot, proto: 'HTTP/1.1' })),
    bing: [{ kind: 'bot', ip: '157.55.39.12', ua: UA.bingbot, proto: 'HTTP/1.1' }],
    ahrefs: [{ kind: 'bot', ip: '54.36.148.77', ua: UA.ahrefs, proto: 'HTTP/1.1' }],
    monitor: { kind: 'monitor', ip: '198.51.100.250', ua: UA.uptime, proto: 'HTTP/1.1' },
    scanner: { kind: 'scanner', ip: '192.0.2.201', ua: UA.scanner, proto: 'HTTP/1.1' },
    admin: { kind: 'admin', ip: '203.0.113.50', ua: CHROME_MAC, proto: 'HTTP/2.0' },
    self: { kind: 'self', ip: '192.0.2.10', ua: 'WordPress/6.7.1; https://www.example.com', proto: 'HTTP/1.1' },
  };
}

// ---------------------------------------------------------------- sites
const PRODUCTS = [
  'organic-cotton-hoodie', 'merino-beanie', 'canvas-tote-bag', 'trail-running-socks', 'waxed-rain-jacket',
  'linen-shirt-navy', 'wool-scarf-grey', 'leather-belt-brown', 'denim-jacket-classic', 'recycled-backpack',
  'fleece-pullover-green', 'alpaca-gloves',
];
const CATS = ['clothing', 'accessories', 'outdoor', 'sale', 'new-in'];
const POSTS = ['how-to-care-for-merino', 'winter-layering-guide', 'our-supply-chain-2025', 'size-guide', 'repair-service'];
const SEARCH = ['hoodie', 'socks', 'rain+jacket', 'gift', 'beanie', 'backpack'];
const WP_ASSETS = [
  '/wp-content/themes/storefront/style.css?ver=4.6.0',
  '/wp-content/themes/storefront-child/style.css?ver=1.3.2',
  '/wp-includes/js/jquery/jquery.min.js?ver=3.7.1',
  '/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1',
  '/wp-content/plugins/woocommerce/assets/js/frontend/cart-fragments.min.js?ver=9.5.1',
  '/wp-content/plugins/woocommerce/assets/css/woocommerce.css?ver=9.5.1',
  '/wp-content/plugins/woocommerce/assets/js/frontend/add-to-cart.min.js?ver=9.5.1',
  '/wp-includes/css/dist/block-library/style.min.css?ver=6.7.1',
  '/wp-content/themes/storefront/assets/fonts/fa-solid-900.woff2',
];

/**
 * WordPress + WooCommerce shop behind nginx + FPM.
 * Returns requests: { start, rt, ip, method, uri, proto, status, bytes, ref, ua, php, up? }
 */
export function wpSite(opts = {}) {
  const host = opts.host ?? 'www.example.com';
  return {
    host,
    server: opts.server ?? host,
    upstream: opts.upstream ?? 'unix:/run/php/php8.2-fpm.sock',
    docroot: '/var/www/html',
    pageView(r, vis, t) {
      const out = [];
      const base = `https://${host}`;
      if (vis.kind === 'monitor') {
        out.push(php(r, vis, t, 'GET', '/', 200, r.int(38000, 41000), '-', 0.09));
        return out;
      }
      if (vis.kind === 'self') {
        out.push(php(r, vis, t, 'POST', `/wp-cron.php?doing_wp_cron=${Math.floor(t / 1000)}.${r.int(1000000000, 9999999999)}`, 200, 0, '-', 0.25));
        return out;
      }
      if (vis.kind === 'scanner') {
        const probe = r.pick(['/.env', '/.git/config', '/wp-config.php.bak', '/phpinfo.php', '/admin/.env', '/wp-content/debug.log', '/backup.zip', '/.aws/credentials']);
        out.push(php(r, vis, t, 'GET', probe, 404, r.int(17000, 17600), '-', 0.08));
        return out;
      }
      if (vis.kind === 'bot') {
        if (r.chance(0.05)) out.push(php(r, vis, t, 'GET', '/robots.txt', 200, 67, '-', 0.03));
        else if (r.chance(0.05)) out.push(php(r, vis, t, 'GET', '/wp-sitemap.xml', 200, r.int(900, 1100), '-', 0.12));
        else {
          const page = r.weighted([[5, `/product/${r.pick(PRODUCTS)}/`], [2, `/product-category/${r.pick(CATS)}/`], [2, `/blog/${r.pick(POSTS)}/`], [1, '/shop/'], [1, `/product-category/${r.pick(CATS)}/page/${r.int(2, 4)}/`]]);
          out.push(php(r, vis, t, 'GET', page, r.chance(0.03) ? 404 : 200, r.int(14000, 52000), '-', 0.14));
        }
        return out;
      }
      if (vis.kind === 'admin') {
        const page = r.weighted([
          [3, ['POST', '/wp-admin/admin-ajax.php', `${base}/wp-admin/edit.php?post_type=shop_order`, 47]],
          [2, ['GET', '/wp-admin/edit.php?post_type=shop_order', `${base}/wp-admin/`, 98000]],
          [1, ['GET', '/wp-admin/', `${base}/wp-admin/`, 74000]],
          [1, ['GET', `/wp-admin/post.php?post=${r.int(1100, 1400)}&action=edit`, `${base}/wp-admin/edit.php?post_type=shop_order`, 121000]],
          [1, ['GET', '/wp-admin/admin.php?page=wc-admin', `${base}/wp-admin/`, 16000]],
        ]);
        out.push(php(r, vis, t, page[0], page[1], 200, page[3] + r.int(0, 900), page[2], 0.35));
        return out;
      }
      // browsers
      const page = r.weighted([
        [15, '/'], [10, '/shop/'], [35, `/product/${r.pick(PRODUCTS)}/`], [15, `/product-category/${r.pick(CATS)}/`],
        [9, `/blog/${r.pick(POSTS)}/`], [5, '/cart/'], [3, `/?s=${r.pick(SEARCH)}&post_type=product`],
        [3, '/my-account/'], [2, '/checkout/'],
      ]);
      const ref = r.chance(0.45) ? r.pick(['https://www.google.com/', 'https://duckduckgo.com/', 'https://www.bing.com/', `${base}/`, `${base}/shop/`]) : '-';
      const q = php(r, vis, t, 'GET', page, 200, r.int(18000, 62000), ref, page === '/cart/' || page === '/checkout/' ? 0.3 : 0.16);
      out.push(q);
      const pageEnd = t + q.rt * 1000;
      if (r.chance(0.55)) {
        out.push(php(r, vis, pageEnd + r.int(200, 900), 'POST', '/?wc-ajax=get_refreshed_fragments', 200, r.int(380, 520), `${base}${page}`, 0.08));
      }
      const nAssets = r.chance(0.3) ? r.int(3, 7) : r.chance(0.5) ? r.int(0, 2) : 0;
      const assets = new Set();
      for (let i = 0; i < nAssets; i++) {
        const a = r.chance(0.6) ? r.pick(WP_ASSETS) : `/wp-content/uploads/2025/${p2(r.int(3, 12))}/${r.pick(PRODUCTS)}-${r.pick(['300x300', '600x600', '150x150'])}.jpg`;
        if (assets.has(a)) continue;
        assets.add(a);
        out.push(stat(r, vis, pageEnd + r.int(20, 1400), a, `${base}${page}`));
      }
      if (page === '/checkout/' && r.chance(0.6)) {
        out.push(php(r, vis, pageEnd + r.int(20000, 90000), 'POST', '/?wc-ajax=checkout', 200, r.int(90, 140), `${base}/checkout/`, 0.9));
      }
      return out;
    },
  };
}

/** Laravel app (API + dashboard) behind nginx + FPM. */
export function laravelSite(opts = {}) {
  const host = opts.host ?? 'app.example.net';
  return {
    host,
    server: opts.server ?? host,
    upstream: opts.upstream ?? 'unix:/run/php/php8.2-fpm.sock',
    docroot: '/var/www/app/public',
    pageView(r, vis, t) {
      const out = [];
      const base = `https://${host}`;
      if (vis.kind === 'monitor') {
        out.push(php(r, vis, t, 'GET', '/up', 200, 1812, '-', 0.02));
        return out;
      }
      if (vis.kind === 'scanner') {
        out.push(php(r, vis, t, 'GET', r.pick(['/.env', '/.git/HEAD', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/_ignition/execute-solution']), 404, r.int(6600, 6700), '-', 0.03));
        return out;
      }
      if (vis.kind === 'api') {
        const req = r.weighted([
          [5, ['GET', `/api/v1/orders?page=${r.int(1, 40)}&per_page=50`, r.int(9000, 40000)]],
          [4, ['GET', `/api/v1/orders/${r.int(48000, 52000)}`, r.int(1500, 3800)]],
          [2, ['GET', `/api/v1/customers/${r.int(1000, 9000)}`, r.int(900, 2100)]],
          [2, ['POST', '/api/v1/orders', r.int(700, 1400)]],
          [1, ['PATCH', `/api/v1/orders/${r.int(48000, 52000)}`, r.int(700, 1400)]],
        ]);
        out.push(php(r, vis, t, req[0], req[1], req[0] === 'POST' ? 201 : 200, req[2], '-', 0.06));
        return out;
      }
      if (vis.kind === 'bot' || vis.kind === 'self') {
        if (r.chance(0.2)) out.push(stat(r, vis, t, '/robots.txt', '-'));
        else out.push(php(r, vis, t, 'GET', r.pick(['/', '/login']), 200, r.int(4000, 9000), '-', 0.05));
        return out;
      }
      const page = r.weighted([[6, '/dashboard'], [3, `/orders/${r.int(48000, 52000)}`], [2, '/orders'], [1, '/reports/monthly'], [1, '/login'], [1, '/customers']]);
      const q = php(r, vis, t, 'GET', page, 200, r.int(9000, 30000), r.chance(0.5) ? `${base}/dashboard` : '-', page === '/reports/monthly' ? 0.8 : 0.09);
      out.push(q);
      const pageEnd = t + q.rt * 1000;
      if (r.chance(0.5)) out.push(php(r, vis, pageEnd + r.int(800, 6000), 'POST', '/livewire/update', 200, r.int(1200, 9000), `${base}${page}`, 0.07));
      if (r.chance(0.25)) {
        for (const a of ['/build/assets/app-4f1c2a9b.js', '/build/assets/app-9d3e7c1f.css']) out.push(stat(r, vis, pageEnd + r.int(20, 400), a, `${base}${page}`));
      }
      return out;
    },
  };
}

/** a PHP request; the upstream details are filled in by finishPhp() */
export function php(r, vis, start, method, uri, status, bytes, ref, median) {
  const rt = Math.max(0.004, r.lognormal(median, 0.45));
  return { start, rt, ip: vis.ip, method, uri, proto: vis.proto, status, bytes, ref, ua: vis.ua, php: true };
}
/** a static file served by nginx itself */
export function stat(r, vis, start, uri, ref) {
  const h = hash(uri);
  const cached = r.chance(0.25);
  const size = uri.endsWith('.jpg') ? 6000 + (h % 70000) : uri.endsWith('.woff2') ? 78268 : 2000 + (h % 90000);
  return {
    start,
    rt: cached ? 0 : r.chance(0.8) ? 0 : r.float(0.001, 0.09),
    ip: vis.ip, method: 'GET', uri, proto: vis.proto, status: cached ? 304 : 200, bytes: cached ? 0 : size, ref, ua: vis.ua, php: false,
  };
}

/**
 * Background traffic: `views` page views spread over [start, end), plus a monitor every
 * 60 s and wp-cron self-requests. Returns request objects.
 */
export function traffic(r, site, vis, { start, end, views, monitorEvery = 60000, cronEvery = 0, admin = 0, bots = 0.18, scanners = 0.01, apiClients = null }) {
  const reqs = [];
  for (let i = 0; i < views; i++) {
    const t = Math.floor(start + r.next() * (end - start));
    let who;
    const x = r.next();
    if (x < 0.4) who = apiClients ? r.pick(apiClients) : r.pick(vis.browsers);
    else if (x < 0.4 + bots * 0.6) who = r.pick(vis.google);
    else if (x < 0.4 + bots * 0.8) who = r.pick(vis.bing);
    else if (x < 0.4 + bots) who = r.pick(vis.ahrefs);
    else if (x < 0.4 + bots + scanners) who = vis.scanner;
    else who = r.pick(vis.browsers);
    reqs.push(...site.pageView(r, who, t));
  }
  if (monitorEvery) for (let t = start + r.int(0, monitorEvery); t < end; t += monitorEvery + r.int(-300, 300)) reqs.push(...site.pageView(r, vis.monitor, t));
  if (cronEvery) for (let t = start + r.int(0, cronEvery); t < end; t += cronEvery + r.int(-20000, 20000)) reqs.push(...site.pageView(r, vis.self, t));
  if (admin) {
    // an admin session: heartbeat + page loads
    const a0 = start + Math.floor((end - start) * admin.from);
    const a1 = start + Math.floor((end - start) * admin.to);
    for (let t = a0; t < a1; t += r.int(15000, 70000)) reqs.push(...site.pageView(r, vis.admin, t));
  }
  return reqs.filter((q) => q.start >= start && q.start + q.rt * 1000 < end);
}

/**
 * Fill in the upstream timing fields, the nginx worker pid and the connection number,
 * and the end time. Call after all requests (background + incident) are known.
 */
export function finishNginx(r, reqs, site, { workers = [1187, 1188], tcp = false } = {}) {
  reqs.sort((a, b) => a.start - b.start);
  let conn = r.int(180000, 260000);
  for (const q of reqs) {
    conn += r.int(1, 4);
    q.conn ??= conn;
    q.wpid ??= r.pick(workers);
    q.end = q.start + Math.round(q.rt * 1000);
    if (q.php && q.up === undefined) {
      const urt = Math.max(0, q.rt - r.float(0, 0.002));
      q.up = {
        addr: site.upstream,
        us: String(q.status),
        uct: tcp ? f3(r.chance(0.8) ? 0 : 0.001) : '0.000',
        uht: f3(Math.max(0, urt - r.float(0, 0.003))),
        urt: f3(urt),
      };
    }
  }
  return reqs;
}

/** nginx access line: combined, optionally with the kv timing tail */
export function ngxAccess(q, offMin, kv = true) {
  let s = `${q.ip} - ${q.user ?? '-'} [${clfTime(q.end, offMin)}] "${q.method} ${q.uri} ${q.proto}" ${q.status} ${q.bytes} "${q.ref ?? '-'}" "${q.ua}"`;
  if (kv) {
    const u = q.up;
    s += ` rt=${f3(q.rt)} uct="${u ? u.uct : '-'}" uht="${u ? u.uht : '-'}" urt="${u ? u.urt : '-'}" ua="${u ? u.addr : '-'}" us="${u ? u.us : '-'}"`;
  }
  return s;
}

/** nginx error line scoped to a request */
export function ngxErr(t, level, q, site, msg, { action, upstream = true, noRequest = false } = {}) {
  let s = `${ngxErrTime(t)} [${level}] ${q.wpid}#${q.wpid}: *${q.conn} ${msg}`;
  if (action) s += ` while ${action}`;
  s += `, client: ${q.ip}, server: ${site.server}`;
  if (!noRequest) s += `, request: "${q.method} ${q.uri} ${q.proto}"`;
  if (upstream) {
    const up = site.upstream.startsWith('unix:') ? `fastcgi://${site.upstream}:` : `fastcgi://${site.upstream}`;
    s += `, upstream: "${up}"`;
  }
  s += `, host: "${site.host}"`;
  if (q.ref && q.ref !== '-') s += `, referrer: "${q.ref}"`;
  return s;
}

/** kernel line in the traditional kern.log wrapper */
export function kern(t, host, bootWall, msg, usecJitter = 0) {
  const up = (t - bootWall) / 1000 + usecJitter / 1e6;
  const sec = Math.floor(up);
  const usec = Math.round((up - sec) * 1e6) % 1000000;
  return `${sysTime(t)} ${host} kernel: [${String(sec).padStart(5, ' ')}.${String(usec).padStart(6, '0')}] ${msg}`;
}

/** the kernel's OOM report, trimmed to what a real kern.log keeps plus the key lines */
export function oomReport(r, { t, host, boot, invoker, victim, memcg = '/system.slice/php8.2-fpm.service', kernelVer = '6.1.0-28-amd64 #1 Debian 6.1.119-1', tasks = [] }) {
  const lines = [];
  let us = 0;
  const k = (m) => {
    us += r.int(3, 40);
    lines.push(kern(t, host, boot, m, us));
  };
  k(`${invoker.comm} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`);
  k(`CPU: ${r.int(0, 3)} PID: ${invoker.pid} Comm: ${invoker.comm} Not tainted ${kernelVer}`);
  k('Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014');
  k('Call Trace:');
  k(' <TASK>');
  k(' dump_stack_lvl+0x44/0x5c');
  k(' dump_header+0x4a/0x211');
  k(' oom_kill_process.cold+0xb/0x10');
  k(' out_of_memory+0x1fd/0x4c0');
  k(' __alloc_pages_slowpath.constprop.0+0xc35/0xd70');
  k(' __alloc_pages+0x305/0x330');
  k(' </TASK>');
  k('Mem-Info:');
  k(`active_anon:${r.int(760000, 790000)} inactive_anon:${r.int(150000, 170000)} isolated_anon:0`);
  k(` active_file:${r.int(120, 400)} inactive_file:${r.int(80, 300)} isolated_file:0`);
  k(` unevictable:0 dirty:0 writeback:0`);
  k(` slab_reclaimable:${r.int(9000, 12000)} slab_unreclaimable:${r.int(14000, 18000)}`);
  k(' mapped:5123 shmem:8871 pagetables:9921');
  k('Free swap  = 0kB');
  k('Total swap = 0kB');
  k('1048446 pages RAM');
  k('Tasks state (memory values in pages):');
  k('[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name');
  for (const tk of tasks) {
    k(`[${String(tk.pid).padStart(7, ' ')}] ${String(tk.uid).padStart(5, ' ')} ${String(tk.pid).padStart(5, ' ')} ${String(tk.vm).padStart(8, ' ')} ${String(tk.rss).padStart(8, ' ')} ${String(tk.pgt).padStart(14, ' ')} ${String(0).padStart(8, ' ')} ${String(tk.adj ?? 0).padStart(13, ' ')} ${tk.comm}`);
  }
  k(`oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=${memcg},task=${victim.comm},pid=${victim.pid},uid=${victim.uid}`);
  k(`Out of memory: Killed process ${victim.pid} (${victim.comm}) total-vm:${victim.vm}kB, anon-rss:${victim.anon}kB, file-rss:${victim.file}kB, shmem-rss:${victim.shmem}kB, UID:${victim.uid} pgtables:${victim.pgt}kB oom_score_adj:0`);
  return { lines, reaper: (t2) => kern(t2, host, boot, `oom_reaper: reaped process ${victim.pid} (${victim.comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:${victim.shmem}kB`, r.int(0, 999)) };
}

/** status histogram of access records */
export function counts(reqs) {
  const byStatus = {};
  let fivexx = 0;
  for (const q of reqs) {
    byStatus[q.status] = (byStatus[q.status] ?? 0) + 1;
    if (q.status >= 500 && q.status <= 599) fivexx++;
  }
  return { requests: reqs.length, fiveXX: fivexx, byStatus: Object.fromEntries(Object.entries(byStatus).sort()), accessLogFormat: 'combined+kv' };
}
