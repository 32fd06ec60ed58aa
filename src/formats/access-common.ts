// What nginx-access and apache-access share: the line parser (a user's compiled format first, the
// auto-detecting scanner for everything else) and the sniffer that tells the two servers apart.
import { AccessLineScanner, type AccessFamily, type AccessScanState, EVIDENCE_APACHE, EVIDENCE_NGINX, EVIDENCE_WRAPPED, Tally } from './access-line.js';
import { type CompiledAccessFormat, compileApacheLogFormat, compileNginxLogFormat } from './log-format-compiler.js';
import { ownString } from '../input/lines.js';
import { LineResult, type AccessRecord, type LineParser, type ParseContext } from './types.js';

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  return (c === 32 || c === 9) && text.trim() === '';
}

/**
 * A user's format string wins when it matches; lines it does not match (a format changed mid-file, a
 * reload with another log_format) still get the auto scanner rather than being lost. A bad format string
 * throws here, with the compiler's one-line message.
 */
/**
 * mod_ssl's ssl_request_log (RHEL/CentOS ship it next to access_log): `%t %h %{SSL_PROTOCOL}x
 * %{SSL_CIPHER}x "%r" %b`. It has no status; its records carry status 0 (unknown) and are counted as
 * requests, never as errors.
 */
const SSL_REQUEST_LOG = '%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b';

function sslRequestFormat(source: string, tz: string): CompiledAccessFormat {
  return compileApacheLogFormat(SSL_REQUEST_LOG, { family: 'apache-access', source, tz, statusOptional: true });
}

function startsLikeSslRequestLog(text: string): boolean {
  return text.charCodeAt(0) === LBRACKET_CODE && text.charCodeAt(27) === RBRACKET_CODE;
}
const LBRACKET_CODE = 91;
const RBRACKET_CODE = 93;

/**
 * Receives what a consumer that only aggregates keeps of an ordinary access line (the digest: a count per
 * second, status and crawler). Lines given here produce no record.
 */
/** busySeconds: the request time of a request that went to a backend, NaN otherwise (digest.backendSeconds) */
export type AccessCount = (
  family: AccessFamily,
  time: number,
  status: number,
  userAgent: string | undefined,
  upstreamFailed: boolean,
  busySeconds: number,
) => void;

/**
 * The access parser. With `count`, lines the digest keeps only as counts (everything but 5xx and unusual
 * prefixes) go to `count` instead of becoming records: building a record per 2xx line was most of the
 * analysis time. Without it (parse, sniffing, wrappers) every line becomes a record.
 */
