import { randomBytes } from 'node:crypto';

import { ClientsService } from '@portcullis/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createClient, machineClient, type TestClient } from '../oauth/support/clients.js';
import { clientCredentials, revoke } from '../oauth/support/tokens.js';

const USERS = '/api/v1/admin/users';

/**
 * A client calling the admin API on its own behalf (a service account): its client_credentials
 * token opens the routes whose scopes the client was allowed, and no route that acts for a user.
 */
describe('clients calling the admin API with their own tokens', () => {
  let sut: TestApp;
  let reader: TestClient;
  let writer: TestClient;

  beforeAll(async () => {
    sut = await startTestApp();
    reader = await createClient(sut, machineClient(['admin:users:read']));
    writer = await createClient(sut, machineClient(['admin:users:read', 'admin:users:write']));
  });
  afterAll(() => sut.close());

  async function tokenOf(client: TestClient): Promise<string> {
    const scope = client === writer ? 'admin:users:read admin:users:write' : 'admin:users:read';
    return (await clientCredentials(sut, client, { scope }).expect(200)).body.access_token as string;
  }

  const get = (path: string, token: string) => sut.http.get(path).set('Authorization', `Bearer ${token}`);

  it('should open the routes whose scopes the token carries', async () => {
    const response = await get(USERS, await tokenOf(reader)).expect(200);
    expect(response.body).toMatchObject({ items: expect.any(Array), total: expect.any(Number) });
  });

  it('should refuse a route whose scope the token lacks, and every route that acts for a user', async () => {
    const token = await tokenOf(reader);
    const write = await sut.http
      .post(USERS)
      .set('Authorization', `Bearer ${token}`)
      .send({
        username: `svc${randomBytes(3).toString('hex')}`,
        email: 'svc@example.test',
        password: 'a long enough password',
      });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('INSUFFICIENT_SCOPE');
    for (const path of ['/api/v1/auth/me', '/api/v1/auth/sessions']) {
      const response = await get(path, token);
      expect(response.status, path).toBe(403);
      expect(response.body).toMatchObject({ code: 'USER_TOKEN_REQUIRED', status: 403 });
    }
  });

  it('should audit its changes with the client as the actor', async () => {
    const username = `svc${randomBytes(3).toString('hex')}`;
    const created = await sut.http
      .post(USERS)
      .set('Authorization', `Bearer ${await tokenOf(writer)}`)
      .send({ username, email: `${username}@example.test`, password: 'a long enough password' })
      .expect(201);
    const [event] = await queryDatabase<{ actor_type: string; actor_id: string }>(
      sut.databaseUrl,
      `SELECT actor_type, actor_id FROM audit_events WHERE action = 'admin.user.created' AND target_id = $1`,
      [created.body.id],
    );
    expect(event).toEqual({ actor_type: 'client', actor_id: writer.clientId });
  });

  it('should refuse the token at once once it is revoked, or its client deactivated', async () => {
    const revoked = await tokenOf(reader);
    await get(USERS, revoked).expect(200);
    await revoke(sut, reader, revoked).expect(200);
    const afterRevocation = await get(USERS, revoked);
    expect(afterRevocation.status).toBe(401);
    expect(afterRevocation.body.code).toBe('TOKEN_REVOKED');

    const doomed = await createClient(sut, machineClient(['admin:users:read']));
    const held = (await clientCredentials(sut, doomed, { scope: 'admin:users:read' }).expect(200)).body
      .access_token as string;
    await get(USERS, held).expect(200);
    await sut.app.get(ClientsService).setActive(doomed.clientId, false);
    expect((await get(USERS, held)).status).toBe(401);
    await sut.app.get(ClientsService).setActive(doomed.clientId, true);
    expect((await get(USERS, held)).status).toBe(401);
  });
});
