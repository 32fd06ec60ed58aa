// Record → signals: run the signature table on an event record, and the PHP/dependency rows on every PHP
// message a container carries (FastCGI stderr, AH01071, FPM worker output, mod_php, the PHP error log).
import type { EventRecord } from '../formats/types.js';
import type { Signal, SignalKeys, Signature, SignatureId } from './types.js';
import { signatures } from './catalog.js';
import { linuxErrno } from './errno.js';
import { phpLocation, splitPhpMessages, unescapeApache } from './php.js';
import { upstreamKeyOf } from './upstream.js';

type Family = EventRecord['family'];

const containerRows = new Map<Family, Signature[]>();
const phpRows: Signature[] = [];
const dependencyRows: Signature[] = [];
for (const row of signatures) {
  if (row.id.startsWith('P-')) phpRows.push(row);
  else if (row.id.startsWith('D-')) dependencyRows.push(row);
  else {
    for (const f of row.families) {
      let list = containerRows.get(f);
      if (!list) containerRows.set(f, (list = []));
      list.push(row);
    }
  }
}

let byId: Map<SignatureId, Signature[]> | undefined;
/** The table's rows grouped by signature id (several rows may share one id). */
export function signaturesById(): ReadonlyMap<SignatureId, readonly Signature[]> {
  if (!byId) {
    byId = new Map();
    for (const row of signatures) {
      const list = byId.get(row.id);
      if (list) list.push(row);
      else byId.set(row.id, [row]);
    }
  }
  return byId;
}

/** Drops undefined values so that a row's missing key does not hide the record's. */
function compact(keys: SignalKeys): SignalKeys {
  const out: Record<string, unknown> = {};
  for (const k in keys) {
    const v = (keys as Record<string, unknown>)[k];
    if (v !== undefined && v !== '' && !(typeof v === 'number' && Number.isNaN(v))) out[k] = v;
  }
  return out as SignalKeys;
}

/** Keys every signal of a record shares: the request-scoped context, copied once here rather than per row. */
function recordKeys(r: EventRecord): SignalKeys {
  return compact({
    client: r.client,
    request: r.request,
    vhost: r.vhost ?? r.server,
    connection: r.connection,
    action: r.action,
    upstream: r.upstream,
    pool: r.pool,
    pid: r.childPid,
    script: r.script,
    errno: linuxErrno(r.errno, r.errnoText),
  });
}

/** The row's keys for `text`, or undefined when it does not apply. */
function applyRow(row: Signature, text: string, r: EventRecord, recordErrno: number | undefined): SignalKeys | undefined {
  if (row.literal && !text.includes(row.literal)) return undefined;
  // the errno number decides before any text does (§2.11)
  if (row.errnos && recordErrno !== undefined && !row.errnos.includes(recordErrno)) return undefined;
  const m = row.match.exec(text);
  if (!m) return undefined;
  const keys = row.keys ? compact(row.keys(m, r)) : {};
  if (row.errnos && recordErrno === undefined && (keys.errno === undefined || !row.errnos.includes(keys.errno))) return undefined;
  return keys;
}

function firstMatch(rows: readonly Signature[], text: string, r: EventRecord, errno: number | undefined): [Signature, SignalKeys] | undefined {
  for (const row of rows) {
    const keys = applyRow(row, text, r, errno);
    if (keys) return [row, keys];
  }
  return undefined;
}

function finish(base: SignalKeys, own: SignalKeys): SignalKeys {
  const keys: SignalKeys = { ...base, ...own };
  if (keys.upstream !== undefined && keys.upstreamKey === undefined) keys.upstreamKey = upstreamKeyOf(keys.upstream);
  return keys;
}

function toSignal(r: EventRecord, sig: SignatureId, keys: SignalKeys): Signal {
  return {
    sig,
    time: r.time,
    family: r.family,
    level: r.level,
    host: r.host,
    keys,
    source: r.origin.source,
    line: r.origin.line,
    text: r.raw,
  };
}

const NGINX_STDERR = 'FastCGI sent in stderr: "';
const APACHE_GOT_ERROR = "Got error '";

function stripSuffix(s: string, suffix: string): string {
  return s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
}

