import { ME_PATH, login } from '../api-client.js';
import { warmThenMeasure } from '../load.js';
import type { Scenario } from './scenario.js';

const GOAL_SHARE_OF_BARE = 0.3;

/** An authenticated read: JWT verification plus the session lookup in PostgreSQL, every request. */
export const meScenario: Scenario = {
  id: 'me',
  async run(context) {
    const { config } = context;
    const { access_token } = await login(context.apiUrl, context.users.username(0), context.users.password);
    const summary = await warmThenMeasure(
      {
        url: `${context.apiUrl}${ME_PATH}`,
        connections: config.connections,
        headers: { authorization: `Bearer ${access_token}` },
      },
      config,
    );
    const share = context.baseline ? summary.requestsPerSecond / context.baseline.requestsPerSecond : 0;
    return [
      {
        scenario: 'GET /auth/me',
        comparableToBare: true,
        ...summary,
        goal: { description: `>= ${GOAL_SHARE_OF_BARE * 100}% of bare`, met: share >= GOAL_SHARE_OF_BARE },
      },
    ];
  },
};
