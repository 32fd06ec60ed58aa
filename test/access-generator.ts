// Deterministic access-log lines for tests that need volume: every tail shape the scanner reads, crawler
// agents, 5xx, upstream retries that hide a failure, escapes and a few lines that are no access line.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export type AccessVariant = 'combined' | 'extended' | 'positional' | 'apache-d' | 'vhost';

/** mulberry32: small, seedable, the same sequence everywhere */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const PATHS = ['/', '/checkout', '/cart?add=42', '/wp-admin/admin-ajax.php', '/product/blue-mug/', '/search?q=caf%C3%A9', '/feed/'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'curl/8.5.0',
  'Mozilla/5.0 \\x22quoted\\x22 agent',
];
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 301, 404, 200, 502, 504, 500, 503, 499, 200];

/** n lines of one variant; about 0.4 % are junk or blank, about a quarter are 5xx. */
export function accessLines(variant: AccessVariant, n: number, seed = 7, startMs = Date.UTC(2026, 0, 12, 10, 0, 0)): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: string[] = [];
  let t = startMs;
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 700);
    if (r() < 0.004) {
      out.push(r() < 0.5 ? 'GET /index.html HTTP/1.1 junk that is no log line' : '');
      continue;
    }
    const status = pick(STATUSES);
    const ip = `203.0.113.${1 + Math.floor(r() * 250)}`;
    const request = r() < 0.01 ? '-' : `${pick(['GET', 'GET', 'POST', 'HEAD'])} ${pick(PATHS)} HTTP/1.1`;
    const bytes = variant === 'apache-d' && r() < 0.2 ? '-' : String(Math.floor(r() * 90_000));
    const head = `${ip} - ${r() < 0.05 ? 'alice' : '-'} [${clf(t)}] "${request}" ${status} ${bytes} "${r() < 0.3 ? 'https://shop.example/' : '-'}" "${pick(AGENTS)}"`;
    const hidden = status < 500 && r() < 0.05;
    const us = status >= 500 ? String(status) : hidden ? `502, ${status}` : String(status);
    const rt = (r() * (status === 504 ? 60 : 2)).toFixed(3);
    switch (variant) {
      case 'combined':
        out.push(head);
        break;
      case 'extended':
        out.push(`${head} rt=${rt} uct="0.000" uht="${rt}" urt="${hidden ? `0.001, ${rt}` : rt}" ua="${hidden ? 'unix:/run/php/a.sock, unix:/run/php/b.sock' : 'unix:/run/php/php8.2-fpm.sock'}" us="${us}"`);
        break;
      case 'positional':
        out.push(`${head} ${rt} ${hidden ? `0.001, ${rt}` : rt} "127.0.0.1:9000" ${us}`);
        break;
      case 'apache-d':
        // %D: only small values in the first third, so the file reads as %T until a value above 1000
        // appears; later fast responses (below 1 ms) stay common
        out.push(`${head} ${i < n / 3 || r() < 0.3 ? Math.floor(r() * 900) : Math.floor(r() * 3_000_000)}`);
        break;
      case 'vhost':
        out.push(`shop.example:443 ${head}`);
        break;
    }
  }
  return out;
}
