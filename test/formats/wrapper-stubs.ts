// Stand-ins for the inner families, so the wrapper tests do not depend on the real parsers: each stub
// records how it was called and emits one event per line. The nginx-error stub buffers like the real
// multi-line parser (emits an entry when the next one starts), to check that header data follows the entry.
import type { EventRecord, LineParser, LogFormat, ParseContext, WrapperInfo } from '../../src/formats/types.js';
import { LineResult } from '../../src/formats/types.js';
import type { InnerFormats, InnerId } from '../../src/formats/wrapper.js';
import { kernel } from '../../src/formats/kernel.js';
import { parseNginxErrorTime } from '../../src/time/stamps.js';

export interface Call {
  id: InnerId;
  how: 'line' | 'wrapped';
  text: string;
  lineNo: number;
  info?: WrapperInfo;
}

function family(id: InnerId): EventRecord['family'] {
  return id === 'nginx-access' ? 'nginx-error' : id;
}

function stub(id: InnerId, calls: Call[], hasWrapped: boolean): LogFormat {
  return {
    id,
    title: `stub ${id}`,
    sniff: () => 0,
    createParser(ctx: ParseContext): LineParser {
      let held: EventRecord | undefined;
      const make = (text: string, lineNo: number, time: number): EventRecord => ({
        kind: 'event',
        family: family(id),
        time,
        message: text,
        origin: { source: ctx.source, line: lineNo },
        raw: text,
      });
      const parser: LineParser = {
        line(text, lineNo) {
          calls.push({ id, how: 'line', text, lineNo });
          if (id === 'nginx-error') {
            const t = parseNginxErrorTime(text, 0, ctx.tz);
            if (Number.isNaN(t)) {
              if (!held) return LineResult.Unrecognized;
              held.message += `\n${text}`;
              return LineResult.Continuation;
            }
            if (held) ctx.emit(held);
            held = make(text, lineNo, t);
            return LineResult.Record;
          }
          if (text.startsWith('???')) return LineResult.Unrecognized;
          ctx.emit(make(text, lineNo, NaN));
          return LineResult.Record;
        },
        flush() {
          if (held) ctx.emit(held);
          held = undefined;
        },
      };
      if (hasWrapped) {
        parser.wrapped = (text, lineNo, info) => {
          calls.push({ id, how: 'wrapped', text, lineNo, info });
          ctx.emit(make(text, lineNo, NaN));
          return LineResult.Record;
        };
      }
      return parser;
    },
  };
}

/** Stub inner families plus the real kernel parser (it is ours); `omit` leaves some out. */
export function stubInner(calls: Call[], omit: InnerId[] = []): InnerFormats {
  const all: InnerFormats = {
    'nginx-error': stub('nginx-error', calls, false),
    'nginx-access': stub('nginx-access', calls, false),
    'apache-error': stub('apache-error', calls, true),
    'php-fpm': stub('php-fpm', calls, true),
    'php-error': stub('php-error', calls, true),
    kernel,
  };
  for (const id of omit) delete all[id];
  return all;
}
