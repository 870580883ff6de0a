import autocannon from 'autocannon';

/** What the report shows of one autocannon run. */
export interface LoadSummary {
  /** 2xx responses per second of the run: failed requests do not count as throughput. */
  requestsPerSecond: number;
  /** Latency percentiles of the 2xx responses, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  ok: number;
  /** Non-2xx answers, socket errors and timeouts. */
  failed: number;
  durationSeconds: number;
}

export function runAutocannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error: unknown, result: autocannon.Result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

export function summarize(result: autocannon.Result): LoadSummary {
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    durationSeconds: result.duration,
  };
}

/** The value below which `share` (0..1] of the ascending `sorted` values lie. */
export function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/**
 * An autocannon load left running, each response noted with when it arrived, so that
 * windows of one load (before and during some event) can be compared on the same connections.
 */
export class TimedResponses {
  private readonly responses: { at: number; ms: number; ok: boolean }[] = [];
  private readonly instance: autocannon.Instance;
  private readonly finished: Promise<void>;

  constructor(options: autocannon.Options) {
    let done!: () => void;
    this.finished = new Promise((resolve) => (done = resolve));
    this.instance = autocannon({ ...options, duration: 24 * 3600 }, () => done());
    this.instance.on('response', (_client, statusCode, _bytes, responseTime) =>
      this.responses.push({ at: performance.now(), ms: responseTime, ok: statusCode < 300 }),
    );
  }

  /** The responses that arrived from `start` to `end` (performance.now() times). */
  between(start: number, end: number): LoadSummary {
    const window = this.responses.filter((response) => response.at >= start && response.at < end);
    const latencies = window.filter((response) => response.ok).map((response) => response.ms);
    latencies.sort((a, b) => a - b);
    const durationSeconds = (end - start) / 1000;
    return {
      requestsPerSecond: latencies.length / durationSeconds,
      p50Ms: Math.round(percentile(latencies, 0.5)),
      p99Ms: Math.round(percentile(latencies, 0.99)),
      ok: latencies.length,
      failed: window.length - latencies.length,
      durationSeconds,
    };
  }

  async stop(): Promise<void> {
    this.instance.stop();
    await this.finished;
  }
}

export interface WarmedRunOptions {
  warmupSeconds: number;
  durationSeconds: number;
}

/** A warm-up run that is thrown away, then the measured run with the same options. */
export async function warmThenMeasure(
  options: autocannon.Options,
  run: WarmedRunOptions,
): Promise<LoadSummary> {
  await runAutocannon({ ...options, duration: run.warmupSeconds });
  return summarize(await runAutocannon({ ...options, duration: run.durationSeconds }));
}

export const ALTERNATED_ROUNDS = 3;

/**
 * Two or more loads measured in alternating short rounds after a warm-up each, so that drift
 * on the machine (other work, CPU steal) falls on all of them alike: a ratio between them
 * holds better than one between two long runs at different times. The rounds of each load
 * are summarised as one run.
 */
export async function alternateRounds(
  loads: autocannon.Options[],
  run: WarmedRunOptions,
): Promise<LoadSummary[]> {
  for (const load of loads) await runAutocannon({ ...load, duration: run.warmupSeconds });
  const results: autocannon.Result[][] = loads.map(() => []);
  const duration = Math.max(1, run.durationSeconds / ALTERNATED_ROUNDS);
  for (let round = 0; round < ALTERNATED_ROUNDS; round++) {
    for (const [index, load] of loads.entries())
      results[index].push(await runAutocannon({ ...load, duration }));
  }
  return results.map(summarizeRounds);
}

/** Rounds as one run: their 2xx over their time; latencies of the middle round (autocannon keeps no samples). */
function summarizeRounds(runs: autocannon.Result[]): LoadSummary {
  const summaries = runs.map(summarize);
  const ok = summaries.reduce((sum, run) => sum + run.ok, 0);
  const durationSeconds = summaries.reduce((sum, run) => sum + run.durationSeconds, 0);
  const middle = summaries[Math.floor(summaries.length / 2)];
  return {
    requestsPerSecond: ok / durationSeconds,
    p50Ms: middle.p50Ms,
    p99Ms: middle.p99Ms,
    ok,
    failed: summaries.reduce((sum, run) => sum + run.failed, 0),
    durationSeconds,
  };
}
