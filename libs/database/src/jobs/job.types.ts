/** Counts a run reports, e.g. `{ sessions: 1200, provider_records: 5400 }`. */
export type JobCounts = Record<string, number>;

export interface JobContext {
  /** Aborted when the process shuts down: stop at the next batch boundary and return. */
  signal: AbortSignal;
  /** Where counts so far are kept, so an interrupted or failed run still records them. */
  counts: JobCounts;
}

/** A maintenance job: what it is called, when it runs, and the work. */
export interface JobDefinition {
  name: string;
  description: string;
  /** Cron expression (UTC), from configuration. */
  schedule: string;
  run(context: JobContext): Promise<void>;
}

export type JobTrigger = 'schedule' | 'manual';
export type JobOutcome = 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';
