// One timed run of the pipeline in this process, printed as JSON: used by bench/run.mjs so that peak RSS is
// the run's own (worker threads share the process, so their memory is in it too).
// Usage: node bench/measure.mjs FILE [parse|analyze] [JOBS]
import { resolveSources } from '../dist/input/sources.js';
import { analyzeSources } from '../dist/pipeline.js';
import { readSources } from '../dist/cli/read.js';

const [file, mode = 'analyze', jobsArg = '1'] = process.argv.slice(2);
const jobs = Number(jobsArg);
const { sources } = resolveSources([file], false);
const t0 = process.hrtime.bigint();
let lines = 0;
let fivexx = 0;
if (mode === 'parse') {
  // every line becomes a full record, as `logsleuth parse` makes them (without the JSON text)
  let n = 0;
  const inputs = await readSources(sources, { tz: 'UTC', onRecord: (r) => { if (r.kind === 'access' && r.status >= 500) n++; }, warn: () => undefined });
  lines = inputs.reduce((a, i) => a + i.lines, 0);
  fivexx = n;
} else {
  const { report, inputs } = await analyzeSources(sources, { tz: 'UTC', version: 'bench', jobs, warn: () => undefined });
  lines = inputs.reduce((a, i) => a + i.lines, 0);
  fivexx = report.summary.errors5xx;
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ lines, secs, fivexx, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
