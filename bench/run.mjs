#!/usr/bin/env node
// npm run bench: throughput and peak memory of `parse` and full `analyze` on deterministic generated logs.
// Not a test: numbers depend on the machine. Usage:
//   node bench/run.mjs [--lines 1000000[,5000000]] [--format combined|extended] [--seed 42] [--gz]
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const sizes = opt('--lines', '1000000').split(',').map(Number);
const format = opt('--format', 'combined');
const seed = opt('--seed', '42');
const withGz = args.includes('--gz');
const generator = opt('--gen', path.resolve(here, '../../shared/tools/gen-nginx-access.mjs'));

if (!existsSync(path.join(here, '../dist/pipeline.js'))) {
  console.error('bench: dist/ is missing; run npm run build first');
  process.exit(2);
}
if (!existsSync(generator)) {
  console.error(`bench: generator not found at ${generator} (pass --gen PATH to gen-nginx-access.mjs)`);
  process.exit(2);
}

function generate(lines) {
  const file = path.join(tmpdir(), `logsleuth-bench-${format}-${lines}-s${seed}.log`);
  if (!existsSync(file)) {
    const q = (x) => `'${String(x).replace(/'/g, "'\\''")}'`;
    execFileSync('sh', ['-c', `${q(process.execPath)} ${q(generator)} --lines ${q(lines)} --seed ${q(seed)} --format ${q(format)} > ${q(file)}.tmp && mv ${q(file)}.tmp ${q(file)}`], { stdio: 'inherit' });
  }
  return file;
}

function gzipOf(file) {
  const gz = `${file}.gz`;
  if (!existsSync(gz)) execFileSync('sh', ['-c', `gzip -1 -c "${file}" > "${gz}"`]);
  return gz;
}

const rows = [];
for (const n of sizes) {
  const plain = generate(n);
  const files = withGz ? [plain, gzipOf(plain)] : [plain];
  for (const file of files) {
    const mb = statSync(plain).size / 1e6;
    for (const mode of ['parse', 'analyze']) {
      const out = execFileSync(process.execPath, [path.join(here, 'measure.mjs'), file, mode], { encoding: 'utf8' });
      const m = JSON.parse(out);
      rows.push({
        file: path.basename(file), mode, lines: m.lines,
        'lines/s': Math.round(m.lines / m.secs), 'MB/s': Math.round(mb / m.secs), secs: m.secs.toFixed(2),
        '5xx': m.fivexx, 'peak RSS MiB': Math.round(m.maxRssMiB),
      });
    }
  }
}
console.table(rows);
