import type TestAgent from 'supertest/lib/agent.js';

import { TEST_ADMIN } from './test-app.js';
import { login, type TestTokens } from './users.js';

/** Signs the bootstrap admin in, optionally with only some of its scopes. */
export function adminLogin(http: TestAgent, scope?: string): Promise<TestTokens> {
  return login(http, TEST_ADMIN.username, TEST_ADMIN.password, scope);
}
