import { AuditChainVerifier } from '@portcullis/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createClient, machineClient, type TestClient } from './support/clients.js';
import { clientCredentials, introspect } from './support/tokens.js';

const CONCURRENT_REQUESTS = 24;

/** Token records and their audit events commit together, batched across concurrent requests. */
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

  it('should record and audit every one of many concurrent tokens before answering', async () => {
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

  it('should answer server_error and audit nothing when a token cannot be recorded, and still serve the others', async () => {
    const refused = await createClient(sut, machineClient());
    const other = await createClient(sut, machineClient());
    await queryDatabase(
      sut.databaseUrl,
      `CREATE FUNCTION refuse_test_client_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.payload->>'clientId' = '${refused.clientId}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
         RETURN NEW;
       END $$`,
    );
    await queryDatabase(
      sut.databaseUrl,
      `CREATE TRIGGER refuse_test_client_tokens BEFORE INSERT ON oidc_payloads
       FOR EACH ROW EXECUTE FUNCTION refuse_test_client_tokens()`,
    );
    try {
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
      expect(await issuedEventsFor(refused)).toBe(0);
      expect(await issuedEventsFor(other)).toBe(4);
    } finally {
      await queryDatabase(sut.databaseUrl, `DROP TRIGGER refuse_test_client_tokens ON oidc_payloads`);
      await queryDatabase(sut.databaseUrl, `DROP FUNCTION refuse_test_client_tokens()`);
    }
  });
});
