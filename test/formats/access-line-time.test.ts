// The access scanner remembers the last stamp it read: a run of lines, with stamps repeated, changed in one
// field only (second, offset, day) and broken, must get the times each stamp gives on its own.
import { describe, expect, it } from 'vitest';
import { AccessLineScanner, Tally } from '../../src/formats/access-line.js';
import { parseClfTime } from '../../src/time/stamps.js';

const line = (stamp: string, status = 200): string =>
  `203.0.113.7 - - [${stamp}] "GET / HTTP/1.1" ${status} 512 "-" "Mozilla/5.0"`;

const STAMPS = [
  '12/Jan/2026:10:00:01 +0000',
  '12/Jan/2026:10:00:01 +0000',
  '12/Jan/2026:10:00:02 +0000',
  '12/Jan/2026:10:00:01 +0000',
  '12/Jan/2026:10:00:01 +0100',
  '12/Jan/2026:10:00:01 -0530',
  '13/Jan/2026:10:00:01 -0530',
  '13/Feb/2026:10:00:01 -0530',
  '13/Feb/2027:10:00:01 -0530',
  '13/Feb/2027:23:59:60 -0530',
  '13/Feb/2027:24:00:00 -0530',
  '13/Feb/2027:23:59:60 -0530',
  '31/Dec/2025:23:59:59 +1400',
  '01/Jan/2026:00:00:00 +0000',
  '01/Jan/2026:00:00:00 +0000',
];

describe('AccessLineScanner stamps', () => {
  it('reads every stamp of a run as parseClfTime reads it alone (tally and scan)', () => {
    const tallying = new AccessLineScanner('nginx-access', false, 'test');
    const scanning = new AccessLineScanner('nginx-access', false, 'test');
    for (const stamp of STAMPS) {
      const want = parseClfTime(stamp, 0);
      const t = tallying.tally(line(stamp));
      if (Number.isNaN(want)) {
        expect(t).toBe(Tally.None);
        expect(scanning.scan(line(stamp, 502), 1)).toBeNull();
      } else {
        expect(t).toBe(Tally.Counted);
        expect(tallying.time).toBe(want);
        expect(scanning.scan(line(stamp, 502), 1)?.time).toBe(want);
      }
    }
  });
});
