import { availableParallelism } from 'node:os';

/** What one bench run measures and how long; every figure can be overridden from the environment. */
export interface BenchConfig {
  /** Seconds each measured autocannon run lasts. */
  durationSeconds: number;
  /** Seconds of load before each measured run, so JIT, pools and caches are warm. */
  warmupSeconds: number;
  /** Concurrent connections of the throughput scenarios. */
  connections: number;
  /** The API's BCRYPT_COST, also used for the seeded hash and the theoretical login maximum. */
  bcryptCost: number;
  /** Cores of this machine: the API's default PASSWORD_HASH_THREADS is the same figure. */
  cores: number;
  /**
   * BENCH_PASSWORD_HASH_THREADS, for experiments only: unset, the API keeps its default. Named
   * apart from the API's variable so that a value left in a shell cannot change a run unnoticed.
   */
  passwordHashThreads?: number;
  /** BENCH_API_WORKERS, for experiments only (e.g. 1 to measure one process): unset, the default. */
  apiWorkers?: number;
  seededUsers: number;
  /** Scenario ids to run (the bare baseline always runs); empty runs them all. */
  only: string[];
  /** Write a V8 CPU profile of the API process into bench/results/profiles. */
  profile: boolean;
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function benchConfigFromEnvironment(): BenchConfig {
  return {
    durationSeconds: positiveNumber('BENCH_DURATION', 10),
    warmupSeconds: positiveNumber('BENCH_WARMUP', 3),
    connections: Math.round(positiveNumber('BENCH_CONNECTIONS', 50)),
    bcryptCost: Math.round(positiveNumber('BCRYPT_COST', 12)),
    cores: availableParallelism(),
    passwordHashThreads: process.env.BENCH_PASSWORD_HASH_THREADS
      ? Math.round(positiveNumber('BENCH_PASSWORD_HASH_THREADS', 1))
      : undefined,
    apiWorkers: process.env.BENCH_API_WORKERS
      ? Math.round(positiveNumber('BENCH_API_WORKERS', 1))
      : undefined,
    seededUsers: Math.round(positiveNumber('BENCH_USERS', 1000)),
    only: (process.env.BENCH_ONLY ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    profile: process.env.BENCH_PROFILE === '1' || process.env.BENCH_PROFILE === 'true',
  };
}
