import { ClientsService, OidcProviderService } from '@portcullis/oauth';
import { SessionsService } from '@portcullis/sessions';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTwoNodes, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestUser } from '../helpers/users.js';
import { codeFlowClient, createClient, machineClient, type TestClient } from './support/clients.js';
import { RelyingPartyServer } from './support/relying-party-server.js';
import { clientCredentials, codeFlowTokens, introspect, refreshTokens, revoke } from './support/tokens.js';

const REDIRECT_URI = 'https://nodes.example.test/cb';

function header(token: string): { kid: string } {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid: string };
}

function sidOf(idToken: string): string {
  return (JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8')) as { sid: string })
    .sid;
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('two API nodes on one database', () => {
  let nodeA: TestApp;
  let nodeB: TestApp;
  let rp: RelyingPartyServer;
  let client: TestClient;
  let user: TestUser;

  beforeAll(async () => {
    [nodeA, nodeB] = await startTwoNodes();
    rp = new RelyingPartyServer();
    await rp.start();
    client = await createClient(nodeA, {
      ...codeFlowClient(REDIRECT_URI, ['openid', 'profile', 'offline_access']),
      backchannelLogoutUri: rp.url('/bc'),
    });
    user = await registerUser(nodeA.http);
  });
  afterAll(async () => {
    await rp?.stop();
    await nodeB?.close();
    await nodeA?.close();
  });

  it('should end on node A a browser session its user ended on node B, and tell the client', async () => {
    const tokens = await codeFlowTokens(nodeA, client, REDIRECT_URI, user, 'openid profile offline_access', {
      resource: `${nodeA.config.issuer}/api`,
    });
    const sid = sidOf(tokens.id_token);
    await nodeA.http
      .get('/api/v1/auth/me')
      .set(...bearer(tokens))
      .expect(200);

    const own = await login(nodeB.http, user.username, user.password);
    await nodeB.http
      .delete(`/api/v1/auth/sessions/${sid}`)
      .set(...bearer(own))
      .expect(204);

    await nodeA.http
      .get('/api/v1/auth/me')
      .set(...bearer(tokens))
      .expect(401);
    const refreshed = await refreshTokens(nodeA, client, tokens.refresh_token!);
    expect(refreshed.body.error).toBe('invalid_grant');

    await eventually(() => rp.logoutTokens('/bc').length > 0);
    const claims = JSON.parse(
      Buffer.from(rp.logoutTokens('/bc')[0].split('.')[1], 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: user.id, sid, aud: client.clientId });
  });

  it('should tell the client when an admin ends the browser session', async () => {
    const tokens = await codeFlowTokens(nodeA, client, REDIRECT_URI, user, 'openid');
    const sid = sidOf(tokens.id_token);
    const sent = rp.logoutTokens('/bc').length;
    await nodeB.app
      .get(DataSource)
      .transaction((manager) => nodeB.app.get(SessionsService).revoke(sid, 'admin_revoked', manager));
    await eventually(() => rp.logoutTokens('/bc').length > sent);
    const claims = JSON.parse(
      Buffer.from(rp.logoutTokens('/bc').at(-1)!.split('.')[1], 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ sid, sub: user.id });
    await nodeA.http
      .get('/api/v1/oidc/userinfo')
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .expect(401);
  });

  it('should sign with a key rotated on node A on node B too, and keep the old key published', async () => {
    const before = await codeFlowTokens(nodeB, client, REDIRECT_URI, user, 'openid');
    const newKid = await nodeA.app.get(OidcProviderService).rotateKeys();
    expect(header(before.id_token).kid).not.toBe(newKid);

    const onA = await codeFlowTokens(nodeA, client, REDIRECT_URI, user, 'openid');
    expect(header(onA.id_token).kid).toBe(newKid);
    // Node B notices on its next key check (every 30 s; run it now).
    await nodeB.app.get(OidcProviderService).syncKeys();
    const onB = await codeFlowTokens(nodeB, client, REDIRECT_URI, user, 'openid');
    expect(header(onB.id_token).kid).toBe(newKid);

    for (const node of [nodeA, nodeB]) {
      const jwks = await node.http.get('/.well-known/jwks.json').expect(200);
      const kids = (jwks.body.keys as { kid: string }[]).map((key) => key.kid);
      expect(kids).toEqual(expect.arrayContaining([newKid, header(before.id_token).kid]));
    }
    // Tokens signed before the rotation still work.
    await nodeB.http
      .get('/api/v1/oidc/userinfo')
      .set('Authorization', `Bearer ${before.access_token}`)
      .expect(200);
  });

  it('should refuse a client on node B as soon as node A deactivates it or rotates its secret', async () => {
    const machine = await createClient(nodeA, machineClient());
    // Both nodes have the client in memory now.
    await clientCredentials(nodeA, machine).expect(200);
    await clientCredentials(nodeB, machine).expect(200);

    const newSecret = await nodeA.app.get(ClientsService).rotateSecret(machine.clientId);
    await eventuallyAsync(async () => (await clientCredentials(nodeB, machine)).status === 401);
    await clientCredentials(nodeB, { ...machine, clientSecret: newSecret }).expect(200);

    await nodeA.app.get(ClientsService).setActive(machine.clientId, false);
    await eventuallyAsync(
      async () => (await clientCredentials(nodeB, { ...machine, clientSecret: newSecret })).status === 401,
    );
  });

  it("should end on node B a client's token that node A revoked, or whose client node A cycled", async () => {
    const machine = await createClient(nodeA, machineClient());
    const issue = async () =>
      (await clientCredentials(nodeA, machine).expect(200)).body.access_token as string;
    const activeOnB = async (token: string) =>
      (await introspect(nodeB, machine, token)).body.active as boolean;
    const [revoked, held] = [await issue(), await issue()];
    expect(await activeOnB(revoked)).toBe(true);
    expect(await activeOnB(held)).toBe(true); // node B has the client in memory now

    await revoke(nodeA, machine, revoked).expect(200);
    expect(await activeOnB(revoked)).toBe(false);

    // Deactivated and reactivated on A: B must not answer from the client it had in memory.
    const clients = nodeA.app.get(ClientsService);
    await clients.setActive(machine.clientId, false);
    await clients.setActive(machine.clientId, true);
    await eventuallyAsync(async () => !(await activeOnB(held)));
  });
});

/** The change notification reaches the other node within milliseconds; allow a little. */
async function eventuallyAsync(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
