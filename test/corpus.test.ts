// The real-world corpus (../shared/corpus, test data only, never copied here) read through the same
// ingestion the CLI uses: every file detected as its folder's family, >= 99.5 % of lines recognised.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSource } from '../src/input/ingest.js';

const CORPUS = resolve(process.cwd(), '../shared/corpus');
const FAMILIES = ['nginx-access', 'nginx-error', 'apache-access', 'apache-error', 'php-fpm', 'php-fpm-slow', 'php-error', 'kernel'];
const ACCEPTED: Record<string, string[]> = {
  'nginx-access': ['nginx-access', 'apache-access'],
  'apache-access': ['nginx-access', 'apache-access'],
  kernel: ['kernel', 'syslog'],
};

describe.skipIf(!existsSync(CORPUS))('real-world corpus through the ingestion pipeline', () => {
  for (const family of FAMILIES) {
    it(`${family}: every file detected as ${family}, >= 99.5 % of non-blank lines recognised`, async () => {
      const dir = join(CORPUS, family);
      let nonBlank = 0;
      let unrecognized = 0;
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        const s = await ingestSource({ path, kind: 'file' }, { tz: 'UTC', onRecord: () => undefined });
        expect.soft(ACCEPTED[family] ?? [family], `${name} detected as ${s.format}`).toContain(s.format);
        nonBlank += readFileSync(path, 'latin1').split('\n').filter((l) => l.trim() !== '').length;
        unrecognized += s.unrecognized;
      }
      expect((nonBlank - unrecognized) / nonBlank).toBeGreaterThanOrEqual(0.995);
    });
  }
});
