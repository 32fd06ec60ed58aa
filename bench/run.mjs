#!/usr/bin/env node
// npm run bench: throughput and peak memory of `logsleuth parse` and `logsleuth analyze --json` on
// deterministic generated access logs, plain and gzip, on 1 and 2 threads, next to lnav and GoAccess on the
// same files when they are installed (apt-get install lnav goaccess). Not a test: numbers depend on the
// machine; each command runs --runs times and the fastest run is shown (the others were disturbed).
//
//   node bench/run.mjs [--lines 1000000,5000000] [--jobs 1,2] [--format combined|extended] [--seed 42]
//                      [--runs 3] [--no-gz] [--no-tools] [--tools-max-lines 1000000] [--gen PATH]
//
// Peak RSS is GNU time's maximum resident set size of the whole process (worker threads included).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '../bin/logsleuth.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const sizes = opt('--lines', '1000000,5000000').split(',').map(Number);
const jobsList = opt('--jobs', '1,2').split(',').map(Number);
const format = opt('--format', 'combined');
const seed = opt('--seed', '42');
const runs = Number(opt('--runs', '3'));
const withGz = !args.includes('--no-gz');
const withTools = !args.includes('--no-tools');
const toolsMaxLines = Number(opt('--tools-max-lines', '1000000'));
const generator = opt('--gen', path.resolve(here, '../../shared/tools/gen-nginx-access.mjs'));
const GNU_TIME = '/usr/bin/time';

if (!existsSync(path.join(here, '../dist/cli/main.js'))) {
  console.error('bench: dist/ is missing; run npm run build first');
  process.exit(2);
}
if (!existsSync(generator)) {
  console.error(`bench: generator not found at ${generator} (pass --gen PATH to gen-nginx-access.mjs)`);
  process.exit(2);
}
if (!existsSync(GNU_TIME)) console.error('bench: /usr/bin/time not found (apt-get install time): peak RSS is not measured');

const q = (x) => `'${String(x).replace(/'/g, "'\\''")}'`;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function generate(lines) {
  const file = path.join(tmpdir(), `logsleuth-bench-${format}-${lines}-s${seed}.log`);
  if (!existsSync(file)) {
    console.error(`bench: generating ${file}`);
    execFileSync('sh', ['-c', `${q(process.execPath)} ${q(generator)} --lines ${q(lines)} --seed ${q(seed)} --format ${q(format)} > ${q(file)}.tmp && mv ${q(file)}.tmp ${q(file)}`], { stdio: 'inherit' });
  }
  return file;
}

function gzipOf(file) {
  const gz = `${file}.gz`;
  if (!existsSync(gz)) execFileSync('sh', ['-c', `gzip -c ${q(file)} > ${q(gz)}.tmp && mv ${q(gz)}.tmp ${q(gz)}`]);
  return gz;
}

/** Runs a shell command `runs` times; the fastest run's seconds, peak RSS (MiB) and stdout. */
function measure(cmd) {
  let best;
  for (let i = 0; i < runs; i++) {
    const timed = existsSync(GNU_TIME) ? `${GNU_TIME} -f '@@%e %M' sh -c ${q(cmd)}` : cmd;
    const t0 = process.hrtime.bigint();
    const r = spawnSync('sh', ['-c', timed], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`bench: '${cmd}' failed: ${r.stderr}`);
    const m = /@@([\d.]+) (\d+)/.exec(r.stderr);
    const run = { secs: m ? Number(m[1]) : wall, rss: m ? Number(m[2]) / 1024 : NaN, stdout: r.stdout };
    if (!best || run.secs < best.secs) best = run;
  }
  return best;
}

const rows = [];
function row(tool, what, file, jobs, lines, mb, m, fivexx) {
  rows.push({
    tool, what, file: path.basename(file), jobs, lines,
    secs: m.secs.toFixed(2), 'lines/s': Math.round(lines / m.secs), 'MB/s': Math.round(mb / m.secs),
    'peak RSS MiB': Number.isNaN(m.rss) ? '?' : Math.round(m.rss), '5xx': fivexx,
  });
  console.error(`bench: ${tool} ${what} ${path.basename(file)} jobs=${jobs}: ${m.secs.toFixed(2)} s`);
}

// bin/logsleuth.js is run as the installed command is (its shebang sets Node's flags)
// what every run pays before reading a byte: Node, the CLI's modules and yargs
const startup = measure(`${q(bin)} analyze --json --tz UTC /dev/null`);
row('logsleuth', 'analyze --json (startup)', '/dev/null', 1, 0, 0, startup, JSON.parse(startup.stdout).summary.errors5xx);

for (const n of sizes) {
  const plain = generate(n);
  const mb = statSync(plain).size / 1e6;
  const files = withGz ? [plain, gzipOf(plain)] : [plain];
  for (const file of files) {
    for (const jobs of jobsList) {
      const m = measure(`${q(bin)} analyze --json --tz UTC --jobs ${jobs} ${q(file)}`);
      row('logsleuth', 'analyze --json', file, jobs, n, mb, m, JSON.parse(m.stdout).summary.errors5xx);
    }
    // parse writes every record as NDJSON: the cost of full records plus JSON text, on one thread
    const p = measure(`${q(bin)} parse --tz UTC ${q(file)} > /dev/null`);
    row('logsleuth', 'parse > /dev/null', file, 1, n, mb, p, '');
  }
  if (withTools && n <= toolsMaxLines) {
    if (has('lnav')) {
      const m = measure(`lnav -n -c ${q(';SELECT count(*) FROM access_log WHERE sc_status >= 500')} ${q(plain)}`);
      row('lnav', 'count 5xx (SQL)', plain, 1, n, mb, m, Number(/(\d+)\s*$/.exec(m.stdout.trim())?.[1] ?? NaN));
    } else console.error('bench: lnav not installed (apt-get install lnav): skipped');
    if (has('goaccess')) {
      const out = path.join(tmpdir(), 'logsleuth-bench-goaccess.json');
      const m = measure(`goaccess ${q(plain)} --log-format=COMBINED --no-progress -o ${q(out)}`);
      row('GoAccess', 'JSON report', plain, 1, n, mb, m, '');
    } else console.error('bench: goaccess not installed (apt-get install goaccess): skipped');
  }
}
console.table(rows);
