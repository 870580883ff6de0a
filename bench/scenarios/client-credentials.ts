import { randomBytes } from 'node:crypto';

import { alternateRounds } from '../load.js';
import { basicCredentials, seedClientCredentialsClient } from '../oauth-client-seed.js';
import { startOidcBaselineServer } from '../servers.js';
import type { Scenario } from './scenario.js';

const PORTCULLIS_TOKEN_PATH = '/api/v1/oauth/token';
const BASELINE_TOKEN_PATH = '/token';
const GOAL_SHARE_OF_BASELINE = 0.7;

/**
 * Machine-to-machine tokens: POST client_credentials to Portcullis (its client from PostgreSQL,
 * the token recorded for introspection and revocation, the issuance audited) and, in the same
 * run, to an out-of-the-box oidc-provider on its in-memory adapter. Both sign an ES256 JWT
 * access token per request.
 */
export const clientCredentialsScenario: Scenario = {
  id: 'client-credentials',
  async run(context) {
    const { config } = context;
    const client = await seedClientCredentialsClient(context.databaseUrl);
    const baselineClient = {
      clientId: 'baseline',
      clientSecret: randomBytes(32).toString('base64url'),
      scope: client.scope,
    };
    const baseline = await startOidcBaselineServer(baselineClient);
    try {
      const load = (url: string, path: string, id: string, secret: string) => ({
        url: `${url}${path}`,
        connections: config.connections,
        method: 'POST' as const,
        headers: {
          authorization: basicCredentials(id, secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: client.scope }).toString(),
      });
      const baselineLoad = load(
        baseline.url,
        BASELINE_TOKEN_PATH,
        baselineClient.clientId,
        baselineClient.clientSecret,
      );
      const portcullisLoad = load(
        context.apiUrl,
        PORTCULLIS_TOKEN_PATH,
        client.clientId,
        client.clientSecret,
      );
      await assertIssuesJwt(baselineLoad);
      await assertIssuesJwt(portcullisLoad);

      // Alternating rounds: other work on the machine drifts, and both should see the same drift.
      const [baselineSummary, portcullisSummary] = await alternateRounds(
        [baselineLoad, portcullisLoad],
        config,
      );
      const share = portcullisSummary.requestsPerSecond / baselineSummary.requestsPerSecond;
      return [
        {
          scenario: 'oidc-provider client_credentials (baseline)',
          comparableToBare: true,
          ...baselineSummary,
        },
        {
          scenario: 'POST /oauth/token client_credentials',
          comparableToBare: true,
          ...portcullisSummary,
          goal: {
            description: `>= ${GOAL_SHARE_OF_BASELINE * 100}% of oidc-provider (${(share * 100).toFixed(0)}%)`,
            met: share >= GOAL_SHARE_OF_BASELINE,
          },
          details: { baselineRequestsPerSecond: baselineSummary.requestsPerSecond, shareOfBaseline: share },
        },
      ];
    } finally {
      await baseline.stop();
    }
  },
};

/** One request before the load: a wrong setup must fail loudly, not measure error pages. */
async function assertIssuesJwt(load: { url: string; headers: Record<string, string>; body: string }) {
  const response = await fetch(load.url, { method: 'POST', headers: load.headers, body: load.body });
  const body = (await response.json()) as { access_token?: string };
  const header = body.access_token?.split('.')[0];
  const alg = header
    ? (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string }).alg
    : undefined;
  if (response.status !== 200 || alg !== 'ES256')
    throw new Error(`${load.url} did not issue an ES256 JWT: ${response.status} ${JSON.stringify(body)}`);
}
