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
  /** the message text with the family's prefix and (for nginx) the request context removed */
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

/** A stateful line parser made for one input; multi-line families buffer until the next entry or flush(). */
export interface LineParser {
  line(text: string, lineNo: number): LineResult;
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
