// §5.2 php-memory-exhausted: a script hit memory_limit ('Allowed memory size of N bytes exhausted').
// Request-scoped containers (FastCGI stderr, AH01071, mod_php) join their request; PHP error-log lines join
// by time. A joined 200 means headers were out already: a hidden failure, not a 5xx.
import type { Signal } from '../signals/types.js';
import { culpritsOf, sampleEvidence } from './helpers.js';
import { claimPhpMessages, dominant, findingConfidence, mb, poolFile } from './lib-fpm.js';
import type { Finding, Rule } from './types.js';

function triedToAllocate(s: Signal): number | undefined {
  const m = /tried to allocate (\d{1,20}) bytes/.exec(s.keys.detail ?? s.text);
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

/** The next usual memory_limit step above the one in force. */
function nextLimit(bytes: number): string {
  const m = Math.round(bytes / 1024 ** 2);
  for (const step of [64, 128, 256, 512, 1024, 2048]) if (step > m) return `${step}M`;
  return `${m * 2}M`;
}

export const rule: Rule = {
  id: 'php-memory-exhausted',
  title: 'PHP memory_limit exhausted',
  layer: 'app',
  meaning: 'A script needed more memory than memory_limit allows, so PHP stopped it with a fatal error and the request failed (500).',
  signals: ['P-MEMLIMIT', 'N-STDERR', 'A-FCGI', 'F-STDERR'],
  lookAlikes: [
    '"Out of memory (allocated …)" means the OS refused memory: host-memory-exhausted',
    'a kernel OOM kill of the worker gives 502, not 500: oom-killer',
  ],
  fix: {
    summary:
      'Fix the code path first (stream or chunk exports, unbuffered queries, pagination); raise memory_limit only for the pool or endpoint that needs it, and keep pm.max_children × typical worker RSS inside RAM.',
    directives: [
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'php_admin_value[memory_limit]', to: '256M', why: 'or a separate pool for admin/export URLs; default is 128M' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'pm.max_children', to: 'floor(RAM for PHP / worker RSS)', why: 'a higher memory_limit makes workers bigger' },
    ],
  },
  diagnose(ctx) {
    const signals = ctx.bySig('P-MEMLIMIT');
    if (signals.length === 0) return [];
    const { claims, hidden, unjoined } = claimPhpMessages(ctx, signals, [500], (s) => `PHP Allowed memory size of ${s.keys.bytes !== undefined ? mb(s.keys.bytes) : '?'} exhausted`);
    const limit = dominant(signals.map((s) => s.keys.bytes).filter((n): n is number => n !== undefined))?.value;
    const tried = signals.map(triedToAllocate).filter((n): n is number => n !== undefined);
    const biggest = tried.length > 0 ? Math.max(...tried) : undefined;
    const culprits = culpritsOf(signals);
    const facts: string[] = [];
    if (limit !== undefined) facts.push(`memory_limit is ${mb(limit)}`);
    if (biggest !== undefined) {
      // a small request says memory grew gradually (big arrays, leaks); a huge one, one giant allocation
      facts.push(
        biggest >= 16 * 1024 ** 2
          ? `one allocation of ${mb(biggest)} (loading a whole file or result set)`
          : `it failed on a small allocation (${Math.round(biggest / 1024)} KB): memory grew gradually`,
      );
    }
    const top = culprits[0];
    if (top) facts.push(`most often in ${top.kind} ${top.name}`);
    if (claims.length === 0) facts.push('no 5xx joined: headers were already sent or display_errors is on (hidden failures)');
    const f: Finding = {
      cause: 'php-memory-exhausted',
      // fatal errors behind a 200 are still broken pages (§6.6): report them, below the 5xx causes
      confidence: findingConfidence(claims, hidden.length + unjoined.length > 0 ? 0.6 : 0.5),
      claims,
      evidence: sampleEvidence(signals, 5),
      note: `${facts.join('; ')}.`,
    };
    if (culprits.length > 0) f.culprits = culprits;
    if (limit !== undefined) {
      const file = poolFile(ctx);
      f.directives = [
        {
          file,
          set: 'php_admin_value[memory_limit]',
          to: `${nextLimit(limit)} (now ${mb(limit)}), ideally only in a separate pool for ${top ? `${top.name}’s URLs` : 'the failing URLs'}`,
          why: 'after fixing the code path if it can stream or paginate',
        },
        { file, set: 'pm.max_children', to: `floor(RAM for PHP / ${nextLimit(limit)})`, why: 'workers may now grow to the new limit' },
      ];
    }
    return [f];
  },
};
