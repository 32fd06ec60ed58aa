// errno helpers. Numbers are the key (§2.11): texts differ between glibc and musl, and nginx before 1.19.8
// built against glibc >= 2.32 printed 'Unknown error'. Texts are only used to recognise non-Linux numbering.

/** strerror texts (glibc and musl) → Linux errno. */
const LINUX_ERRNO_BY_TEXT: ReadonlyMap<string, number> = new Map([
  ['no such file or directory', 2],
  ['resource temporarily unavailable', 11],
  ['operation would block', 11],
  ['cannot allocate memory', 12],
  ['out of memory', 12],
  ['permission denied', 13],
  ['too many open files in system', 23],
  ['file table overflow', 23],
  ['too many open files', 24],
  ['no space left on device', 28],
  ['broken pipe', 32],
  ['address already in use', 98],
  ['cannot assign requested address', 99],
  ['network is unreachable', 101],
  ['connection reset by peer', 104],
  ['connection timed out', 110],
  ['operation timed out', 110],
  ['connection refused', 111],
  ['host is down', 112],
  ['no route to host', 113],
  ['host is unreachable', 113],
]);

/** The Linux errno a strerror text stands for, when it is one we know. */
export function errnoOfText(text: string | undefined): number | undefined {
  if (!text) return undefined;
  return LINUX_ERRNO_BY_TEXT.get(text.trim().toLowerCase());
}

/**
 * The errno as a Linux number. On Linux the printed number and text always agree; when they disagree the
 * source is a BSD (ECONNREFUSED is 61 there), and the text is the portable part.
 */
export function linuxErrno(printed: number | undefined, text: string | undefined): number | undefined {
  const byText = errnoOfText(text);
  if (printed === undefined || Number.isNaN(printed)) return byText;
  if (byText !== undefined && byText !== printed && printed < 200) return byText;
  return printed;
}

/** APR status codes Apache prints in '(70007)…' (apr_errno.h: APR_OS_START_STATUS + n). */
export const APR_TIMEUP = 70007;
export const APR_EOF = 70014;
export const APR_INCOMPLETE = 70008;

/** The meaning of a failed connect() by errno, shared by nginx N-CONNECT and Apache A-CONNECT. */
export function connectVariant(errno: number | undefined): string | undefined {
  switch (errno) {
    case undefined:
      return undefined;
    case 111:
      return 'refused';
    case 2:
      return 'socket-missing';
    case 11:
      // Linux returns EAGAIN instead of ECONNREFUSED for a unix socket whose listen queue is full.
      return 'backlog-full';
    case 13:
      return 'permission';
    case 99:
      return 'ports-exhausted';
    case 101:
    case 112:
    case 113:
      return 'unreachable';
    case 104:
      return 'reset';
    case 110:
    case APR_TIMEUP:
      return 'timeout';
    case 23:
    case 24:
      return 'fd-limit';
    default:
      return `errno-${errno}`;
  }
}

/** What an I/O failure on an established connection means, by errno: for Apache dispatch/read errors. */
export function ioVariant(errno: number | undefined): string | undefined {
  switch (errno) {
    case undefined:
      return undefined;
    case APR_TIMEUP:
    case 110:
      return 'timeout';
    case 104:
      return 'reset';
    case 32:
      return 'broken-pipe';
    case APR_EOF:
      return 'eof';
    case 111:
      return 'refused';
    default:
      return `errno-${errno}`;
  }
}

const SIGNAL_NAMES: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL',
  'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT',
  'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF',
  'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** 'SIGSEGV' for 11 (Linux x86/arm numbering); the number as text when unknown. */
export function signalName(n: number): string {
  return SIGNAL_NAMES[n] || String(n);
}
