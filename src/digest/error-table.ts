// The 5xx of a digest, kept as columns. Every 5xx is kept with every key a join needs, but as one row of
// numbers (≈ 72 bytes) over interned strings instead of an object with its own strings and its line
// (≈ 1.3 KB with the diagnosis's share): with a 5xx every fifty requests, that was what made memory grow
// with the input. Rows are read back as ErrorRequest objects made on demand (`at`), which die young.
import type { AccessRecord } from '../formats/types.js';

/** A 5xx (or upstream-failed) request with every key a join needs. */
export interface ErrorRequest {
  time: number;
  timeIsStart: boolean;
  status: number;
  client: string;
  request: string;
  method: string;
  path: string;
  vhost?: string;
  userAgent?: string;
  requestTime?: number;
  upstreamAddr?: string[];
  upstreamStatus?: (number | null)[];
  upstreamResponseTime?: (number | null)[];
  host?: string;
  family: AccessRecord['family'];
  source: string;
  line: number;
}

/** A 5xx as saved in a digest file or posted by a worker: the row's fields and, when kept, its line. */
export interface ErrorRow extends ErrorRequest {
  raw?: string;
}

/** Characters of a 5xx's line kept as evidence: reports clip it shorter. */
const RAW_KEPT = 512;
/**
 * Bytes of 5xx lines kept in memory. Evidence shows a handful of them; the ones not kept are read again
 * from their file when a report needs them (input/reread.ts). 4 MiB holds the first ≈ 17,000 lines.
 */
export const RAW_BUDGET = 4 << 20;

const BITS = 12;
const CHUNK = 1 << BITS;
const MASK = CHUNK - 1;

/**
 * A growable column in chunks of 4096 rows: growing never copies, and never holds twice the rows the way
 * doubling an array does. Two classes, not one generic one, so that each read site stays monomorphic.
 */
class F64Column {
  private chunks: Float64Array[] = [];
  get(i: number): number {
    return this.chunks[i >>> BITS]?.[i & MASK] ?? NaN;
  }
  set(i: number, v: number): void {
    const c = i >>> BITS;
    while (this.chunks.length <= c) this.chunks.push(new Float64Array(CHUNK));
    (this.chunks[c] as Float64Array)[i & MASK] = v;
  }
  /** Row i becomes row order[i]. */
  permute(order: Int32Array): void {
    const next = new F64Column();
    for (let i = 0; i < order.length; i++) next.set(i, this.get(order[i] ?? 0));
    this.chunks = next.chunks;
  }
}

class I32Column {
  private chunks: Int32Array[] = [];
  get(i: number): number {
    return this.chunks[i >>> BITS]?.[i & MASK] ?? 0;
  }
  set(i: number, v: number): void {
    const c = i >>> BITS;
    while (this.chunks.length <= c) this.chunks.push(new Int32Array(CHUNK));
    (this.chunks[c] as Int32Array)[i & MASK] = v;
  }
  /** Row i becomes row order[i]. */
  permute(order: Int32Array): void {
    const next = new I32Column();
    for (let i = 0; i < order.length; i++) next.set(i, this.get(order[i] ?? 0));
    this.chunks = next.chunks;
  }
}

/** Strings (and upstream lists) stored once, named by their index; -1 is "none". */
class Pool<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<string, number>();
  id(key: string, value: T): number {
    let i = this.ids.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.ids.set(key, i);
    }
    return i;
  }
  get(i: number): T | undefined {
    return i < 0 ? undefined : this.values[i];
  }
}

/** $upstream_addr and $upstream_status of a 5xx: few distinct pairs, so they are pooled. */
export interface Upstreams {
  addr?: string[];
  status?: (number | null)[];
}

/** A table as posted between threads: its columns as typed arrays (cloned as bytes, not as objects). */
export interface PackedErrors {
  rows: number;
  /** times, then request times, then upstream response times */
  f64: Float64Array;
  /** the integer columns one after the other (ErrorTable.intColumns order) */
  i32: Int32Array;
  strings: string[];
  upstreams: Upstreams[];
  /** the kept lines' bytes */
  raw: Uint8Array;
  rawLater: [number, string][];
  responseLists: [number, (number | null)[]][];
}

