// The guide's SEO question — is Google seeing the errors? — answered per crawler and path.
// Crawlers are recognised by user agent only (as the digest counts them): a scraper can claim to be
// Googlebot, so the report tells the operator to confirm with a reverse DNS lookup before acting.
import { isCrawler } from '../digest/digest.js';
import type { ErrorTable } from '../digest/error-table.js';

/** user-agent marker → crawler name; the markers are those isCrawler() accepts, most specific first */
const CRAWLERS: readonly (readonly [string, string])[] = [
  ['AdsBot-Google', 'AdsBot-Google'],
  ['Googlebot', 'Googlebot'],
  ['bingbot', 'Bingbot'],
  ['Bingbot', 'Bingbot'],
  ['Applebot', 'Applebot'],
  ['YandexBot', 'YandexBot'],
  ['Baiduspider', 'Baiduspider'],
  ['DuckDuckBot', 'DuckDuckBot'],
];

/** The search-engine crawler a user agent names, or undefined for everything else. */
export function crawlerName(ua: string | undefined): string | undefined {
  if (!ua || !isCrawler(ua)) return undefined;
  for (const [marker, name] of CRAWLERS) if (ua.includes(marker)) return name;
  return undefined;
}

export interface CrawlerErrors {
  crawler: string;
  /** indexes into the error list */
  errors: number[];
}

/** The 5xx each crawler received, most affected crawler first. */
export function crawlerErrors(errors: ErrorTable): CrawlerErrors[] {
  const by = new Map<string, number[]>();
  // a log has few distinct agents: each is named once
  const nameOf = new Map<number, string | undefined>();
  for (let i = 0; i < errors.length; i++) {
    const id = errors.userAgentIdAt(i);
    let name = nameOf.get(id);
    if (name === undefined && !nameOf.has(id)) nameOf.set(id, (name = crawlerName(errors.userAgentAt(i))));
    if (!name) continue;
    let l = by.get(name);
    if (!l) by.set(name, (l = []));
    l.push(i);
  }
  return [...by.entries()]
    .map(([crawler, idx]) => ({ crawler, errors: idx }))
    .sort((a, b) => b.errors.length - a.errors.length || (a.crawler < b.crawler ? -1 : 1));
}
