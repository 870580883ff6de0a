import { ME_PATH, login } from '../api-client.js';
import { alternateRounds } from '../load.js';
import type { Scenario } from './scenario.js';

const GOAL_SHARE_OF_BARE = 0.3;

/**
 * An authenticated read: JWT verification plus the session lookup in PostgreSQL, every
 * request. Measured in rounds alternating with the bare server, whose figure of these rounds
 * is the one the goal compares to.
 */
export const meScenario: Scenario = {
  id: 'me',
  async run(context) {
    const { config } = context;
    const { access_token } = await login(context.apiUrl, context.users.username(0), context.users.password);
    const [bare, me] = await alternateRounds(
      [
        { url: context.bareUrl, connections: config.connections },
        {
          url: `${context.apiUrl}${ME_PATH}`,
          connections: config.connections,
          headers: { authorization: `Bearer ${access_token}` },
        },
      ],
      config,
    );
    const share = me.requestsPerSecond / bare.requestsPerSecond;
    return [
      { scenario: 'bare node:http, alternated with /auth/me', comparableToBare: true, ...bare },
      {
        scenario: 'GET /auth/me',
        comparableToBare: true,
        ...me,
        bareRequestsPerSecond: bare.requestsPerSecond,
        goal: { description: `>= ${GOAL_SHARE_OF_BARE * 100}% of bare`, met: share >= GOAL_SHARE_OF_BARE },
      },
    ];
  },
};
