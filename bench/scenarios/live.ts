import { LIVE_PATH } from '../api-client.js';
import { warmThenMeasure } from '../load.js';
import type { Scenario } from './scenario.js';

/** The fixed cost of the request pipeline: an open route that touches no database. */
export const liveScenario: Scenario = {
  id: 'live',
  async run(context) {
    const { config } = context;
    const summary = await warmThenMeasure(
      { url: `${context.apiUrl}${LIVE_PATH}`, connections: config.connections },
      config,
    );
    return [{ scenario: 'GET /health/live', comparableToBare: true, ...summary }];
  },
};
