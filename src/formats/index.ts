// The format registry: every log family, in sniffing priority order (most specific first).
import type { FormatId, LogFormat } from './types.js';
import { journald } from './journald.js';
import { phpFpmSlow } from './php-fpm-slow.js';
import { nginxError } from './nginx-error.js';
import { apacheError } from './apache-error.js';
import { phpFpm } from './php-fpm.js';
import { phpError } from './php-error.js';
import { kernel } from './kernel.js';
import { syslog } from './syslog.js';
import { nginxAccess } from './nginx-access.js';
import { apacheAccess } from './apache-access.js';

export const formats: readonly LogFormat[] = [
  journald,
  phpFpmSlow,
  nginxError,
  apacheError,
  phpFpm,
  phpError,
  kernel,
  syslog,
  nginxAccess,
  apacheAccess,
];

export function formatById(id: string): LogFormat | undefined {
  return formats.find((f) => f.id === id);
}

export const formatIds: readonly FormatId[] = formats.map((f) => f.id);