const FAMILIES: readonly ErrorRequest['family'][] = ['nginx-access', 'apache-access'];
const START_FLAG = 4;
/** $upstream_response_time was one value, in the row's responseTimes (NaN: '-', a try without a time) */
const ONE_RESPONSE_TIME = 8;

function listKey(a: readonly (string | number | null)[] | undefined): string {
  return a === undefined ? '\u0002' : a.map((x) => (x === null ? '\u0003' : String(x))).join('\u0001');
}

function upstreamKey(u: Upstreams): string {
  return `${listKey(u.addr)}\u0000${listKey(u.status)}`;
}

export class ErrorTable implements Iterable<ErrorRequest> {
  private rows = 0;
  private readonly times = new F64Column();
  private readonly requestTimes = new F64Column();
  /**
   * $upstream_response_time: nearly every 5xx has its own, so it is no part of the pooled upstreams. One
   * value (one try) lives in this column; lists of several tries in responseLists.
   */
  private readonly responseTimes = new F64Column();
  private responseLists = new Map<number, (number | null)[]>();
  private readonly lines = new I32Column();
  private readonly statuses = new I32Column();
  /** family index | START_FLAG when the time is the request's start | ONE_RESPONSE_TIME */
  private readonly flags = new I32Column();
  private readonly clients = new I32Column();
  private readonly requests = new I32Column();
  private readonly methods = new I32Column();
  private readonly paths = new I32Column();
  private readonly vhosts = new I32Column();
  private readonly agents = new I32Column();
  private readonly hosts = new I32Column();
  private readonly sources = new I32Column();
  private readonly upstreams = new I32Column();
  /** start of the row's line in `raw`, -1 when it was not kept */
  private readonly rawStarts = new I32Column();
  private readonly rawLengths = new I32Column();
  private readonly strings = new Pool<string>();
  private readonly upstreamLists = new Pool<Upstreams>();
  private raw: Buffer = Buffer.alloc(0);
  private rawUsed = 0;
  /** lines read again for rows whose line was not kept (see setRaw) */
  private rawLater = new Map<number, string>();
  private readonly rawBudget: number;
  private rowsWithHost = 0;

  /** `rawBudget`: bytes of lines kept in memory (tests set it small) */
  constructor(rawBudget = RAW_BUDGET) {
    this.rawBudget = rawBudget;
  }

  get length(): number {
    return this.rows;
  }

  private str(s: string | undefined): number {
    return s === undefined ? -1 : this.strings.id(s, s);
  }

  private upstreamId(addr: string[] | undefined, status: (number | null)[] | undefined): number {
    if (addr === undefined && status === undefined) return -1;
    const u: Upstreams = {};
    if (addr !== undefined) u.addr = addr;
    if (status !== undefined) u.status = status;
    return this.upstreamLists.id(upstreamKey(u), u);
  }

  /** Stores a row's $upstream_response_time list; returns the flag to add to the row's flags. */
  private keepResponseTime(i: number, list: readonly (number | null)[] | undefined): number {
    this.responseLists.delete(i);
    if (list === undefined) {
      this.responseTimes.set(i, NaN);
      return 0;
    }
    if (list.length === 1) {
      this.responseTimes.set(i, list[0] ?? NaN);
      return ONE_RESPONSE_TIME;
    }
    this.responseTimes.set(i, NaN);
    this.responseLists.set(i, [...list]);
    return 0;
  }

  /** The row's $upstream_response_time list, as read. */
  private responseListOf(i: number, flags: number): (number | null)[] | undefined {
    if ((flags & ONE_RESPONSE_TIME) !== 0) {
      const v = this.responseTimes.get(i);
      return [v === v ? v : null];
    }
    return this.responseLists.get(i);
  }

