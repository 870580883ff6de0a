import { setTimeout as sleep } from 'node:timers/promises';

import { LIVE_PATH, ME_PATH, login } from '../api-client.js';
import { runAutocannon, summarize } from '../load.js';
import { LOGIN_TIMEOUT_SECONDS, loginRequests, settleLogins } from './login-traffic.js';
import type { Scenario, ScenarioContext, ScenarioRow } from './scenario.js';

const LOGIN_CONNECTIONS = 16;
const PROBE_RATE_PER_SECOND = 200;
const PROBE_CONNECTIONS = 4;
const GOAL_P99_MS = 50;
/** Below this share of the asked rate the server fell behind, and a p99 alone would flatter it. */
const MIN_SHARE_OF_RATE = 0.95;

/**
 * Does a burst of logins starve everything else? Logins saturate the password hashing while
 * two light routes are driven at a fixed rate each; their p99 is what users of the rest of the
 * API would feel. The logins start a warm-up earlier, so the probes only ever see saturation.
 */
export const loginsUnderLoadScenario: Scenario = {
  id: 'under-load',
  async run(context) {
    const { config } = context;
    const { access_token } = await login(context.apiUrl, context.users.username(1), context.users.password);
    const logins = runAutocannon({
      url: context.apiUrl,
      connections: LOGIN_CONNECTIONS,
      duration: config.warmupSeconds + config.durationSeconds,
      timeout: LOGIN_TIMEOUT_SECONDS,
      requests: loginRequests(context),
    });
    await sleep(config.warmupSeconds * 1000);
    const [live, me] = await Promise.all([
      probeAtFixedRate(context, LIVE_PATH, {}),
      probeAtFixedRate(context, ME_PATH, { authorization: `Bearer ${access_token}` }),
    ]);
    const loginSummary = summarize(await logins);
    await settleLogins(context);
    return [
      { scenario: `under load: login x${LOGIN_CONNECTIONS}`, comparableToBare: true, ...loginSummary },
      { scenario: `under load: /health/live @${PROBE_RATE_PER_SECOND}/s`, ...live },
      { scenario: `under load: /auth/me @${PROBE_RATE_PER_SECOND}/s`, ...me },
    ];
  },
};

async function probeAtFixedRate(
  context: ScenarioContext,
  path: string,
  headers: Record<string, string>,
): Promise<Omit<ScenarioRow, 'scenario'>> {
  const summary = summarize(
    await runAutocannon({
      url: `${context.apiUrl}${path}`,
      connections: PROBE_CONNECTIONS,
      overallRate: PROBE_RATE_PER_SECOND,
      duration: context.config.durationSeconds,
      headers,
      // autocannon's correction for coordinated omission assumes one request every
      // ceil(1 / rate) = 1 ms and would add a made-up sample for every millisecond of every
      // slow answer; the achieved rate is reported instead, so a server that falls behind shows.
      ignoreCoordinatedOmission: true,
    }),
  );
  return {
    ...summary,
    comparableToBare: false,
    goal: {
      description: `p99 < ${GOAL_P99_MS} ms at ${PROBE_RATE_PER_SECOND}/s`,
      met:
        summary.p99Ms < GOAL_P99_MS &&
        summary.failed === 0 &&
        summary.requestsPerSecond >= MIN_SHARE_OF_RATE * PROBE_RATE_PER_SECOND,
    },
  };
}
