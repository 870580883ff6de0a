import { warmThenMeasure } from '../load.js';
import type { Scenario } from './scenario.js';

/** The ceiling: what this machine and autocannon reach against a node:http server doing nothing. */
export const bareScenario: Scenario = {
  id: 'bare',
  async run(context) {
    const { config } = context;
    const summary = await warmThenMeasure({ url: context.bareUrl, connections: config.connections }, config);
    return [{ scenario: 'bare node:http', comparableToBare: true, ...summary }];
  },
};
