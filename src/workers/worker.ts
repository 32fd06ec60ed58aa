// A worker thread: reads the inputs and blocks it is sent, in order, answering each with its digest.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { packDigest } from '../digest/digest.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { readBlock, readFile } from './task.js';

function portOf(p: MessagePort | null): MessagePort {
  if (p === null) throw new Error('worker.js runs as a worker thread only');
  return p;
}
const port = portOf(parentPort);
const { opts } = workerData as WorkerInit;

async function handle(m: ToWorker): Promise<FromWorker> {
  if (m.type === 'file') {
    const { summary, digest } = await readFile(m.src, opts);
    return { type: 'file', input: m.input, summary, digest: packDigest(digest) };
  }
  const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  const { report, digest } = await readBlock(m.input, m.block, m.src, data, m.sniffed, opts);
  return { type: 'block', report, digest: packDigest(digest) };
}

// a second task arrives while one runs (the coordinator keeps two in flight): answers keep their order
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  chain = chain.then(async () => {
    try {
      const answer = await handle(m);
      port.postMessage(answer, answer.type === 'failed' ? [] : [answer.digest.buckets.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
    }
  });
});
