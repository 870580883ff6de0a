/**
 * The code each bcrypt worker thread runs, evaluated as CommonJS through
 * `new Worker(source, { eval: true })` so that it works the same from compiled JavaScript and
 * from TypeScript sources under vitest. It uses bcrypt's *sync* calls on purpose: the thread
 * exists to run one hash at a time, and bcrypt's async calls would go back to libuv's pool.
 */
export const BCRYPT_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', (job) => {
  try {
    const result = job.op === 'hash' ? bcrypt.hashSync(job.input, job.cost) : bcrypt.compareSync(job.input, job.hash);
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;
