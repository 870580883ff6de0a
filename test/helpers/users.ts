import { randomBytes } from 'node:crypto';

import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
}

export interface TestTokens {
  access_token: string;
  refresh_token: string;
  session_id: string;
  scope: string;
  expires_in: number;
  password_change_required: boolean;
}

/** A user registered through the API, with a unique name and a policy-passing password. */
export async function registerUser(
  http: TestAgent,
  overrides: Partial<Omit<TestUser, 'id'>> = {},
): Promise<TestUser> {
  const suffix = randomBytes(4).toString('hex');
  const input = {
    username: overrides.username ?? `user_${suffix}`,
    email: overrides.email ?? `user_${suffix}@example.test`,
    password: overrides.password ?? `Plenty of entropy ${suffix}`,
  };
  const response = await http.post('/api/v1/auth/register').send(input);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.id, ...input };
}

export async function login(
  http: TestAgent,
  username: string,
  password: string,
  scope?: string,
): Promise<TestTokens> {
  const response = await http
    .post('/api/v1/auth/login')
    .send({ username, password, ...(scope ? { scope } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as TestTokens;
}

export function bearer(tokens: { access_token: string }): [string, string] {
  return ['Authorization', `Bearer ${tokens.access_token}`];
}
