// The process's resident set size, sampled every few milliseconds from a worker thread: the metrics are
// computed in one synchronous stretch that no timer on the main thread could interrupt, and the RSS is the
// whole process's, whichever thread reads it.
import { Worker } from 'node:worker_threads';

const samplerSource = `
const { parentPort } = require('node:worker_threads');
let peak = 0;
const sample = () => { peak = Math.max(peak, process.memoryUsage.rss()); };
setInterval(sample, 5);
parentPort.on('message', () => {
  sample();
  parentPort.postMessage(peak);
  peak = 0;
});
`;

export interface RssSampler {
  /** The highest RSS sampled since the last reset, in bytes, and starts a new period. */
  takePeak(): Promise<number>;
  stop(): Promise<void>;
}

export function startRssSampler(): RssSampler {
  const worker = new Worker(samplerSource, { eval: true });
  return {
    takePeak: () =>
      new Promise<number>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage('take');
      }),
    async stop() {
      await worker.terminate();
    },
  };
}
