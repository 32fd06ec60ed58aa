// A signal is one classified symptom: an error-ish record matched against a signature of
// ../shared/design/signatures.md Part 3, with the join keys the rules need pulled out.
import type { EventRecord } from '../formats/types.js';

/**
 * Signature ids as named in signatures.md Part 3 (N- nginx, A- Apache, F- FPM master, S- slow log,
 * P- PHP messages, D- dependency texts, K- kernel, X- access-log derived).
 */
export type SignatureId = string;

export interface SignalKeys {
  errno?: number;
  /** as the server printed it: 'unix:/run/php/php8.2-fpm.sock', '127.0.0.1:9000', 'backend' (group) */
  upstream?: string;
  /** normalized upstream address for joins: 'unix:/run/php/php8.2-fpm.sock' or 'host:port' */
  upstreamKey?: string;
  pool?: string;
  /** the process the signal is about: FPM child, killed task, crashed worker */
  pid?: number;
  /** process name the kernel or a lifecycle line gave ('php-fpm8.2', 'nginx') */
  comm?: string;
  script?: string;
  /** memory sizes, header sizes */
  bytes?: number;
  /** durations: 'executing too slow (5.01 sec)', max_execution_time */
  seconds?: number;
  /** 'SIGSEGV', 'SIGKILL', or the number as text */
  signal?: string;
  exitCode?: number;
  /** request-scoped join keys (nginx error context, Apache [client]) */
  client?: string;
  request?: string;
  vhost?: string;
  connection?: number;
  action?: string;
  /** a finer variant inside one cause: 'gone-away', 'refused', 'read', 'connect'… */
  variant?: string;
  /** PHP file named by the message, or the culprit frame of a slow-log stack */
  file?: string;
  /** first frame function of a slow-log stack: 'curl_exec', 'mysqli_query' */
  fn?: string;
  /** dependency class of a slow-log top frame or a dependency text: 'db', 'http', 'redis', 'sleep'… */
  dependency?: string;
  /** lifecycle phase for restarts: 'reload', 'stop', 'start', 'ready' */
  phase?: string;
  /** free-text detail worth showing (the PHP error text, the invalid header) */
  detail?: string;
}

export interface Signal {
  sig: SignatureId;
  time: number;
  family: EventRecord['family'];
  level?: string;
  host?: string;
  keys: SignalKeys;
  /** evidence: where it came from and the text as read */
  source: string;
  line: number;
  text: string;
}

/** A row of the signature table: data, reviewed like a Sigma rule. */
export interface Signature {
  id: SignatureId;
  /** which families the pattern applies to (after wrappers are peeled) */
  families: readonly EventRecord['family'][];
  /** short human title: 'connect() to upstream failed' */
  title: string;
  /**
   * Cheap pre-filter: the message must contain this literal (checked with includes()) before the regex runs.
   * Keeps classification of noisy logs fast and makes catastrophic backtracking unreachable for most lines.
   */
  literal: string;
  /** applied to the record's message; linear-time patterns only (no nested quantifiers) */
  match: RegExp;
  /** pulls keys from the match and the record */
  keys?(m: RegExpExecArray, r: EventRecord): SignalKeys;
  /** errno numbers this signature accepts (checked before the text, glibc and musl texts differ) */
  errnos?: readonly number[];
  /** one realistic sample line as it appears in the file, used by the signature's test */
  sample: string;
}
