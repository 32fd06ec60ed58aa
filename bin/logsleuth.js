#!/usr/bin/env -S node --max-semi-space-size=4
// A smaller young generation keeps peak memory flat on big logs at no measured cost in speed
// (1M-line bench file: 99 MiB instead of 110-122 MiB with Node's default).
import '../dist/cli/main.js';
