import type { BenchConfig } from '../bench-config.js';
import type { LoadSummary } from '../load.js';
import type { RefreshTokenPool } from '../refresh-token-pool.js';
import type { SeededUsers } from '../seed.js';

export interface ScenarioContext {
  config: BenchConfig;
  apiUrl: string;
  bareUrl: string;
  /** The API's database, for the bench's own checks (never for the load itself). */
  databaseUrl: string;
  users: SeededUsers;
  /** Filled by the login scenario as a by-product, drawn by the refresh scenario. */
  refreshTokens: RefreshTokenPool;
}

export interface Goal {
  description: string;
  met: boolean;
}

export interface ScenarioRow extends LoadSummary {
  scenario: string;
  /** False for fixed-rate runs: their throughput is what the bench asked for, not what the server can do. */
  comparableToBare: boolean;
  goal?: Goal;
  /**
   * The bare server's throughput measured in rounds alternating with this row's: its share of
   * bare is taken against this figure rather than the bare scenario's run.
   */
  bareRequestsPerSecond?: number;
  /** Further figures for the JSON report (e.g. the theoretical login maximum). */
  details?: Record<string, number>;
}

export interface Scenario {
  /** What BENCH_ONLY names it by. */
  id: string;
  run(context: ScenarioContext): Promise<ScenarioRow[]>;
}
