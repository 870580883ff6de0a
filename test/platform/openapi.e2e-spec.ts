import { readFile } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('the OpenAPI document', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { ISSUER_URL: 'http://localhost:3000' } });
  });
  afterAll(() => sut.close());

  it('should match the committed openapi.json (run `npm run openapi` after changing the API)', async () => {
    const served = await sut.http.get('/api/docs-json');
    expect(served.status).toBe(200);
    const committed = JSON.parse(await readFile('openapi.json', 'utf8')) as unknown;
    expect(served.body).toEqual(committed);
  });

  it('should give every operation an operationId, tags, responses, and a security requirement unless public', async () => {
    const document = (await sut.http.get('/api/docs-json')).body as {
      paths: Record<
        string,
        Record<
          string,
          { operationId?: string; tags?: string[]; security?: unknown[]; responses: Record<string, unknown> }
        >
      >;
    };
    const publicOperations = new Set(['register', 'login', 'refresh', 'getLiveness', 'getReadiness']);
    const operationIds = new Set<string>();
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(operation.operationId, where).toBeTruthy();
        expect(operationIds.has(operation.operationId!), `${where} duplicate operationId`).toBe(false);
        operationIds.add(operation.operationId!);
        expect(operation.tags?.length, where).toBeGreaterThan(0);
        expect(
          Object.keys(operation.responses).some((status) => status.startsWith('2')),
          where,
        ).toBe(true);
        if (!publicOperations.has(operation.operationId!)) expect(operation.security, where).toBeDefined();
      }
    }
    expect(operationIds.size).toBeGreaterThanOrEqual(11);
  });
});