/** The PHP text a container record carries, or undefined. */
function payloadOf(r: EventRecord, container: SignatureId | undefined): string | undefined {
  const msg = r.message;
  switch (r.family) {
    case 'php-error':
      return msg;
    case 'nginx-error':
      if (container !== 'N-STDERR') return undefined;
      // the closing quote is missing when the 2048-byte entry limit cut the message
      return stripSuffix(msg.slice(msg.indexOf(NGINX_STDERR) + NGINX_STDERR.length), '"');
    case 'apache-error': {
      if (container === 'A-FCGI') {
        const at = msg.indexOf(APACHE_GOT_ERROR);
        return at < 0 ? undefined : unescapeApache(stripSuffix(msg.slice(at + APACHE_GOT_ERROR.length), "'"));
      }
      if (container !== undefined) return undefined;
      // mod_php ('[php:error] … PHP Fatal error:  …') and mod_fcgid ('mod_fcgid: stderr: PHP …')
      if (msg.startsWith('PHP ')) return unescapeApache(msg);
      const err = msg.indexOf('stderr: PHP ');
      return err >= 0 ? unescapeApache(msg.slice(err + 8)) : undefined;
    }
    case 'php-fpm': {
      if (container !== 'F-STDERR') return undefined;
      const said = msg.indexOf(' said into ');
      if (said < 0) return msg;
      const q = msg.indexOf(': "', said);
      if (q < 0) return undefined;
      return stripSuffix(stripSuffix(msg.slice(q + 3), ', pipe is closed'), '"');
    }
    default:
      return undefined;
  }
}

/** What a container's payload is when it is not (only) PHP messages: FPM's own request-level texts. */
function payloadVariant(payload: string, hasPhp: boolean): string {
  if (hasPhp) return 'php';
  if (payload.startsWith('Primary script unknown')) return 'script-unknown';
  if (payload.startsWith('Access to the script')) return 'access-denied';
  if (payload.startsWith('Unable to open primary script')) return 'open-failed';
  return 'other';
}

const DETAIL_MAX = 300;
function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  const line = nl >= 0 ? s.slice(0, nl) : s;
  return (line.length > DETAIL_MAX ? line.slice(0, DETAIL_MAX) : line).trim();
}

/**
 * The signals of one event record: usually none or one; a container that carries PHP messages adds one
 * P- and/or D- signal per message, with the container's request keys so rules can join them.
 */
export function classify(r: EventRecord): Signal[] {
  const out: Signal[] = [];
  const base = recordKeys(r);
  const errno = base.errno;

  let container: Signature | undefined;
  let containerKeys: SignalKeys = {};
  if (r.family !== 'php-error') {
    const rows = containerRows.get(r.family);
    const hit = rows ? firstMatch(rows, r.message, r, errno) : undefined;
    if (hit) [container, containerKeys] = hit;
  }

  const payload = payloadOf(r, container?.id);
  let hasPhp = false;
  let firstPiece: string | undefined;
  const inner: Signal[] = [];
  if (payload !== undefined) {
    hasPhp = payload.includes('PHP message: ') || payload.startsWith('PHP ');
    const pieceBase = finish(base, containerKeys);
    delete pieceBase.variant;
    delete pieceBase.detail;
    delete pieceBase.phase;
    for (const piece of splitPhpMessages(payload)) {
      firstPiece ??= piece;
      const loc = r.family === 'php-error' && r.file ? { file: r.file } : phpLocation(piece);
      const file = loc && loc.file !== 'Unknown' ? loc.file : undefined;
      const detail = firstLine(piece) || undefined;
      const dep = firstMatch(dependencyRows, piece, r, undefined);
      const php = firstMatch(phpRows, piece, r, undefined);
      if (php) {
        const [row, keys] = php;
        const own: SignalKeys = compact({ file, detail, ...keys, dependency: dep ? dependencyName(dep[0].id) : undefined });
        inner.push(toSignal(r, row.id, finish(pieceBase, own)));
      }
      if (dep) {
        const [row, keys] = dep;
        const own: SignalKeys = compact({ file, detail, dependency: dependencyName(row.id), ...keys });
        inner.push(toSignal(r, row.id, finish(pieceBase, own)));
      }
    }
  }

  if (container) {
    const own = { ...containerKeys };
    if (payload !== undefined && r.family !== 'php-error') {
      own.variant ??= payloadVariant(payload.trimStart(), hasPhp);
      if (own.detail === undefined && firstPiece !== undefined) own.detail = firstLine(firstPiece) || undefined;
    }
    out.push(toSignal(r, container.id, finish(base, compact(own))));
  }
  for (const s of inner) out.push(s);
  return out;
}

/** 'D-DB' → 'db', 'D-HTTP' → 'http': the dependency a D- signature is about. */
function dependencyName(id: SignatureId): string {
  return id.slice(2).toLowerCase();
}
