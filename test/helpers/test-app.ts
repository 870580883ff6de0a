import 'reflect-metadata';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@portcullis/core';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestDatabase } from './test-database.js';

export const TEST_ADMIN = {
  username: 'admin',
  email: 'admin@example.test',
  password: 'Bootstrap admin pass 1!',
};
const TEST_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  databaseUrl: string;
  config: AppConfig;
  close: () => Promise<void>;
}

/**
 * Boots the real API (same module, same pipeline as production) on a test database. Pass
 * `databaseUrl` to start a second instance on the same database (restart, two nodes).
 */
export async function startTestApp(
  options: { env?: Record<string, string>; databaseUrl?: string } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = AppConfig.fromEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
    BCRYPT_COST: '4',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    RUN_JOBS: 'false',
    ...options.env,
  });
  const app = await createApiApp(config);
  await app.getHttpAdapter().getInstance().ready();
  return { app, http: request(app.getHttpServer()), databaseUrl, config, close: () => app.close() };
}

/**
 * Two API nodes with the same environment on one new test database: API workers, or nodes
 * behind a load balancer. Close both when done.
 */
export async function startTwoNodes(
  options: { env?: Record<string, string> } = {},
): Promise<[TestApp, TestApp]> {
  const first = await startTestApp(options);
  const second = await startTestApp({ ...options, databaseUrl: first.databaseUrl });
  return [first, second];
}
