import { describe, expect, it } from 'vitest';
import {
  inferYear, parseClfTime, parseCtime, parseDmyTime, parseIsoTime, parseNginxErrorTime, parseSyslogTime,
} from '../../src/time/stamps.js';
import { formatInZone, wallToEpoch } from '../../src/time/zone.js';

const utc = (s: string) => Date.parse(s);

describe('timestamp readers', () => {
  it('reads $time_local with its offset', () => {
    expect(parseClfTime('12/Jan/2026:10:00:01 +0100', 0)).toBe(utc('2026-01-12T09:00:01Z'));
    expect(parseClfTime('12/Jan/2026:10:00:01 -0530', 0)).toBe(utc('2026-01-12T15:30:01Z'));
    expect(parseClfTime('12/Foo/2026:10:00:01 +0100', 0)).toBeNaN();
  });

  it('reads ISO 8601 with offset, Z, fraction, and zone-less in the given zone', () => {
    expect(parseIsoTime('2026-01-12T10:00:01+01:00', 0, 'UTC')).toBe(utc('2026-01-12T09:00:01Z'));
    expect(parseIsoTime('2026-01-12T10:00:01.123456Z', 0, 'UTC')).toBe(utc('2026-01-12T10:00:01.123Z'));
    expect(parseIsoTime('2026-01-12 10:00:01', 0, 'Europe/Berlin')).toBe(utc('2026-01-12T09:00:01Z'));
  });

  it('reads zone-less nginx error, FPM and Apache stamps in --tz, across DST', () => {
    expect(parseNginxErrorTime('2026/07/12 10:00:01', 0, 'Europe/Berlin')).toBe(utc('2026-07-12T08:00:01Z'));
    expect(parseDmyTime('12-Jan-2026 10:00:01', 0, 'America/New_York').time).toBe(utc('2026-01-12T15:00:01Z'));
    expect(parseDmyTime('12-Jan-2026 10:00:01.250000', 0, 'UTC')).toEqual({ time: utc('2026-01-12T10:00:01.250Z'), end: 27 });
    expect(parseCtime('Mon Jan 12 10:00:01.123456 2026', 0, 'UTC').time).toBe(utc('2026-01-12T10:00:01.123Z'));
    expect(parseCtime('Mon Jan  2 10:00:01 2026', 0, 'UTC').time).toBe(utc('2026-01-02T10:00:01Z'));
  });

  it('reads year-less syslog stamps and infers the year around New Year', () => {
    expect(parseSyslogTime('Jan  2 03:04:05', 0, 2026, 'UTC')).toBe(utc('2026-01-02T03:04:05Z'));
    expect(inferYear(12, 31, utc('2026-01-01T10:00:00Z'))).toBe(2025);
    expect(inferYear(1, 1, utc('2026-01-01T10:00:00Z'))).toBe(2026);
  });

  it('formats in a zone with its offset at that instant', () => {
    expect(formatInZone(utc('2026-07-12T08:00:01Z'), 'Europe/Berlin')).toBe('2026-07-12T10:00:01.000+02:00');
    expect(formatInZone(utc('2026-01-12T08:00:01Z'), '+05:30')).toBe('2026-01-12T13:30:01.000+05:30');
    expect(wallToEpoch('Europe/Berlin', 2026, 3, 29, 2, 30, 0, 0)).toBe(utc('2026-03-29T01:30:00Z'));
  });
});
