// syslog wrapper wired to the real inner families (see wrapper.ts for the peeling and routing).
import { createSyslogFormat } from './wrapper.js';
import { nginxError } from './nginx-error.js';
import { nginxAccess } from './nginx-access.js';
import { apacheError } from './apache-error.js';
import { phpFpm } from './php-fpm.js';
import { phpError } from './php-error.js';
import { kernel } from './kernel.js';

export const syslog = createSyslogFormat({
  'nginx-error': nginxError,
  'nginx-access': nginxAccess,
  'apache-error': apacheError,
  'php-fpm': phpFpm,
  'php-error': phpError,
  kernel,
});
