#!/usr/bin/env node
// Throughput of the access-line parser alone (no I/O in the timed part): lines/s and MB/s on a generated
// nginx log. Not a test. Usage:
//   node bench/parse-access.mjs [--lines 1000000] [--format combined|extended] [--build /tmp/acc-build]
// It imports the compiled parser from dist/ (npm run build) or from --build when the full build is broken:
//   npx tsc --outDir /tmp/acc-build --rootDir src --module nodenext --moduleResolution nodenext \
//     --target es2022 --skipLibCheck --strict src/formats/nginx-access.ts src/formats/apache-access.ts
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const lines = Number(opt('--lines', '1000000'));
const formats = opt('--format', 'combined,extended').split(',');
const build = path.resolve(opt('--build', path.join(here, '..', 'dist')));
const generator = opt('--gen', path.resolve(here, '../../shared/tools/gen-nginx-access.mjs'));
const rounds = Number(opt('--rounds', '3'));

const modFile = path.join(build, 'formats', 'nginx-access.js');
if (!existsSync(modFile)) {
  console.error(`parse-access: ${modFile} not found; run npm run build or pass --build`);
  process.exit(2);
}
const { nginxAccess } = await import(pathToFileURL(modFile).href);

for (const format of formats) {
  const file = `/tmp/logsleuth-bench-${format}-${lines}.log`;
  if (!existsSync(file)) {
    const out = execFileSync('node', [generator, '--lines', String(lines), '--seed', '42', '--format', format], { maxBuffer: 1 << 30 });
    (await import('node:fs')).writeFileSync(file, out);
  }
  const text = readFileSync(file, 'utf8');
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  const mb = Buffer.byteLength(text) / 1e6;
  for (let round = 0; round < rounds; round++) {
    let records = 0, fives = 0;
    const parser = nginxAccess.createParser({
      tz: 'UTC', referenceTime: Date.now(), source: file,
      emit: (r) => { records++; if (r.status >= 500) fives++; },
    });
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < all.length; i++) parser.line(all[i], i + 1);
    parser.flush();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);
    // CPU time (user + system, all of this process's threads, GC included) next to wall time: on a shared
    // machine the wall clock also counts the time other processes held the core
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    console.log(
      `${format.padEnd(9)} round ${round + 1}: ${all.length} lines, wall ${secs.toFixed(3)} s = ` +
      `${(all.length / secs / 1e6).toFixed(2)} M lines/s (${(mb / secs).toFixed(0)} MB/s), cpu ${cpuSecs.toFixed(3)} s = ` +
      `${(all.length / cpuSecs / 1e6).toFixed(2)} M lines/s (records ${records}, 5xx ${fives})`,
    );
  }
}
