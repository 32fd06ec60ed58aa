// machineZone answers 'UTC' without Intl only where Intl would answer 'UTC' too.
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localtimeIsUtc } from '../../src/time/zone.js';

const ZONEINFO = '/usr/share/zoneinfo';

function link(target: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ls-zone-')), 'localtime');
  symlinkSync(target, path);
  return path;
}

describe('localtimeIsUtc', () => {
  it.runIf(existsSync(`${ZONEINFO}/Etc/UTC`))('is true for a link to zoneinfo/Etc/UTC or zoneinfo/UTC with TZ unset', () => {
    expect(localtimeIsUtc({}, link(`${ZONEINFO}/Etc/UTC`))).toBe(true);
    if (existsSync(`${ZONEINFO}/UTC`)) expect(localtimeIsUtc({}, link(`${ZONEINFO}/UTC`))).toBe(true);
  });

  it('is false whenever TZ is set, even empty, or the link names another zone, or there is no link', () => {
    expect(localtimeIsUtc({ TZ: '' }, link(`${ZONEINFO}/Etc/UTC`))).toBe(false);
    expect(localtimeIsUtc({ TZ: 'UTC' }, link(`${ZONEINFO}/Etc/UTC`))).toBe(false);
    expect(localtimeIsUtc({}, link(`${ZONEINFO}/Europe/Berlin`))).toBe(false);
    expect(localtimeIsUtc({}, join(tmpdir(), 'ls-zone-missing', 'localtime'))).toBe(false);
    const copy = join(mkdtempSync(join(tmpdir(), 'ls-zone-')), 'localtime');
    writeFileSync(copy, 'TZif');
    expect(localtimeIsUtc({}, copy)).toBe(false);
  });

  it.runIf(process.env.TZ === undefined && localtimeIsUtc())('agrees with Intl on this machine', () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('UTC');
  });
});
