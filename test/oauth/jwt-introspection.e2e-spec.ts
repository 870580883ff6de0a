import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { KeysService, OidcProviderService } from '@portcullis/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestUser } from '../helpers/users.js';
import {
  basicAuth,
  codeFlowClient,
  createClient,
  machineClient,
  type TestClient,
} from './support/clients.js';
import {
  clientCredentials,
  codeFlowTokens,
  INTROSPECTION_PATH,
  introspect as introspectAs,
  refreshTokens,
  revoke as revokeAs,
} from './support/tokens.js';

const REDIRECT_URI = 'https://rp.example.test/cb';

/** An access token as the provider would sign it, with whatever claims are given. */
function signWithCurrentKey(keys: KeysService, claims: Record<string, unknown>): string {
  const [key] = keys.signingKeys();
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })}.${encode(claims)}`;
  return `${signingInput}.${key.sign(Buffer.from(signingInput)).toString('base64url')}`;
}

/** RFC 7662 and RFC 7009 for the ES256 JWT access tokens of our API, client and user tokens alike. */
describe('introspection and revocation of JWT access tokens', () => {
  let sut: TestApp;
  let machine: TestClient;
  let otherMachine: TestClient;
  let webApp: TestClient;
  let user: TestUser;
  let apiAudience: string;

  beforeAll(async () => {
    sut = await startTestApp();
    apiAudience = `${sut.config.issuer}/api`;
    machine = await createClient(sut, machineClient());
    otherMachine = await createClient(sut, machineClient());
    webApp = await createClient(sut, codeFlowClient(REDIRECT_URI, ['openid', 'profile', 'offline_access']));
    user = await registerUser(sut.http);
  });
  afterAll(() => sut.close());

  async function clientToken(client: TestClient): Promise<string> {
    const response = await clientCredentials(sut, client, { scope: 'admin:users:read' }).expect(200);
    return response.body.access_token as string;
  }

  function userTokens() {
    return codeFlowTokens(sut, webApp, REDIRECT_URI, user, 'openid profile offline_access', {
      resource: apiAudience,
    });
  }

  const introspect = (token: string, asClient: TestClient) => introspectAs(sut, asClient, token);
  const revoke = (token: string, asClient: TestClient) => revokeAs(sut, asClient, token).expect(200);

  it('should answer active with the standard fields for a client_credentials JWT its client presents', async () => {
    const token = await clientToken(machine);
    const response = await introspect(token, machine).expect(200);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as {
      iat: number;
      exp: number;
    };
    expect(response.body).toEqual({
      active: true,
      client_id: machine.clientId,
      scope: 'admin:users:read',
      iss: sut.config.issuer,
      aud: apiAudience,
      iat: claims.iat,
      exp: claims.exp,
      token_type: 'Bearer',
    });
  });

  it('should answer active with the user and session for a user JWT its client presents', async () => {
    const tokens = await userTokens();
    expect(tokens.access_token.split('.')).toHaveLength(3);
    const response = await introspect(tokens.access_token, webApp).expect(200);
    expect(response.body).toMatchObject({
      active: true,
      client_id: webApp.clientId,
      sub: user.id,
      aud: apiAudience,
      token_type: 'Bearer',
      sid: expect.any(String),
    });
    expect(response.body.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile']));
  });

  it("should answer inactive for another client's token, an unknown JWT and a tampered one", async () => {
    const token = await clientToken(machine);
    expect((await introspect(token, otherMachine).expect(200)).body).toEqual({ active: false });
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
    expect((await introspect(tampered, machine).expect(200)).body).toEqual({ active: false });
    const unknown = `${header}.${Buffer.from('{"jti":"x"}').toString('base64url')}.${signature}`;
    expect((await introspect(unknown, machine).expect(200)).body).toEqual({ active: false });
  });

  it('should answer inactive once the token has expired', async () => {
    // Two seconds, not one: exp counts whole seconds from a truncated iat, so a one-second
    // token issued late in a second may be expired before it can be introspected.
    const shortLived = await createClient(sut, { ...machineClient(), accessTokenTtl: 2 });
    const token = await clientToken(shortLived);
    expect((await introspect(token, shortLived)).body.active).toBe(true);
    await sleep(3_100);
    expect((await introspect(token, shortLived)).body).toEqual({ active: false });
  });

  it('should make a revoked client_credentials JWT inactive, and ignore a revocation by another client', async () => {
    const token = await clientToken(machine);
    await revoke(token, otherMachine);
    expect((await introspect(token, machine)).body.active).toBe(true);
    await revoke(token, machine);
    expect((await introspect(token, machine)).body).toEqual({ active: false });
    await revoke(token, machine); // revoking again is still a 200
  });

  it('should make a revoked user JWT inactive and refused by our API at once', async () => {
    const tokens = await userTokens();
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(tokens))
      .expect(200);
    await revoke(tokens.access_token, webApp);
    expect((await introspect(tokens.access_token, webApp)).body).toEqual({ active: false });
    const me = await sut.http.get('/api/v1/auth/me').set(...bearer(tokens));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('TOKEN_REVOKED');
    // Revoking an access token revokes its grant (oidc-provider): the refresh token goes too.
    const refreshed = await refreshTokens(sut, webApp, tokens.refresh_token!);
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('should make a user JWT inactive when its grant is revoked by refresh token reuse', async () => {
    const tokens = await userTokens();
    const refresh = (refreshToken: string) =>
      refreshTokens(sut, webApp, refreshToken, { resource: apiAudience });
    const rotated = await refresh(tokens.refresh_token!).expect(200);
    expect((await introspect(rotated.body.access_token, webApp)).body.active).toBe(true);
    await refresh(tokens.refresh_token!).expect(400);
    expect((await introspect(rotated.body.access_token, webApp)).body).toEqual({ active: false });
    expect((await introspect(tokens.access_token, webApp)).body).toEqual({ active: false });
  });

  it('should make a user JWT inactive when its session ends', async () => {
    const tokens = await userTokens();
    const sid = (await introspect(tokens.access_token, webApp)).body.sid as string;
    const own = await login(sut.http, user.username, user.password);
    await sut.http
      .delete(`/api/v1/auth/sessions/${sid}`)
      .set(...bearer(own))
      .expect(204);
    expect((await introspect(tokens.access_token, webApp)).body).toEqual({ active: false });
  });

  it('should answer inactive for a first-party token once the user has logged out', async () => {
    const own = await login(sut.http, user.username, user.password);
    // The built-in first-party client is public: it authenticates with its client_id alone.
    const introspectAsFirstParty = () =>
      sut.http
        .post(INTROSPECTION_PATH)
        .type('form')
        .send({ token: own.access_token, client_id: 'portcullis' });
    expect((await introspectAsFirstParty()).body).toMatchObject({ active: true, sub: user.id });
    await sut.http
      .post('/api/v1/auth/logout')
      .set(...bearer(own))
      .expect(204);
    expect((await introspectAsFirstParty()).body).toEqual({ active: false });
  });

  it("should store the digest of a user's JWT access token only, never the token", async () => {
    const tokens = await userTokens();
    const rows = await queryDatabase(
      sut.databaseUrl,
      `SELECT id, payload::text AS payload FROM oidc_payloads WHERE model = 'AccessToken' AND payload->>'clientId' = $1`,
      [webApp.clientId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.payload).not.toContain(tokens.access_token);
      expect(row.id).not.toBe(tokens.access_token);
    }
    expect(rows.map((row) => row.id)).toContain(
      createHash('sha256').update(tokens.access_token).digest('base64url'),
    );
  });

  it("should store nothing of a client's token, and only its digest, until it expires, once revoked", async () => {
    const stored = () =>
      queryDatabase<{ model: string; id: string; payload: string; expires_at: Date }>(
        sut.databaseUrl,
        `SELECT model, id, payload::text AS payload, expires_at FROM oidc_payloads WHERE model LIKE '%ClientCredentials'`,
      );
    const before = (await stored()).length;
    const token = await clientToken(machine);
    expect(await stored()).toHaveLength(before);

    await revoke(token, machine);
    const marker = (await stored()).find(
      (row) => row.id === createHash('sha256').update(token).digest('base64url'),
    );
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as {
      exp: number;
    };
    expect(marker).toMatchObject({ model: 'RevokedClientCredentials', payload: '{}' });
    expect(marker!.expires_at.getTime()).toBe(exp * 1000);
  });

  it('should keep a client token active after a key rotation, while its key is published', async () => {
    const before = await clientToken(machine);
    await sut.app.get(OidcProviderService).rotateKeys();
    const after = await clientToken(machine);
    const kid = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid: string }).kid;
    expect(kid(after)).not.toBe(kid(before));
    expect((await introspect(before, machine)).body.active).toBe(true);
    expect((await introspect(after, machine)).body.active).toBe(true);
  });

  it('should answer inactive for a token signed by our key with claims we never issue', async () => {
    const token = await clientToken(machine);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const keys = sut.app.get(KeysService);
    for (const forged of [
      { ...claims, iss: 'https://elsewhere.example' },
      { ...claims, sub: 'someone-else' },
      { ...claims, sid: randomUUID() },
    ]) {
      const signed = signWithCurrentKey(keys, forged);
      expect((await introspect(signed, machine).expect(200)).body).toEqual({ active: false });
    }
    // The same signing path with the claims as issued is active: the forgeries fail on their claims.
    expect((await introspect(signWithCurrentKey(keys, claims), machine)).body.active).toBe(true);
  });

  it('should still refuse a repeated token parameter and an oversized body with invalid_request', async () => {
    const token = await clientToken(machine);
    const repeated = await sut.http
      .post(INTROSPECTION_PATH)
      .set('Authorization', basicAuth(machine))
      .type('form')
      .send(`token=${token}&token=${token}`);
    expect(repeated.status).toBe(400);
    expect(repeated.body.error).toBe('invalid_request');
    const oversized = await sut.http
      .post(INTROSPECTION_PATH)
      .set('Authorization', basicAuth(machine))
      .type('form')
      .send({ token: `${token}${'A'.repeat(60 * 1024)}` });
    expect(oversized.status).toBe(400);
    expect(oversized.body.error).toBe('invalid_request');
  });
});
