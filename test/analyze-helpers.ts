// Runs the real pipeline on log text written to a temp directory: what the CLI does, minus the process.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveSources } from '../src/input/sources.js';
import { analyzeSources, type Analysis } from '../src/pipeline.js';

/** files: name → content (string or lines). Returns the analysis of the whole directory. */
export async function analyzeFiles(files: Record<string, string | string[]>, tz = 'UTC'): Promise<Analysis> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-test-'));
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, Array.isArray(content) ? `${content.join('\n')}\n` : content);
  }
  return analyzeDir(dir, tz);
}

export async function analyzeDir(dir: string, tz = 'UTC'): Promise<Analysis> {
  const { sources } = resolveSources([dir], false);
  return analyzeSources(sources, { tz, version: 'test', warn: () => undefined });
}
