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
