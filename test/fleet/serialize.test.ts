// The digest file: an exact round trip (Maps, NaN and ±Infinity included), and clear refusals.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRecord, createDigest, merge } from '../../src/digest/digest.js';
import { deserializeDigest, DIGEST_FILE_VERSION, serializeDigest, type SavedDigest } from '../../src/digest/serialize.js';
import type { EventRecord } from '../../src/formats/types.js';
import { analyzeDir } from '../analyze-helpers.js';

const SCENARIOS = join(process.cwd(), 'fixtures/scenarios');

function saved(a: Awaited<ReturnType<typeof analyzeDir>>): SavedDigest {
  return { digest: a.digest, inputs: a.inputs, host: null, timezoneAssumed: 'UTC', toolVersion: 'test' };
}

describe('digest serialisation', () => {
  it('round-trips a real digest exactly, and merging the read-back digests equals merging the originals', async () => {
    const a = await analyzeDir(join(SCENARIOS, 'nginx-upstream-down-unix'));
    const b = await analyzeDir(join(SCENARIOS, 'nginx-fpm-pool-exhausted'));
    const text = serializeDigest(saved(a));
    const back = deserializeDigest(text);
    expect(back.digest).toEqual(a.digest);
    expect([...back.digest.buckets.keys()]).toEqual([...a.digest.buckets.keys()]);
    expect(back.inputs).toEqual(a.inputs);
    expect(serializeDigest(back)).toBe(text);
    const backB = deserializeDigest(serializeDigest(saved(b))).digest;
    expect(merge(back.digest, backB)).toEqual(merge(a.digest, b.digest));
  });

  it('keeps NaN and infinite numbers, which JSON cannot hold', () => {
    const d = createDigest();
    // an FPM child line has no time of its own: its coverage stays [Infinity, -Infinity] and its signal NaN
    const r: EventRecord = {
      kind: 'event', family: 'php-fpm', time: NaN, level: 'warn', pool: 'www',
      message: '[pool www] server reached pm.max_children setting (5), consider raising it',
      origin: { source: 'php-fpm.log', line: 1 }, raw: 'WARNING: [pool www] server reached pm.max_children setting (5), consider raising it',
    };
    addRecord(d, r);
    expect(d.coverage.get('php-fpm')).toEqual({ from: Infinity, to: -Infinity, records: 1 });
    const text = serializeDigest({ digest: d, inputs: [], host: 'web1', timezoneAssumed: 'UTC', toolVersion: 'test' });
    expect(text).toContain('{"$num":"Infinity"}');
    const back = deserializeDigest(text);
    expect(back.digest).toEqual(d);
    expect(back.digest.coverage.get('php-fpm')?.to).toBe(-Infinity);
    expect(back.host).toBe('web1');
  });

  it('refuses what is not a digest of this version with a one-line reason', () => {
    const good = JSON.parse(serializeDigest({ digest: createDigest(), inputs: [], host: null, timezoneAssumed: 'UTC', toolVersion: 't' })) as Record<string, unknown>;
    expect(() => deserializeDigest('{"schemaVersion":1}')).toThrow('not a logsleuth digest file');
    expect(() => deserializeDigest('not json')).toThrow(/^not valid JSON/);
    expect(() => deserializeDigest(JSON.stringify({ ...good, version: DIGEST_FILE_VERSION + 1 }))).toThrow(/version 2 is not supported/);
    expect(() => deserializeDigest(JSON.stringify({ ...good, digest: { ...(good.digest as object), buckets: 'x' } }))).toThrow(/damaged digest file/);
  });
});
