import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { registerUser } from '../helpers/users.js';

/** Headers helmet sends for old browsers or documents only; our JSON answers leave them out. */
const DOCUMENT_OR_LEGACY_HEADERS = [
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-xss-protection',
  'x-download-options',
  'x-dns-prefetch-control',
  'x-permitted-cross-domain-policies',
];

describe('security headers', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp(); // CORS_ORIGINS unset
  });
  afterAll(() => sut.close());

  it("should give every API answer OWASP's REST headers and nothing a document needs", async () => {
    for (const response of [await sut.http.get('/health/live'), await sut.http.get('/api/v1/auth/me')]) {
      expect(response.headers).toMatchObject({
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'cross-origin-resource-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
        'cache-control': expect.stringContaining('no-store'),
      });
      for (const name of DOCUMENT_OR_LEGACY_HEADERS) expect(response.headers[name]).toBeUndefined();
    }
  });

  it('should keep the tokens of a login out of every cache', async () => {
    const user = await registerUser(sut.http);
    const response = await sut.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password });
    expect(response.status).toBe(200);
    expect(response.body.access_token).toEqual(expect.any(String));
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('should send no CORS headers when no origin is allowed, and answer no preflight', async () => {
    const simple = await sut.http.get('/health/live').set('Origin', 'http://console.example.test');
    expect(Object.keys(simple.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const preflight = await sut.http
      .options('/api/v1/auth/login')
      .set('Origin', 'http://console.example.test')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it("should give the provider's pages a document policy that loads our stylesheet and nothing else", async () => {
    const response = await sut.http.get('/api/v1/oauth/authorize').query({ client_id: 'no-such-client' });
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('should let the API docs page run its own scripts and styles, and nothing from elsewhere', async () => {
    const response = await sut.http.get('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/https?:|\*/);
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    // The JSON document next to it is an API answer.
    const document = await sut.http.get('/api/docs-json');
    expect(document.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });
});
