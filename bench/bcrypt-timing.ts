import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

import bcrypt from 'bcrypt';

// The length of the project's prehash (base64 of a SHA-256); bcrypt's time does not depend on the characters.
const INPUT = 'x'.repeat(44);

/** The median time of one bcrypt hash at `cost` on one core, measured in this process. */
export function measureBcryptHashMs(cost: number, rounds = 5): number {
  bcrypt.hashSync(INPUT, 4); // loads and warms the native module outside the timing
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    bcrypt.hashSync(INPUT, cost);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const HASHING_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
for (let i = 0; i < workerData.hashes; i += 1) bcrypt.hashSync(workerData.input, workerData.cost);
parentPort.postMessage('done');
`;

/**
 * Hashes per second this machine delivers right now with `threads` threads hashing at once.
 * On a VM whose cores are shared with other tenants this can be far below threads / (time of
 * one hash); the report shows it next to the login figure so that a miss can be told apart:
 * the server's doing, or the machine's.
 */
export async function measureParallelBcryptPerSecond(
  cost: number,
  threads: number,
  hashesPerThread = 8,
): Promise<number> {
  const bcryptPath = createRequire(import.meta.url).resolve('bcrypt');
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(HASHING_THREAD, {
            eval: true,
            workerData: { bcryptPath, input: INPUT, cost, hashes: hashesPerThread },
          });
          worker.once('message', () => void worker.terminate().then(() => resolve()));
          worker.once('error', reject);
        }),
    ),
  );
  return (threads * hashesPerThread) / ((performance.now() - started) / 1000);
}
