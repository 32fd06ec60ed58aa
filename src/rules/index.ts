// The rule registry: one file per cause id (signatures.md Part 1). `logsleuth causes` lists them in this
// order. Order also breaks ties between equally confident claims of non-residual rules, so rules that name
// a deeper cause come first and the residual ones (timeout, reset, no-live, backend-5xx) last.
import type { Rule } from './types.js';
import { rule as fpmPoolExhausted } from './fpm-pool-exhausted.js';
import { rule as phpMemoryExhausted } from './php-memory-exhausted.js';
import { rule as hostMemoryExhausted } from './host-memory-exhausted.js';
import { rule as oomKiller } from './oom-killer.js';
import { rule as phpTimeout } from './php-timeout.js';
import { rule as fpmRequestTerminated } from './fpm-request-terminated.js';
import { rule as fpmWorkerCrash } from './fpm-worker-crash.js';
import { rule as webserverWorkerCrash } from './webserver-worker-crash.js';
import { rule as fpmRestart } from './fpm-restart.js';
import { rule as upstreamDown } from './upstream-down.js';
import { rule as socketPermission } from './socket-permission.js';
import { rule as ephemeralPortExhaustion } from './ephemeral-port-exhaustion.js';
import { rule as slowDependency } from './slow-dependency.js';
import { rule as upstreamHeaderTooBig } from './upstream-header-too-big.js';
import { rule as upstreamInvalidResponse } from './upstream-invalid-response.js';
import { rule as upstreamTls } from './upstream-tls.js';
import { rule as dnsResolution } from './dns-resolution.js';
import { rule as apacheWorkersExhausted } from './apache-workers-exhausted.js';
import { rule as nginxWorkerConnections } from './nginx-worker-connections.js';
import { rule as tooManyOpenFiles } from './too-many-open-files.js';
import { rule as diskFull } from './disk-full.js';
import { rule as databaseUnavailable } from './database-unavailable.js';
import { rule as phpFatalError } from './php-fatal-error.js';
import { rule as webserverConfigError } from './webserver-config-error.js';
import { rule as rateLimited } from './rate-limited.js';
import { rule as clientAbort } from './client-abort.js';
import { rule as noLiveUpstreams } from './no-live-upstreams.js';
import { rule as upstreamTimeout } from './upstream-timeout.js';
import { rule as upstreamReset } from './upstream-reset.js';
import { rule as backend5xx } from './backend-5xx.js';

export const rules: readonly Rule[] = [
  fpmPoolExhausted,
  phpMemoryExhausted,
  hostMemoryExhausted,
  oomKiller,
  phpTimeout,
  fpmRequestTerminated,
  fpmWorkerCrash,
  webserverWorkerCrash,
  fpmRestart,
  upstreamDown,
  socketPermission,
  ephemeralPortExhaustion,
  slowDependency,
  upstreamHeaderTooBig,
  upstreamInvalidResponse,
  upstreamTls,
  dnsResolution,
  apacheWorkersExhausted,
  nginxWorkerConnections,
  tooManyOpenFiles,
  diskFull,
  databaseUnavailable,
  phpFatalError,
  webserverConfigError,
  rateLimited,
  clientAbort,
  noLiveUpstreams,
  upstreamTimeout,
  upstreamReset,
  backend5xx,
];
