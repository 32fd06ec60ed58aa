// One timed run of the full pipeline in this process, printed as JSON: used by bench/run.mjs so that
// peak RSS is the pipeline's own. Usage: node bench/measure.mjs FILE [parse|analyze]
import { resolveSources } from '../dist/input/sources.js';
import { analyzeSources } from '../dist/pipeline.js';
import { readSources } from '../dist/cli/read.js';

const [file, mode = 'analyze'] = process.argv.slice(2);
const { sources } = resolveSources([file], false);
const t0 = process.hrtime.bigint();
let lines = 0;
let fivexx = 0;
if (mode === 'parse') {
  let n = 0;
  const inputs = await readSources(sources, { tz: 'UTC', onRecord: () => { n++; }, warn: () => undefined });
  lines = inputs.reduce((a, i) => a + i.lines, 0);
  fivexx = n;
} else {
  const { report, inputs } = await analyzeSources(sources, { tz: 'UTC', version: 'bench', warn: () => undefined });
  lines = inputs.reduce((a, i) => a + i.lines, 0);
  fivexx = report.summary.errors5xx;
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ lines, secs, fivexx, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