  /** The integer columns, in the order a packed table holds them. */
  private intColumns(): I32Column[] {
    return [this.lines, this.statuses, this.flags, this.clients, this.requests, this.methods, this.paths, this.vhosts,
      this.agents, this.hosts, this.sources, this.upstreams, this.rawStarts, this.rawLengths];
  }

  /** Room for `bytes` more bytes of lines, or false when the budget is spent. */
  private rawRoom(bytes: number): boolean {
    if (this.rawUsed + bytes > this.rawBudget) return false;
    if (this.rawUsed + bytes > this.raw.length) {
      const grown = Buffer.alloc(Math.min(this.rawBudget, Math.max(64 << 10, this.raw.length * 2, this.rawUsed + bytes)));
      this.raw.copy(grown, 0, 0, this.rawUsed);
      this.raw = grown;
    }
    return true;
  }

  /** Keeps the line while the budget lasts; the row remembers where. */
  private keepRaw(i: number, text: string | undefined): void {
    this.rawStarts.set(i, -1);
    this.rawLengths.set(i, 0);
    if (text === undefined || text === '') return;
    const t = text.length > RAW_KEPT ? text.slice(0, RAW_KEPT) : text;
    const bytes = Buffer.byteLength(t);
    if (!this.rawRoom(bytes)) return;
    this.raw.write(t, this.rawUsed, 'utf8');
    this.rawStarts.set(i, this.rawUsed);
    this.rawLengths.set(i, bytes);
    this.rawUsed += bytes;
  }

  /** keepRaw for a line another table holds as bytes: copied as they are. */
  private keepRawFrom(i: number, src: ErrorTable, k: number): void {
    const later = src.rawLater.get(k);
    const start = src.rawStarts.get(k);
    if (later !== undefined || start < 0) {
      this.keepRaw(i, later);
      return;
    }
    const bytes = src.rawLengths.get(k);
    this.rawStarts.set(i, -1);
    this.rawLengths.set(i, 0);
    if (!this.rawRoom(bytes)) return;
    src.raw.copy(this.raw, this.rawUsed, start, start + bytes);
    this.rawStarts.set(i, this.rawUsed);
    this.rawLengths.set(i, bytes);
    this.rawUsed += bytes;
  }

  /** Adds a row; `raw` is the request's line, kept while the budget lasts. */
  add(e: ErrorRequest, raw: string | undefined): void {
    const i = this.rows++;
    this.times.set(i, e.time);
    this.requestTimes.set(i, e.requestTime ?? NaN);
    this.lines.set(i, e.line);
    this.statuses.set(i, e.status);
    const response = this.keepResponseTime(i, e.upstreamResponseTime);
    this.flags.set(i, Math.max(0, FAMILIES.indexOf(e.family)) | (e.timeIsStart ? START_FLAG : 0) | response);
    this.clients.set(i, this.str(e.client));
    this.requests.set(i, this.str(e.request));
    this.methods.set(i, this.str(e.method));
    this.paths.set(i, this.str(e.path));
    this.vhosts.set(i, this.str(e.vhost));
    this.agents.set(i, this.str(e.userAgent));
    this.hosts.set(i, this.str(e.host));
    if (e.host !== undefined) this.rowsWithHost++;
    this.sources.set(i, this.str(e.source));
    this.upstreams.set(i, this.upstreamId(e.upstreamAddr, e.upstreamStatus));
    this.keepRaw(i, raw);
  }

  /** Adds an access record (a 5xx), as addRecord gets it. */
  addRecord(r: AccessRecord): void {
    this.add(
      {
        time: r.time, timeIsStart: r.timeIsStart, status: r.status, client: r.client, request: r.request, method: r.method,
        path: r.path, vhost: r.vhost, userAgent: r.userAgent, requestTime: r.requestTime, upstreamAddr: r.upstreamAddr,
        upstreamStatus: r.upstreamStatus, upstreamResponseTime: r.upstreamResponseTime, host: r.host, family: r.family,
        source: r.origin.source, line: r.origin.line,
      },
      r.raw,
    );
  }

  /** Adds a saved or posted row. */
  addRow(e: ErrorRow): void {
    this.add(e, e.raw);
  }

