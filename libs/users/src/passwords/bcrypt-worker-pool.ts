import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

import { BCRYPT_WORKER_SOURCE } from './bcrypt-worker.source.js';

type BcryptJob = { op: 'hash'; input: string; cost: number } | { op: 'compare'; input: string; hash: string };
type WorkerReply = { result: string | boolean; error?: undefined } | { error: string };

interface QueuedJob {
  job: BcryptJob;
  resolve: (result: string | boolean) => void;
  reject: (error: Error) => void;
}

interface PoolThread {
  worker: Worker;
  current?: QueuedJob;
}

export interface BcryptPoolStats {
  /** Worker threads alive (started on demand, never more than the pool size). */
  threads: number;
  busy: number;
  queued: number;
}

const BCRYPT_PATH = createRequire(import.meta.url).resolve('bcrypt');

/**
 * A bounded pool of worker threads that run bcrypt, one job per thread at a time; further jobs
 * wait in a FIFO queue. bcrypt's own async API runs on libuv's shared threadpool (4 threads by
 * default), so a burst of logins would starve fs, dns, zlib and crypto work (jose) behind it.
 * Threads start when first needed, are unref'd while idle so they never keep the process
 * alive, and a thread that dies is replaced on the next job.
 */
export class BcryptWorkerPool {
  private readonly threads = new Set<PoolThread>();
  private readonly idle: PoolThread[] = [];
  private readonly queue: QueuedJob[] = [];
  private closed = false;

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`The bcrypt pool needs at least one thread, got ${size}`);
    }
  }

  hash(input: string, cost: number): Promise<string> {
    return this.run({ op: 'hash', input, cost }) as Promise<string>;
  }

  compare(input: string, hash: string): Promise<boolean> {
    return this.run({ op: 'compare', input, hash }) as Promise<boolean>;
  }

  get stats(): BcryptPoolStats {
    return {
      threads: this.threads.size,
      busy: this.threads.size - this.idle.length,
      queued: this.queue.length,
    };
  }

  /** Rejects queued and running jobs and stops every thread; later jobs are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('The password hashing pool has been shut down');
    for (const queued of this.queue.splice(0)) queued.reject(error);
    const threads = [...this.threads];
    this.threads.clear();
    this.idle.length = 0;
    await Promise.all(
      threads.map((thread) => {
        thread.current?.reject(error);
        return thread.worker.terminate();
      }),
    );
  }

  private run(job: BcryptJob): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error('The password hashing pool has been shut down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.idle.pop() ?? (this.threads.size < this.size ? this.spawn() : undefined);
      if (!thread) return;
      const queued = this.queue.shift() as QueuedJob;
      thread.current = queued;
      thread.worker.ref();
      thread.worker.postMessage(queued.job);
    }
  }

  private spawn(): PoolThread {
    const thread: PoolThread = {
      worker: new Worker(BCRYPT_WORKER_SOURCE, { eval: true, workerData: { bcryptPath: BCRYPT_PATH } }),
    };
    thread.worker.on('message', (reply: WorkerReply) => this.settle(thread, reply));
    thread.worker.on('error', (error: Error) => this.discard(thread, error));
    thread.worker.on('exit', (code: number) =>
      this.discard(thread, new Error(`A bcrypt worker thread exited with code ${code}`)),
    );
    this.threads.add(thread);
    return thread;
  }

  private settle(thread: PoolThread, reply: WorkerReply): void {
    if (!this.threads.has(thread)) return; // a late answer from a thread being shut down
    const queued = thread.current;
    thread.current = undefined;
    thread.worker.unref();
    this.idle.push(thread);
    if (reply.error !== undefined) queued?.reject(new Error(`bcrypt failed: ${reply.error}`));
    else queued?.resolve(reply.result);
    this.dispatch();
  }

  private discard(thread: PoolThread, error: Error): void {
    if (!this.threads.delete(thread)) return;
    const index = this.idle.indexOf(thread);
    if (index >= 0) this.idle.splice(index, 1);
    thread.current?.reject(error);
    thread.current = undefined;
    void thread.worker.terminate();
    this.dispatch();
  }
}
