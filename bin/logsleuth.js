#!/usr/bin/env -S node --max-semi-space-size=4
// A smaller young generation keeps peak memory flat on big logs at no measured cost in speed
// (1M-line file: 137-146 MiB instead of 153-159 MiB).
import '../dist/cli/main.js';