  /**
   * Adds the rows of another table while this one has fewer than `limit` (their lines too, while this
   * table's budget lasts); returns how many. Strings are mapped once per distinct value, not per row.
   */
  append(src: ErrorTable, limit = Infinity): number {
    const n = Math.max(0, Math.min(src.rows, limit - this.rows));
    const strIds = new Int32Array(src.strings.values.length).fill(-2);
    const str = (id: number): number => {
      if (id < 0) return -1;
      const known = strIds[id] ?? -2;
      return known !== -2 ? known : (strIds[id] = this.str(src.strings.values[id]));
    };
    const upIds = new Int32Array(src.upstreamLists.values.length).fill(-2);
    const up = (id: number): number => {
      const u = src.upstreamLists.get(id);
      if (u === undefined) return -1;
      const known = upIds[id] ?? -2;
      return known !== -2 ? known : (upIds[id] = this.upstreamLists.id(upstreamKey(u), u));
    };
    for (let k = 0; k < n; k++) {
      const i = this.rows++;
      this.times.set(i, src.times.get(k));
      this.requestTimes.set(i, src.requestTimes.get(k));
      this.responseTimes.set(i, src.responseTimes.get(k));
      const list = src.responseLists.get(k);
      if (list !== undefined) this.responseLists.set(i, list);
      this.lines.set(i, src.lines.get(k));
      this.statuses.set(i, src.statuses.get(k));
      this.flags.set(i, src.flags.get(k));
      this.clients.set(i, str(src.clients.get(k)));
      this.requests.set(i, str(src.requests.get(k)));
      this.methods.set(i, str(src.methods.get(k)));
      this.paths.set(i, str(src.paths.get(k)));
      this.vhosts.set(i, str(src.vhosts.get(k)));
      this.agents.set(i, str(src.agents.get(k)));
      this.hosts.set(i, str(src.hosts.get(k)));
      if (src.hosts.get(k) >= 0) this.rowsWithHost++;
      this.sources.set(i, str(src.sources.get(k)));
      this.upstreams.set(i, up(src.upstreams.get(k)));
      this.keepRawFrom(i, src, k);
    }
    return n;
  }

