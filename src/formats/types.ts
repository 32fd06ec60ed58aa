// The contract between the format parsers and everything downstream.
// Parsers are pure: text in, records out through `emit`, no I/O and no module state.

export type FormatId =
  | 'nginx-access'
  | 'nginx-error'
  | 'apache-access'
  | 'apache-error'
  | 'php-fpm'
  | 'php-fpm-slow'
  | 'php-error'
  | 'kernel'
  | 'syslog'
  | 'journald';

/** Where a record came from: the input's display path and the physical line it starts on. */
export interface Origin {
  source: string;
  line: number;
}

/** One HTTP request from an nginx or Apache access log. */
export interface AccessRecord {
  kind: 'access';
  family: 'nginx-access' | 'apache-access';
  /** epoch ms of the logged timestamp, or NaN when the line had none */
  time: number;
  /** true when `time` is when the request started (Apache %t), false when it ended (nginx $time_local) */
  timeIsStart: boolean;
  client: string;
  /** the raw request line between the quotes, unescaped */
  request: string;
  method: string;
  /** path without the query string */
  path: string;
  protocol: string;
  status: number;
  bytes: number;
  referer?: string;
  userAgent?: string;
  /** virtual host (Apache %v, nginx $host / $server_name) */
  vhost?: string;
  /** seconds */
  requestTime?: number;
  /** one entry per try; ' : ' group boundaries are flattened, '-' becomes null */
  upstreamAddr?: string[];
  upstreamStatus?: (number | null)[];
  upstreamConnectTime?: (number | null)[];
  upstreamHeaderTime?: (number | null)[];
  upstreamResponseTime?: (number | null)[];
  xForwardedFor?: string;
  /** machine the line came from, when a wrapper (syslog, journald) said so */
  host?: string;
  origin: Origin;
  /** the physical line as read (first line for multi-line entries) */
  raw: string;
}

/** A frame of a PHP-FPM slow-log stack trace. */
export interface StackFrame {
  fn: string;
  file: string;
  line: number;
}

/**
 * Everything that is not an access line: nginx/Apache error entries, FPM master lines, slow-log entries,
 * PHP errors and kernel messages. Fields are filled when the family carries them.
 */
export interface EventRecord {
  kind: 'event';
  family: Exclude<FormatId, 'nginx-access' | 'apache-access' | 'syslog' | 'journald'>;
  /** epoch ms, NaN when the line had no usable time (FPM children, Apache startup lines) */
  time: number;
  /** lower-case level word: emerg alert crit error warn notice info debug (FPM WARNING → warn, ERROR → error) */
  level?: string;
  /**
   * The message text with the family's prefix removed. Per family:
   * - nginx-error: after '*conn ' up to (not including) the context (' while …', ', client: …'); the
   *   '(111: Connection refused)' errno part stays in the message and is also in errno/errnoText.
   *   FastCGI stderr continuation lines are joined with '\n'.
   * - apache-error: after the '[client ip:port] ' part, starting with the 'AH01079: ' code when there is
   *   one; the '(111)Connection refused: ' status is removed from the message and put in errno/errnoText.
   * - php-fpm: after 'LEVEL: ' (and the debug 'pid N, fn(), line N: ' prefix), keeping '[pool www] ';
   *   worker output keeps its 'child N said into stderr: "…"' wrapper.
   * - php-fpm-slow: 'script_filename' of the entry (frames are in `frames`).
   * - php-error: after '[date zone] ', e.g. 'PHP Fatal error:  Allowed memory size …' (trace lines in `trace`).
   * - kernel: after the wrapper, 'kernel: ' and the '[12345.678901] ' monotonic stamp.
   */
  message: string;
  /** process id of the writer (nginx worker, Apache child, FPM master, kernel task) */
  pid?: number;
  host?: string;

