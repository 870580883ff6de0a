import { AuditChainVerifier } from '@portcullis/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { registerUser } from '../helpers/users.js';
import { authorize, newBrowser, pkce } from './support/authorization-flow.js';
import { codeFlowClient, createClient, machineClient, type TestClient } from './support/clients.js';
import { clientCredentials, exchangeCode, introspect } from './support/tokens.js';

const CONCURRENT_REQUESTS = 24;
const REDIRECT_URI = 'https://writes.example.test/cb';

/**
 * A token goes out only once its record (a user's token) and its issuance event are committed,
 * together, batched across concurrent requests.
 */
describe('token issuance writes', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  async function issuedEventsFor(client: TestClient): Promise<number> {
    const [row] = await queryDatabase<{ count: string }>(
      sut.databaseUrl,
      `SELECT count(*) FROM audit_events WHERE action = 'oauth.token.issued' AND target_id = $1`,
      [client.clientId],
    );
    return Number(row.count);
  }

  it('should audit every one of many concurrent tokens before answering', async () => {
    const client = await createClient(sut, machineClient());
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT_REQUESTS }, () => clientCredentials(sut, client)),
    );
    for (const response of responses) expect(response.status).toBe(200);
    const introspections = await Promise.all(
      responses.map((response) => introspect(sut, client, response.body.access_token as string)),
    );
    for (const introspection of introspections) expect(introspection.body.active).toBe(true);
    expect(await issuedEventsFor(client)).toBe(CONCURRENT_REQUESTS);
    expect((await sut.app.get(AuditChainVerifier).verify()).ok).toBe(true);
  });

  /** Runs `body` while PostgreSQL refuses, by a trigger on `table`, the rows `condition` matches. */
  async function whileRefusing(table: string, condition: string, body: () => Promise<void>): Promise<void> {
    await queryDatabase(
      sut.databaseUrl,
      `CREATE FUNCTION refuse_test_rows() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF ${condition} THEN RAISE EXCEPTION 'refused by the test'; END IF;
         RETURN NEW;
       END $$`,
    );
    await queryDatabase(
      sut.databaseUrl,
      `CREATE TRIGGER refuse_test_rows BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_test_rows()`,
    );
    try {
      await body();
    } finally {
      await queryDatabase(sut.databaseUrl, `DROP TRIGGER refuse_test_rows ON ${table}`);
      await queryDatabase(sut.databaseUrl, `DROP FUNCTION refuse_test_rows()`);
    }
  }

  it("should answer server_error, never the token, when a client token's issuance cannot be audited", async () => {
    const refused = await createClient(sut, machineClient());
    const other = await createClient(sut, machineClient());
    await whileRefusing('audit_events', `NEW.target_id = '${refused.clientId}'`, async () => {
      const [refusedResponses, otherResponses] = await Promise.all([
        Promise.all(Array.from({ length: 4 }, () => clientCredentials(sut, refused))),
        Promise.all(Array.from({ length: 4 }, () => clientCredentials(sut, other))),
      ]);
      for (const response of refusedResponses) {
        expect(response.status).toBe(500);
        expect(response.body).toEqual({ error: 'server_error', error_description: expect.any(String) });
      }
      for (const response of otherResponses) {
        expect(response.status).toBe(200);
        expect((await introspect(sut, other, response.body.access_token as string)).body.active).toBe(true);
      }
    });
    expect(await issuedEventsFor(refused)).toBe(0);
    expect(await issuedEventsFor(other)).toBe(4);
    expect((await sut.app.get(AuditChainVerifier).verify()).ok).toBe(true);
  });

  it("should answer server_error and audit nothing when a user's token cannot be recorded", async () => {
    const client = await createClient(sut, codeFlowClient(REDIRECT_URI, ['openid']));
    const user = await registerUser(sut.http);
    const challenge = pkce();
    const callback = await authorize(
      newBrowser(sut),
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid', pkce: challenge },
      user,
    );
    await whileRefusing(
      'oidc_payloads',
      `NEW.model = 'AccessToken' AND NEW.payload->>'clientId' = '${client.clientId}'`,
      async () => {
        const response = await exchangeCode(sut, client, {
          code: callback.get('code')!,
          verifier: challenge.verifier,
          redirectUri: REDIRECT_URI,
        });
        expect(response.status).toBe(500);
        expect(response.body).toEqual({ error: 'server_error', error_description: expect.any(String) });
      },
    );
    expect(await issuedEventsFor(client)).toBe(0);
  });
});
