// logsleuth causes: the cause catalogue, generated from the rule files.
import type { Argv } from 'yargs';
import { rules } from '../../rules/index.js';
import { EXIT_OK, writeOut } from '../io.js';

function builder(y: Argv) {
  return y.option('json', { type: 'boolean', describe: 'print JSON' });
}


export async function runCauses(argv: Record<string, unknown>): Promise<number> {
  const rows = rules.map((r) => ({ id: r.id, layer: r.layer, title: r.title, meaning: r.meaning, signals: r.signals, lookAlikes: r.lookAlikes, fix: r.fix }));
  if (argv.json) {
    await writeOut(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT_OK;
  }
  const out: string[] = [];
  for (const r of rows) {
    out.push(`${r.id}  [${r.layer}]  ${r.title}`);
    out.push(`    ${r.meaning}`);
    out.push(`    fix: ${r.fix.summary}`);
    for (const d of r.fix.directives) out.push(`         ${d.set} = ${d.to}  (${d.file})`);
    out.push('');
  }
  await writeOut(out.join('\n'));
  return EXIT_OK;
}

export const causesCommand = {
  command: 'causes',
  describe: 'list the root causes logsleuth can name, with their layer, meaning and fix',
  builder,
  run: runCauses,
};
