import { measureBcryptHashMs, measureParallelBcryptPerSecond } from '../bcrypt-timing.js';
import { runAutocannon, summarize } from '../load.js';
import { LOGIN_TIMEOUT_SECONDS, loginRequests, settleLogins } from './login-traffic.js';
import type { Scenario } from './scenario.js';

const GOAL_SHARE_OF_THEORETICAL = 0.85;

/**
 * Logins are bcrypt-bound: at best every hashing thread (one per core by default, and never
 * more useful than the cores) verifies one hash at a time, so the ceiling is
 * threads / (time of one hash). That time is measured in this process right before and right
 * after the measured run, while the server is idle, so both sides of the comparison see the
 * same machine even when its speed drifts (a shared VM does), together with what the same
 * number of threads hashing at once really deliver here. The refresh tokens the logins earn
 * feed the refresh scenario.
 */
export const loginScenario: Scenario = {
  id: 'login',
  async run(context) {
    const { config } = context;
    const options = {
      url: context.apiUrl,
      connections: config.connections,
      timeout: LOGIN_TIMEOUT_SECONDS,
      requests: loginRequests(context, (token) => context.refreshTokens.add(token)),
    };
    await runAutocannon({ ...options, duration: config.warmupSeconds });
    await settleLogins(context);
    const hashingThreads = Math.min(config.cores, config.passwordHashThreads ?? config.cores);
    const machineBefore = await measureMachine(config.bcryptCost, hashingThreads);
    const summary = summarize(await runAutocannon({ ...options, duration: config.durationSeconds }));
    await settleLogins(context); // the next scenario must not share the CPU with this one's leftovers
    const machineAfter = await measureMachine(config.bcryptCost, hashingThreads);

    const bcryptHashMs = (machineBefore.hashMs + machineAfter.hashMs) / 2;
    const parallelPerSecond = (machineBefore.parallelPerSecond + machineAfter.parallelPerSecond) / 2;
    const theoreticalPerSecond = hashingThreads / (bcryptHashMs / 1000);
    const share = summary.requestsPerSecond / theoreticalPerSecond;
    return [
      {
        scenario: 'POST /auth/login',
        comparableToBare: true,
        ...summary,
        goal: {
          description:
            `>= ${GOAL_SHARE_OF_THEORETICAL * 100}% of ${hashingThreads} / ${bcryptHashMs.toFixed(0)} ms = ` +
            `${theoreticalPerSecond.toFixed(1)}/s (${(share * 100).toFixed(0)}%; ` +
            `${hashingThreads} threads hashing here: ${parallelPerSecond.toFixed(1)}/s)`,
          met: share >= GOAL_SHARE_OF_THEORETICAL,
        },
        details: {
          theoreticalPerSecond,
          shareOfTheoretical: share,
          hashingThreads,
          bcryptHashMs,
          parallelBcryptPerSecond: parallelPerSecond,
          shareOfParallelBcrypt: summary.requestsPerSecond / parallelPerSecond,
        },
      },
    ];
  },
};

async function measureMachine(cost: number, threads: number) {
  return {
    hashMs: measureBcryptHashMs(cost),
    parallelPerSecond: await measureParallelBcryptPerSecond(cost, threads),
  };
}
