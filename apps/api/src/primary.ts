import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

import type { AppConfig } from '@portcullis/core';
import { pino } from 'pino';

/** What the primary sends a listening worker to make it stop the way SIGTERM does. */
export const SHUTDOWN_MESSAGE = 'portcullis:shutdown';

/** A worker dying more often than this within the window is not a blip: the primary gives up. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1_000;
/** Past SHUTDOWN_GRACE_MS, how long workers get to exit by themselves before they are killed. */
const EXIT_MARGIN_MS = 2_000;
/** V8's young-generation semi-space for workers, in MiB (V8's default is 16). */
const WORKER_SEMI_SPACE_MB = 64;

/** The embedded PostgreSQL belongs to the one process that started it. */
export function workerCount(config: AppConfig): number {
  return config.get('DATABASE_URL') ? config.get('API_WORKERS') : 1;
}

/**
 * The primary of API_WORKERS processes sharing one port (node:cluster): it serves nothing
 * itself. It starts one worker alone, which runs the migrations and creates what a first
 * start creates (bootstrap admin, signing key), then the others, which find them. It replaces
 * a worker that dies, gives up (exit 1) when they keep dying, and on SIGTERM or SIGINT asks
 * every worker to drain and exits 0 once all have exited cleanly. Each worker is a node like
 * any other (DESIGN.md, scale-out): nothing is shared in memory.
 */
export async function runPrimary(config: AppConfig, workers: number): Promise<void> {
  const logger = pino({ level: config.get('LOG_LEVEL') }).child({ context: 'Primary' });
  const env = workerEnvironment(workers);
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  const live = new Set<Worker>();
  const listening = new Set<Worker>();
  const crashes: number[] = [];
  let started = false;
  let stopping = false;
  let allExitedCleanly = true;

  const fork = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork(env);
      live.add(worker);
      worker.once('listening', () => {
        listening.add(worker);
        resolve();
      });
      worker.once('exit', (code, signal) => {
        const wasListening = listening.delete(worker);
        live.delete(worker);
        reject(new Error(`worker ${worker.process.pid} exited (${signal ?? code}) before listening`));
        exited(worker, code, signal, wasListening);
      });
    });

  const exited = (worker: Worker, code: number | null, signal: string | null, wasListening: boolean) => {
    if (stopping) {
      // A worker stopped while starting dies of the signal: that is the stop asked for.
      allExitedCleanly &&= code === 0 || (!wasListening && signal === 'SIGTERM');
      if (live.size === 0) process.exit(allExitedCleanly ? 0 : 1);
      return;
    }
    // A worker of the first start that never listened fails that start as a whole, below.
    if (!started && !wasListening) return;
    const now = Date.now();
    crashes.push(now);
    while (crashes[0] <= now - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > MAX_CRASHES) {
      logger.fatal(`Workers died ${crashes.length} times within a minute: stopping`);
      stop(1);
      return;
    }
    logger.error(`Worker ${worker.process.pid} died (${signal ?? `exit code ${code}`}); starting another`);
    setTimeout(() => {
      if (!stopping) fork().catch(() => undefined); // its exit is handled above
    }, RESTART_DELAY_MS);
  };

  const stop = (exitCode: number) => {
    if (stopping) {
      for (const worker of live) worker.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    allExitedCleanly &&= exitCode === 0;
    for (const worker of live) {
      // A worker still starting has no handler for the message yet; a signal it has.
      if (listening.has(worker)) worker.send(SHUTDOWN_MESSAGE);
      else worker.process.kill('SIGTERM');
    }
    setTimeout(
      () => {
        logger.error('Workers did not exit in time: killing them');
        for (const worker of live) worker.process.kill('SIGKILL');
        process.exit(1);
      },
      config.get('SHUTDOWN_GRACE_MS') + EXIT_MARGIN_MS,
    ).unref();
    if (live.size === 0) process.exit(allExitedCleanly ? 0 : 1);
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));

  try {
    await fork();
    await Promise.all(Array.from({ length: workers - 1 }, fork));
  } catch (error) {
    if (stopping) return;
    logger.fatal(`Could not start the API workers: ${(error as Error).message}`);
    stop(1);
    return;
  }
  started = true;
  logger.info(`${workers} API workers listening on ${config.get('HOST')}:${config.get('PORT')}`);
}

/**
 * The node options of a worker: the primary's, with a larger young generation. A request
 * allocates almost only short-lived objects; with 64 MiB semi-spaces they die in fewer, cheaper
 * scavenges, which took about a tenth off the CPU time of a GET /auth/me here, for at most
 * 3 × 48 MiB more memory per worker under load. A --max-semi-space-size the operator gave
 * node (or NODE_OPTIONS) wins.
 */
export function workerExecArgv(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((option) =>
    option.startsWith('--max-semi-space-size'),
  );
  return given ? [...execArgv] : [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`];
}

/** Hashing threads are shared out, so N workers do not start N times one thread per core. */
function workerEnvironment(workers: number): NodeJS.ProcessEnv {
  if (process.env.PASSWORD_HASH_THREADS) return {};
  return { PASSWORD_HASH_THREADS: String(Math.max(1, Math.floor(availableParallelism() / workers))) };
}
