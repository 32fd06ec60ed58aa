// Cutting an input's bytes into blocks of whole lines for the workers. Each block ends at a LF (except the
// input's last one), so a worker's LineSplitter sees exactly the lines, CRs and over-long lines that one
// splitter reading the whole input would see.
import { DEFAULT_MAX_LINE } from '../input/lines.js';

export const BLOCK_BYTES = 1 << 20;

export class BlockCutter {
  private parts: Buffer[] = [];
  private size = 0;
  /** bytes of the line that is still open (no LF seen yet) */
  private open = 0;

  constructor(
    private readonly blockBytes = BLOCK_BYTES,
    private readonly maxLine = DEFAULT_MAX_LINE,
  ) {}

  /** Takes a chunk; returns the blocks it completed (often none). */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      this.openLine(chunk);
      return out;
    }
    const first = chunk.indexOf(10);
    this.openLine(chunk.subarray(0, first));
    this.add(chunk.subarray(first, last + 1));
    this.open = 0;
    if (this.size >= this.blockBytes) out.push(this.cut());
    this.openLine(chunk.subarray(last + 1));
    return out;
  }

  /** The rest, which may end without a LF; null when nothing is left. */
  end(): Buffer | null {
    return this.size > 0 ? this.cut() : null;
  }

  /** True when the input's last line had no LF (it is still counted as a line by the splitter). */
  get lineOpen(): boolean {
    return this.open > 0;
  }

  /**
   * Bytes of the open line. Past the line cap only maxLine + 1 bytes are kept: the splitter cuts the line
   * to maxLine and counts it truncated all the same, and a gigabyte without a LF never sits in memory.
   */
  private openLine(b: Buffer): void {
    const room = this.maxLine + 1 - this.open;
    if (room <= 0 || b.length === 0) return;
    const take = b.length <= room ? b : b.subarray(0, room);
    this.add(take);
    this.open += take.length;
  }

  private add(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.size += b.length;
  }

  private cut(): Buffer {
    // a fresh buffer that owns its memory: it is transferred to a worker, not copied
    const block = Buffer.allocUnsafeSlow(this.size);
    let at = 0;
    for (const p of this.parts) {
      p.copy(block, at);
      at += p.length;
    }
    this.parts = [];
    this.size = 0;
    return block;
  }
}
