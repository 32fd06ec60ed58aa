// §5.3 host-memory-exhausted: the OS refused memory without an OOM kill: PHP 'Out of memory (allocated N)'
// (zend_mm_chunk_alloc() failed), FPM 'fork() failed: Cannot allocate memory (12)'. Raising memory_limit
// fixes php-memory-exhausted and makes this one worse.
import type { Signal } from '../signals/types.js';
import { culpritsOf, sampleEvidence } from './helpers.js';
import {
  claim,
  claimPhpMessages,
  findingConfidence,
  mb,
  mergeClaims,
  poolFile,
  saturationEpisodes,
  symptomOf,
} from './lib-fpm.js';
import type { Claim, Finding, Rule } from './types.js';

/** Pool 5xx while FPM could not fork: the pool could not grow (acts like §5.1), and memory is why. */
const FORK_WINDOW = 0.85;

export const rule: Rule = {
  id: 'host-memory-exhausted',
  title: 'The OS refused memory (PHP "Out of memory", fork() failed) without an OOM kill',
  layer: 'os',
  meaning: 'The machine or container had no memory left to give: PHP could not allocate and FPM could not start workers, so requests failed.',
  signals: ['P-OOM', 'F-LIFECYCLE', 'N-STDERR', 'A-FCGI', 'N-CONNECT', 'A-CONNECT', 'N-TIMEOUT'],
  lookAlikes: [
    '"Allowed memory size of N bytes exhausted" is the per-script memory_limit: php-memory-exhausted',
    'a kernel "Killed process" line is oom-killer',
  ],
  fix: {
    summary:
      'Give PHP memory or take concurrency away: add RAM or raise the container limit, check overcommit and address-space limits, and lower memory_limit / pm.max_children so workers cannot take it all.',
    directives: [
      { file: 'container / cgroup limit', set: 'memory.max (cgroup v2) / docker --memory', to: 'pm.max_children × worker RSS + headroom' },
      { file: 'sysctl (/etc/sysctl.d/99-memory.conf)', set: 'vm.overcommit_memory', to: '0 (heuristic; 2 refuses allocations early)', why: 'with 2, check vm.overcommit_ratio' },
      { file: 'systemd unit override of php-fpm', set: 'LimitAS', to: 'infinity', why: 'an address-space limit makes allocations fail with memory to spare' },
      { file: 'php-fpm pool (/etc/php/8.2/fpm/pool.d/www.conf)', set: 'php_admin_value[memory_limit]', to: '128M', why: 'lower, not higher: workers must not balloon' },
    ],
  },
  diagnose(ctx) {
    const oom = ctx.bySig('P-OOM');
    const forks = ctx.bySig('F-LIFECYCLE').filter((s) => s.keys.variant === 'fork-enomem');
    if (oom.length === 0 && forks.length === 0) return [];

    const php = claimPhpMessages(ctx, oom, [500, 502, 503], (s) => `PHP Out of memory${s.keys.bytes ? ` after ${mb(s.keys.bytes)}` : ''}`);
    const claims: Claim[] = [...php.claims];
    for (const ep of saturationEpisodes(ctx)) {
      // with max_children reached as well, the pool really was full: fpm-pool-exhausted keeps those
      if (ep.forkEnomem.length === 0 || ep.hasMaxChildren) continue;
      const fork = ep.forkEnomem[0] as Signal;
      for (const x of ep.errors) claims.push(claim(x.error, FORK_WINDOW, 'same time window', x.evidence ?? fork, `${symptomOf(x.evidence)} ← fork() failed: Cannot allocate memory`));
    }
    const merged = mergeClaims(claims);
    const heaps = oom.map((s) => s.keys.bytes).filter((n): n is number => n !== undefined);
    const facts: string[] = [];
    if (heaps.length > 0) facts.push(`workers had ${mb(Math.min(...heaps))}–${mb(Math.max(...heaps))} when the OS said no`);
    if (forks.length > 0) facts.push(`FPM could not fork ${forks.length} time${forks.length === 1 ? '' : 's'}`);
    const f: Finding = {
      cause: 'host-memory-exhausted',
      confidence: findingConfidence(merged, 0.7),
      claims: merged,
      evidence: sampleEvidence([...oom, ...forks], 6),
      variant: oom.length > 0 ? 'php-allocator' : 'fork',
    };
    if (facts.length > 0) f.note = `${facts.join('; ')}.`;
    const culprits = culpritsOf(oom);
    if (culprits.length > 0) f.culprits = culprits;
    if (heaps.length > 0) {
      f.directives = [
        { file: 'container / cgroup limit', set: 'memory.max (cgroup v2) / docker --memory', to: 'pm.max_children × worker RSS + headroom', why: 'the allocator failed without any kernel OOM kill' },
        { file: 'sysctl (/etc/sysctl.d/99-memory.conf)', set: 'vm.overcommit_memory', to: '0', why: 'strict overcommit (2) refuses allocations long before RAM is used' },
        { file: poolFile(ctx), set: 'php_admin_value[memory_limit]', to: `${Math.max(64, Math.floor(Math.min(...heaps) / 1024 ** 2 / 64) * 64)}M or less`, why: 'one worker may not take what others need' },
      ];
    }
    return [f];
  },
};