export function createAccessParser(
  ctx: ParseContext,
  family: AccessFamily,
  timeIsStart: boolean,
  count?: AccessCount,
  state?: AccessScanState,
): LineParser {
  const userFormat = family === 'nginx-access' ? ctx.nginxLogFormat : ctx.apacheLogFormat;
  let compiled: CompiledAccessFormat | undefined;
  if (userFormat !== undefined && userFormat.trim() !== '') {
    const opts = { family, source: ctx.source, tz: ctx.tz };
    compiled = family === 'nginx-access' ? compileNginxLogFormat(userFormat, opts) : compileApacheLogFormat(userFormat, opts);
  }
  const scanner = new AccessLineScanner(family, timeIsStart, ctx.source, state);
  let ssl: CompiledAccessFormat | undefined;
  // the plainest counted lines, read in their chunk's text: no string per line
  const countSpan = count !== undefined && compiled === undefined
    ? (s: string, a: number, e: number): boolean => {
      if (!scanner.countPlain(s, a, e)) return false;
      count(family, scanner.time, scanner.status, undefined, scanner.upstreamFailed, scanner.busySeconds);
      return true;
    }
    : undefined;
  return {
    countSpan,
    line(text: string, lineNo: number): LineResult {
      if (isBlank(text)) return LineResult.Ignored;
      let rec: AccessRecord | null;
      if (count !== undefined) {
        // With count, lines may be slices of their whole chunk (input/lines.ts): a record (kept by the
        // digest when it is a 5xx) is built from a copy of its line, so its fields share that copy alone.
        if (compiled === undefined) {
          const t = scanner.tally(text);
          if (t === Tally.Counted) {
            count(family, scanner.time, scanner.status, scanner.userAgent, scanner.upstreamFailed, scanner.busySeconds);
            return LineResult.Record;
          }
          if (t === Tally.Full) {
            text = ownString(text);
            rec = scanner.build(text, lineNo);
          } else {
            rec = null;
          }
        } else {
          text = ownString(text);
          rec = compiled.parse(text, lineNo) ?? scanner.scan(text, lineNo);
        }
      } else if (compiled !== undefined) {
        rec = compiled.parse(text, lineNo) ?? scanner.scan(text, lineNo);
      } else {
        rec = scanner.scan(text, lineNo);
      }
      if (rec === null && family === 'apache-access' && startsLikeSslRequestLog(text)) {
        ssl ??= sslRequestFormat(ctx.source, ctx.tz);
        rec = ssl.parse(count !== undefined ? ownString(text) : text, lineNo);
      }
      if (rec === null) return LineResult.Unrecognized;
      ctx.emit(rec);
      return LineResult.Record;
    },
    flush(): void {},
  };
}

export interface AccessSniff {
  /** share of the sample lines the scanner reads */
  fraction: number;
  nginx: number;
  apache: number;
}

// escapes only one of the servers writes: nginx '\xC3' uppercase hex, Apache '\xc3' lowercase and '\"'
const NGINX_HEX = /\\x(?:[0-9][A-F]|[A-F][0-9A-F])/;
const APACHE_HEX = /\\x(?:[0-9][a-f]|[a-f][0-9a-f])|\\"/;

/**
 * Both families read the same combined lines, so the score is the share of lines the scanner reads, times a
 * factor for which server the evidence points to: nginx for upstream/timing tails with a '.' and uppercase
 * \xHH; Apache for a vhost prefix, '-' byte counts (%b), %D integer tails, lowercase \xhh and \".
 * Without evidence nginx scores slightly higher (0.86 vs 0.85), as the registry order also prefers it.
 */
export function sniffAccess(lines: readonly string[]): AccessSniff {
  const scanner = new AccessLineScanner('nginx-access', false, '');
  let ssl: CompiledAccessFormat | undefined;
  let total = 0, ok = 0, nginx = 0, apache = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (isBlank(text)) continue;
    total++;
    // a syslog-wrapped line is the syslog wrapper's to claim
    if (scanner.scan(text, i + 1) === null) {
      if (!startsLikeSslRequestLog(text)) continue;
      ssl ??= sslRequestFormat('', 'UTC');
      if (ssl.parse(text, i + 1) === null) continue;
      ok++;
      apache++;
      continue;
    }
    if ((scanner.evidence & EVIDENCE_WRAPPED) !== 0) continue;
    ok++;
    let ev = scanner.evidence;
    if (text.includes('\\')) {
      if (NGINX_HEX.test(text)) ev |= EVIDENCE_NGINX;
      if (APACHE_HEX.test(text)) ev |= EVIDENCE_APACHE;
    }
    if (ev & EVIDENCE_NGINX) nginx++;
    if (ev & EVIDENCE_APACHE) apache++;
  }
  if (total === 0 || ok === 0) return { fraction: 0, nginx: 0, apache: 0 };
  const fraction = ok / total;
  let nf: number, af: number;
  if (nginx > apache) {
    nf = 0.97;
    af = 0.75;
  } else if (apache > nginx) {
    nf = 0.8;
    af = 0.97;
  } else {
    nf = 0.86;
    af = 0.85;
  }
  return { fraction, nginx: fraction * nf, apache: fraction * af };
}
