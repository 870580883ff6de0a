import { randomBytes } from 'node:crypto';

import { ClientsService, type CreateClientInput } from '@portcullis/oauth';

import type { TestApp } from '../../helpers/test-app.js';

export interface TestClient {
  clientId: string;
  clientSecret: string | null;
}

/** Registers a client through ClientsService (what the admin API and the CLI use). */
export async function createClient(
  sut: Pick<TestApp, 'app'>,
  input: Partial<CreateClientInput> & Pick<CreateClientInput, 'type'>,
): Promise<TestClient> {
  const created = await sut.app.get(ClientsService).create({
    name: `Test client ${randomBytes(3).toString('hex')}`,
    clientId: `client_${randomBytes(6).toString('hex')}`,
    ...input,
  });
  return { clientId: created.client.clientId, clientSecret: created.clientSecret };
}

/** The Basic credentials of a client_secret_basic client (RFC 6749 §2.3.1 form-encoding). */
export function basicAuth(client: TestClient): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret ?? '')}`).toString('base64')}`;
}

/** The usual web application: confidential, code flow with refresh, the OpenID scopes. */
export function codeFlowClient(
  redirectUri: string,
  scopes = ['openid', 'profile', 'email', 'offline_access'],
): Pick<CreateClientInput, 'type' | 'redirectUris' | 'grantTypes' | 'scopes'> {
  return {
    type: 'confidential',
    redirectUris: [redirectUri],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes,
  };
}

/** A machine client: confidential, client_credentials only. */
export function machineClient(
  scopes = ['admin:users:read'],
): Pick<CreateClientInput, 'type' | 'grantTypes' | 'scopes'> {
  return { type: 'confidential', grantTypes: ['client_credentials'], scopes };
}
