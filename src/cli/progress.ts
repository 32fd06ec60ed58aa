// A progress line on stderr while big inputs are read: bytes read of the bytes known, and the rate. Only
// when stderr is a terminal and the report does not go to stdout as JSON (the caller decides); redrawn at
// most ten times a second and erased before the report is printed.
export interface Progress {
  add(bytes: number): void;
  done(): void;
}

const REDRAW_MS = 100;
const BAR = 24;

export function createProgress(totalBytes: number, out: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const start = now();
  let read = 0;
  let last = 0;
  let drawn = false;
  const draw = (): void => {
    const secs = Math.max((now() - start) / 1000, 0.001);
    const mb = read / 1e6;
    const rate = `${(mb / secs).toFixed(0)} MB/s`;
    let text: string;
    if (totalBytes > 0) {
      const share = Math.min(read / totalBytes, 1);
      const filled = Math.round(share * BAR);
      text = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${mb.toFixed(0)}/${(totalBytes / 1e6).toFixed(0)} MB  ${rate}`;
    } else {
      text = `${mb.toFixed(0)} MB read  ${rate}`;
    }
    out.write(`\r${text}\x1b[K`);
    drawn = true;
  };
  return {
    add(bytes: number): void {
      read += bytes;
      const t = now();
      if (t - last >= REDRAW_MS) {
        last = t;
        draw();
      }
    },
    done(): void {
      if (drawn) out.write('\r\x1b[K');
    },
  };
}