  /** The table for postMessage (see PackedErrors). */
  pack(): PackedErrors {
    const n = this.rows;
    const f64 = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      f64[i] = this.times.get(i);
      f64[n + i] = this.requestTimes.get(i);
      f64[2 * n + i] = this.responseTimes.get(i);
    }
    const cols = this.intColumns();
    const i32 = new Int32Array(cols.length * n);
    cols.forEach((col, c) => {
      for (let i = 0; i < n; i++) i32[c * n + i] = col.get(i);
    });
    return {
      rows: n, f64, i32, strings: this.strings.values, upstreams: this.upstreamLists.values,
      raw: new Uint8Array(this.raw.subarray(0, this.rawUsed)), rawLater: [...this.rawLater], responseLists: [...this.responseLists],
    };
  }

  /** A table from its packed form. */
  static unpack(p: PackedErrors): ErrorTable {
    const t = new ErrorTable(Math.max(RAW_BUDGET, p.raw.length));
    const n = p.rows;
    for (let i = 0; i < n; i++) {
      t.times.set(i, p.f64[i] ?? NaN);
      t.requestTimes.set(i, p.f64[n + i] ?? NaN);
      t.responseTimes.set(i, p.f64[2 * n + i] ?? NaN);
    }
    t.intColumns().forEach((col, c) => {
      for (let i = 0; i < n; i++) col.set(i, p.i32[c * n + i] ?? -1);
    });
    t.rows = n;
    for (let i = 0; i < n; i++) if (t.hosts.get(i) >= 0) t.rowsWithHost++;
    for (const s of p.strings) t.strings.id(s, s);
    for (const u of p.upstreams) t.upstreamLists.id(upstreamKey(u), u);
    t.raw = Buffer.from(p.raw.buffer, p.raw.byteOffset, p.raw.byteLength);
    t.rawUsed = p.raw.byteLength;
    t.rawLater = new Map(p.rawLater);
    t.responseLists = new Map(p.responseLists);
    return t;
  }

  timeAt(i: number): number {
    return this.times.get(i);
  }

  /** seconds, NaN when the line had none */
  requestTimeAt(i: number): number {
    return this.requestTimes.get(i);
  }

  statusAt(i: number): number {
    return this.statuses.get(i);
  }

  timeIsStartAt(i: number): boolean {
    return (this.flags.get(i) & START_FLAG) !== 0;
  }

  clientAt(i: number): string {
    return this.strings.get(this.clients.get(i)) ?? '';
  }

  requestAt(i: number): string {
    return this.strings.get(this.requests.get(i)) ?? '';
  }

  /** index of the row's client string: equal strings, equal ids */
  clientIdAt(i: number): number {
    return this.clients.get(i);
  }

  /** index of the row's request line: equal strings, equal ids */
  requestIdAt(i: number): number {
    return this.requests.get(i);
  }

  userAgentAt(i: number): string | undefined {
    return this.strings.get(this.agents.get(i));
  }

  /** index of the row's user agent (-1: none): equal strings, equal ids */
  userAgentIdAt(i: number): number {
    return this.agents.get(i);
  }

  familyAt(i: number): ErrorRequest['family'] {
    return FAMILIES[this.flags.get(i) & 3] ?? 'nginx-access';
  }

  /** The row's upstream lists ($upstream_addr, _status, _response_time), shared between rows. */
  upstreamsAt(i: number): Readonly<Upstreams> | undefined {
    return this.upstreamLists.get(this.upstreams.get(i));
  }

  /** True when some row names its host (syslog/journald input, or --host): else per-host counts are empty. */
  get hasHosts(): boolean {
    return this.rowsWithHost > 0;
  }

  hostAt(i: number): string | undefined {
    return this.strings.get(this.hosts.get(i));
  }

  pathAt(i: number): string {
    return this.strings.get(this.paths.get(i)) ?? '';
  }

  sourceAt(i: number): string {
    return this.strings.get(this.sources.get(i)) ?? '';
  }

  lineAt(i: number): number {
    return this.lines.get(i) >>> 0;
  }

  /** Shifts the line numbers of rows [from, to) (a block's rows, once the block's first line is known). */
  shiftLines(from: number, to: number, by: number): void {
    for (let i = from; i < to; i++) this.lines.set(i, this.lineAt(i) + by);
  }

  /** Row i as an object (a new one each call: callers may keep it). */
  at(i: number): ErrorRequest | undefined {
    if (!(i >= 0 && i < this.rows)) return undefined;
    return this.row(i);
  }

  /**
   * Every field is set, absent ones to undefined: one object shape for every row, so that the rules'
   * property reads stay monomorphic (a shape per combination of present fields made them megamorphic).
   */
  private row(i: number): ErrorRequest {
    const flags = this.flags.get(i);
    const rt = this.requestTimes.get(i);
    const u = this.upstreamLists.get(this.upstreams.get(i));
    return {
      time: this.times.get(i),
      timeIsStart: (flags & START_FLAG) !== 0,
      status: this.statuses.get(i),
      client: this.strings.get(this.clients.get(i)) ?? '',
      request: this.strings.get(this.requests.get(i)) ?? '',
      method: this.strings.get(this.methods.get(i)) ?? '',
      path: this.strings.get(this.paths.get(i)) ?? '',
      vhost: this.strings.get(this.vhosts.get(i)),
      userAgent: this.strings.get(this.agents.get(i)),
      requestTime: rt === rt ? rt : undefined,
      upstreamAddr: u?.addr,
      upstreamStatus: u?.status,
      upstreamResponseTime: this.responseListOf(i, flags),
      host: this.strings.get(this.hosts.get(i)),
      family: FAMILIES[flags & 3] ?? 'nginx-access',
      source: this.strings.get(this.sources.get(i)) ?? '',
      line: this.lines.get(i) >>> 0,
    };
  }


  /** The row's line as read (cut to 512 characters), or undefined when it was not kept and not read again. */
  rawOf(i: number): string | undefined {
    if (!(i >= 0 && i < this.rows)) return undefined;
    const later = this.rawLater.get(i);
    if (later !== undefined) return later;
    const start = this.rawStarts.get(i);
    if (start < 0) return undefined;
    return this.raw.toString('utf8', start, start + this.rawLengths.get(i));
  }

  /** True when the row's line is at hand (kept, or read again). */
  hasRaw(i: number): boolean {
    return i >= 0 && i < this.rows && (this.rawStarts.get(i) >= 0 || this.rawLater.has(i));
  }

  /** Supplies the line of a row whose line was not kept (read again from its file). */
  setRaw(i: number, text: string): void {
    this.rawLater.set(i, text.length > RAW_KEPT ? text.slice(0, RAW_KEPT) : text);
  }

  /** Row i with its line, as saved or posted. */
  rowWithRaw(i: number): ErrorRow {
    const r: ErrorRow = this.row(i);
    const raw = this.rawOf(i);
    if (raw !== undefined) r.raw = raw;
    return r;
  }

  /** JSON of a table: its rows with their lines (what a digest file holds) */
  toJSON(): ErrorRow[] {
    return rowsOf(this);
  }

  forEach(fn: (e: ErrorRequest, i: number) => void): void {
    for (let i = 0; i < this.rows; i++) fn(this.row(i), i);
  }

  *[Symbol.iterator](): Iterator<ErrorRequest> {
    for (let i = 0; i < this.rows; i++) yield this.row(i);
  }

  /** Rows from, …, to - 1 as objects. */
  slice(from = 0, to = this.rows): ErrorRequest[] {
    const out: ErrorRequest[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.rows); i++) out.push(this.row(i));
    return out;
  }

  /** True when the rows are in order of time (a row without one last), then source, then line. */
  private inOrder(a: number, b: number): number {
    const ta = this.times.get(a), tb = this.times.get(b);
    const x = ta === ta ? ta : Infinity;
    const y = tb === tb ? tb : Infinity;
    if (x !== y) return x - y;
    const sa = this.sources.get(a), sb = this.sources.get(b);
    if (sa !== sb) {
      const p = this.strings.get(sa) ?? '', q = this.strings.get(sb) ?? '';
      if (p !== q) return p < q ? -1 : 1;
    }
    return this.lineAt(a) - this.lineAt(b);
  }

  /**
   * Puts the rows in canonical order (time, source, line), so that equal content gives equal tables
   * whatever the reading order. Rows read from one log are usually in order already: nothing moves then.
   */
  sort(): void {
    let sorted = true;
    for (let i = 1; i < this.rows && sorted; i++) if (this.inOrder(i - 1, i) > 0) sorted = false;
    if (sorted) return;
    const order = new Int32Array(this.rows);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => this.inOrder(a, b) || a - b);
    // one column at a time: at most one column is held twice
    this.times.permute(order);
    this.requestTimes.permute(order);
    this.responseTimes.permute(order);
    for (const col of this.intColumns()) col.permute(order);
    if (this.rawLater.size > 0 || this.responseLists.size > 0) {
      const at = new Map<number, number>();
      order.forEach((from, to) => at.set(from, to));
      this.rawLater = new Map([...this.rawLater].map(([i, t]) => [at.get(i) ?? i, t]));
      this.responseLists = new Map([...this.responseLists].map(([i, l]) => [at.get(i) ?? i, l]));
    }
  }
}

/** Rows of a list as saved in a digest file (a table's kept lines included). */
export function rowsOf(t: ErrorTable): ErrorRow[] {
  const out: ErrorRow[] = [];
  for (let i = 0; i < t.length; i++) out.push(t.rowWithRaw(i));
  return out;
}

/** A table of saved or posted rows. */
export function tableOf(rows: readonly ErrorRow[]): ErrorTable {
  const t = new ErrorTable();
  for (const r of rows) t.addRow(r);
  return t;
}
