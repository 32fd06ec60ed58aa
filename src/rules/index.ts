// The rule registry: one file per cause id (signatures.md Part 1). Order matters only for ties between
// equally confident claims of non-residual rules; `logsleuth causes` lists them in this order.
import type { Rule } from './types.js';

export const rules: readonly Rule[] = [];
