import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { ClientsService } from '@portcullis/oauth';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createClient, machineClient, type TestClient } from './support/clients.js';
import { clientCredentials, introspect, postAsClient, TOKEN_PATH } from './support/tokens.js';

/** Waits into the next whole second, so that a token's `iat` falls after what just happened. */
function sleepToNextSecond(): Promise<void> {
  return sleep(1000 - (Date.now() % 1000) + 5);
}

describe('client credentials and client authentication', () => {
  let sut: TestApp;
  let client: TestClient;

  beforeAll(async () => {
    sut = await startTestApp();
    client = await createClient(sut, machineClient(['admin:users:read', 'admin:audit:read']));
  });
  afterAll(() => sut.close());

  it('should store only the digest of a client secret', async () => {
    const [row] = await queryDatabase(
      sut.databaseUrl,
      `SELECT client_secret_digest FROM oauth_clients WHERE client_id = $1`,
      [client.clientId],
    );
    expect(client.clientSecret).toEqual(expect.any(String));
    expect(row.client_secret_digest).not.toContain(client.clientSecret);
    expect(row.client_secret_digest).toHaveLength(43);
  });

  it('should issue an ES256 JWT for our API with the asked scopes when the secret is right (basic)', async () => {
    const response = await clientCredentials(sut, client, { scope: 'admin:users:read' }).expect(200);
    expect(response.headers['cache-control']).toContain('no-store');
    expect(response.body).toMatchObject({ token_type: 'Bearer', scope: 'admin:users:read', expires_in: 900 });
    expect(response.body.refresh_token).toBeUndefined();
    const [header, payload] = response.body.access_token
      .split('.')
      .slice(0, 2)
      .map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({
      iss: sut.config.issuer,
      aud: `${sut.config.issuer}/api`,
      client_id: client.clientId,
    });
  });

  it('should accept the secret in the body from a client_secret_post client', async () => {
    const postClient = await createClient(sut, {
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['admin:users:read'],
      tokenEndpointAuthMethod: 'client_secret_post',
    });
    await sut.http
      .post(TOKEN_PATH)
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: postClient.clientId,
        client_secret: postClient.clientSecret,
      })
      .expect(200);
  });

  it('should answer invalid_client with no-store when the secret is wrong', async () => {
    const response = await clientCredentials(sut, { ...client, clientSecret: 'not-the-secret' });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'invalid_client' });
    expect(response.headers['cache-control']).toContain('no-store');
  });

  it('should refuse a scope the client is not allowed', async () => {
    const response = await clientCredentials(sut, client, { scope: 'admin:users:write' });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_scope');
  });

  it('should refuse the password and implicit grants to everyone', async () => {
    for (const grantType of ['password', 'implicit']) {
      const response = await postAsClient(sut, TOKEN_PATH, client, {
        grant_type: grantType,
        username: 'a',
        password: 'b',
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('unsupported_grant_type');
    }
  });

  it('should refuse a grant the client is not registered for', async () => {
    const response = await postAsClient(sut, TOKEN_PATH, client, {
      grant_type: 'refresh_token',
      refresh_token: 'whatever',
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('unauthorized_client');
  });

  it('should let a deactivated client do nothing', async () => {
    const doomed = await createClient(sut, machineClient());
    const token = await clientCredentials(sut, doomed).expect(200);
    await sut.app.get(ClientsService).setActive(doomed.clientId, false);

    const again = await clientCredentials(sut, doomed);
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_client');
    const introspection = await introspect(sut, doomed, token.body.access_token);
    expect(introspection.status).toBe(401);

    // Reactivated, its earlier token stays dead; a new one works.
    await sut.app.get(ClientsService).setActive(doomed.clientId, true);
    await sleepToNextSecond(); // a token from the second of the deactivation counts as before it
    const fresh = await clientCredentials(sut, doomed).expect(200);
    expect((await introspect(sut, doomed, token.body.access_token)).body).toEqual({ active: false });
    expect((await introspect(sut, doomed, fresh.body.access_token)).body.active).toBe(true);
  });

  it("should not let a client created under a deleted one's id inherit its tokens", async () => {
    const clientId = `namesake_${randomBytes(4).toString('hex')}`;
    const first = await createClient(sut, { ...machineClient(), clientId });
    await sleepToNextSecond(); // what follows fits in one second: the old iat is the new creation's
    const old = (await clientCredentials(sut, first).expect(200)).body.access_token as string;
    await sut.app.get(ClientsService).delete(clientId);
    const second = await createClient(sut, { ...machineClient(), clientId });
    expect((await introspect(sut, second, old)).body).toEqual({ active: false });
    await sleepToNextSecond();
    const fresh = (await clientCredentials(sut, second).expect(200)).body.access_token as string;
    expect((await introspect(sut, second, fresh)).body.active).toBe(true);
    // A client id never deleted carries no such mark.
    const [row] = await queryDatabase(
      sut.databaseUrl,
      `SELECT tokens_revoked_at FROM oauth_clients WHERE client_id = $1`,
      [client.clientId],
    );
    expect(row.tokens_revoked_at).toBeNull();
  });

  it('should authenticate a private_key_jwt client by its signed assertion', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const jwtClient = await createClient(sut, {
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['admin:users:read'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [jwk as unknown as Record<string, string>] },
    });
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(jwtClient.clientId)
      .setSubject(jwtClient.clientId)
      .setAudience(sut.config.issuer)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(privateKey);
    const response = await sut.http.post(TOKEN_PATH).type('form').send({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  });

  it("should apply a client's own access token lifetime, capped by how long keys stay published", async () => {
    const short = await createClient(sut, {
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['admin:users:read'],
      accessTokenTtl: 60,
    });
    const response = await clientCredentials(sut, short).expect(200);
    expect(response.body.expires_in).toBe(60);
    const long = await createClient(sut, {
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['admin:users:read'],
      accessTokenTtl: 86_400,
    });
    const capped = await clientCredentials(sut, long).expect(200);
    expect(capped.body.expires_in).toBe(3600);
  });
});
