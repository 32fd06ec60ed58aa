// The progress line: throttled redraws of bytes read against the total, erased before the report.
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

function fakeStream(): { out: string[]; stream: NodeJS.WriteStream } {
  const out: string[] = [];
  const stream = { write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { out, stream };
}

describe('createProgress', () => {
  it('redraws at most every 100 ms with share, sizes and rate, and erases its line when done', () => {
    const { out, stream } = fakeStream();
    let now = 0;
    const p = createProgress(200e6, stream, () => now);
    now = 100;
    p.add(50e6);
    now = 150;
    p.add(50e6); // within 100 ms of the last draw: not drawn
    now = 1000;
    p.add(100e6);
    p.done();
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(`\r[${'#'.repeat(6)}${'-'.repeat(18)}]  25%  50/200 MB  500 MB/s\x1b[K`);
    expect(out[1]).toContain('100%  200/200 MB  200 MB/s');
    expect(out[2]).toBe('\r\x1b[K');
  });

  it('shows bytes only when the total is unknown (stdin), and writes nothing if it never drew', () => {
    const { out, stream } = fakeStream();
    let now = 0;
    const quiet = createProgress(0, stream, () => now);
    quiet.done();
    expect(out).toEqual([]);
    const p = createProgress(0, stream, () => now);
    now = 2000;
    p.add(30e6);
    expect(out[0]).toBe('\r30 MB read  15 MB/s\x1b[K');
  });
});