  // nginx error context (and Apache [client ip:port])
  connection?: number;
  client?: string;
  clientPort?: number;
  server?: string;
  request?: string;
  upstream?: string;
  vhost?: string;
  referrer?: string;
  /** nginx ' while <action>' */
  action?: string;
  /** errno number: nginx '(111: Connection refused)', FPM ': Connection refused (111)', Apache '(111)Connection refused' */
  errno?: number;
  errnoText?: string;

  // Apache
  module?: string;
  /** 'AH01079' */
  ahCode?: string;

  // PHP-FPM master and slow log
  pool?: string;
  /** the FPM child pid a master line talks about ('child 4711 exited…', slow-log 'pid 4711') */
  childPid?: number;
  script?: string;
  frames?: StackFrame[];

  // PHP error log
  /** 'Fatal error', 'Warning', … */
  phpLevel?: string;
  /** file and line the PHP message names */
  file?: string;
  fileLine?: number;
  /** stack trace lines that followed the entry */
  trace?: string[];

  /** kernel: how the time was given */
  monotonic?: number;

  origin: Origin;
  /** the entry as read; multi-line entries joined with '\n' (capped) */
  raw: string;
}

export type LogRecord = AccessRecord | EventRecord;

/** Options every parser receives. */
export interface ParseContext {
  /** IANA zone for zone-less stamps */
  tz: string;
  /** epoch ms the input is known to end near (file mtime, or now for stdin): year-less stamps take the
   * latest year that does not put them after this moment (see inferYear in time/stamps.ts) */
  referenceTime: number;
  /** display path of the input, copied into origins */
  source: string;
  /** user-supplied access format strings, when given */
  nginxLogFormat?: string;
  apacheLogFormat?: string;
  /**
   * The parser only sees lines the input's own family did not recognise (mixed stdin): accept a line only
   * when it is unmistakably this family's, never as a permissive default.
   */
  fallback?: boolean;
  emit(record: LogRecord): void;
}

/** Result of feeding one physical line to a parser. */
export const LineResult = {
  /** a record started or was completed with this line */
  Record: 0,
  /** the line continued a multi-line entry */
  Continuation: 1,
  /** blank or a known ignorable line (slow-log separator, OOM task table row) */
  Ignored: 2,
  /** the parser does not recognise the line */
  Unrecognized: 3,
} as const;
export type LineResult = (typeof LineResult)[keyof typeof LineResult];

/** What a wrapper (syslog, journald) knows about a message it peeled. */
export interface WrapperInfo {
  /** epoch ms from the wrapper's header; NaN when it had none */
  time: number;
  host?: string;
  /** the tag's pid: 'php-fpm[1011]' → 1011 */
  pid?: number;
  /** 'nginx', 'php-fpm8.2', 'apache2', 'kernel', 'php' … */
  tag: string;
}

/** A stateful line parser made for one input; multi-line families buffer until the next entry or flush(). */
export interface LineParser {
  line(text: string, lineNo: number): LineResult;
  /**
   * A message peeled out of a syslog/journald wrapper: it lacks the family's own time prefix where the
   * wrapper replaced it (Apache 'ErrorLog syslog:', FPM '[WARNING] …', PHP 'PHP Fatal error: …', kernel).
   * Families whose wrapped form is the whole normal line (nginx) may omit this; the wrapper calls line().
   */
  wrapped?(message: string, lineNo: number, info: WrapperInfo): LineResult;
  /**
   * Takes the line s[a, e) of a chunk's text (input/lines.ts spans) when it can count it without a string;
   * false: nothing was done, the line comes to line() instead.
   */
  countSpan?(s: string, a: number, e: number): boolean;
  /** emit whatever is buffered */
  flush(): void;
}

export interface LogFormat {
  id: FormatId;
  title: string;
  /** 0..1: how sure this format is about a sample of the input's first non-blank lines */
  sniff(lines: readonly string[]): number;
  createParser(ctx: ParseContext): LineParser;
}
