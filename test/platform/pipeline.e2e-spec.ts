import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('the request pipeline', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { CORS_ORIGINS: 'http://console.example.test' } });
  });
  afterAll(() => sut.close());

  it('should keep a well-formed X-Request-Id and echo it on the response and the problem', async () => {
    const response = await sut.http.get('/api/v1/auth/me').set('X-Request-Id', 'abc-123.trace:9');
    expect(response.headers['x-request-id']).toBe('abc-123.trace:9');
    expect(response.body.request_id).toBe('abc-123.trace:9');
  });

  it('should replace a malformed X-Request-Id with a new UUID', async () => {
    const response = await sut.http.get('/health/live').set('X-Request-Id', 'bad id with spaces');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer a problem document for an unknown route', async () => {
    const response = await sut.http.get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      type: expect.stringContaining('urn:portcullis:problem:'),
      status: 404,
      code: 'ROUTE_NOT_FOUND',
    });
  });

  it('should answer 400 MALFORMED_REQUEST for malformed JSON, not 500', async () => {
    const response = await sut.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": ');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('MALFORMED_REQUEST');
  });

  it('should answer 415 for a body that is not JSON', async () => {
    const response = await sut.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'text/plain')
      .send('username=a&password=b');
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const xml = await sut.http
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/xml')
      .send('<user/>');
    expect(xml.status).toBe(415);
  });

  it('should answer 413 for a body over 64 KiB', async () => {
    const response = await sut.http
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'big', email: 'big@example.test', password: 'x'.repeat(70 * 1024) }));
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('should answer 400 when the body is a JSON array or scalar', async () => {
    const response = await sut.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('[1,2]');
    expect(response.status).toBe(400);
  });

  it('should allow CORS only from CORS_ORIGINS', async () => {
    const allowed = await sut.http
      .options('/api/v1/auth/login')
      .set('Origin', 'http://console.example.test')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://console.example.test');
    const refused = await sut.http
      .options('/api/v1/auth/login')
      .set('Origin', 'http://evil.example.test')
      .set('Access-Control-Request-Method', 'POST');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('should answer liveness and readiness', async () => {
    await sut.http.get('/health/live').expect(200);
    const ready = await sut.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('should publish discovery and the JWKS at the issuer well-known paths', async () => {
    const discovery = await sut.http.get('/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    expect(discovery.body.issuer).toBe(sut.config.issuer);
    // Endpoint URLs follow the host the request came to (here supertest's ephemeral port).
    expect(new URL(discovery.body.jwks_uri).pathname).toBe('/.well-known/jwks.json');
    expect(new URL(discovery.body.token_endpoint).pathname).toBe('/api/v1/oauth/token');
    expect(discovery.body.id_token_signing_alg_values_supported).toEqual(['ES256']);

    const jwks = await sut.http.get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });

  it('should keep private signing keys encrypted at rest', async () => {
    const { queryDatabase } = await import('../helpers/database-queries.js');
    const [key] = await queryDatabase<{ private_key_ciphertext: string }>(
      sut.databaseUrl,
      'SELECT private_key_ciphertext FROM signing_keys',
    );
    expect(key.private_key_ciphertext).toMatch(/^v1\./);
    expect(key.private_key_ciphertext).not.toContain('"d"');
  });
});
