import { randomBytes } from 'node:crypto';

import { clientSecretDigest } from '@portcullis/oauth';
import pg from 'pg';

export interface SeededClient {
  clientId: string;
  clientSecret: string;
  /** What it is allowed to ask for. */
  scope: string;
}

const BENCH_CLIENT_SCOPE = 'admin:users:read';

/**
 * A confidential client_credentials client, inserted straight into the API's oauth_clients
 * table the way ClientsService stores one (the secret as its digest), so the API reads it from
 * PostgreSQL as it reads every client.
 */
export async function seedClientCredentialsClient(databaseUrl: string): Promise<SeededClient> {
  const client: SeededClient = {
    clientId: `bench_cc_${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(32).toString('base64url'),
    scope: BENCH_CLIENT_SCOPE,
  };
  const connection = new pg.Client({ connectionString: databaseUrl });
  await connection.connect();
  try {
    await connection.query(
      `INSERT INTO oauth_clients (client_id, client_secret_digest, name, type, grant_types, scopes, token_endpoint_auth_method)
       VALUES ($1, $2, 'Bench client credentials', 'confidential', '{client_credentials}', $3, 'client_secret_basic')`,
      [client.clientId, clientSecretDigest(client.clientSecret), [client.scope]],
    );
  } finally {
    await connection.end();
  }
  return client;
}

/** RFC 6749 §2.3.1 Basic credentials. */
export function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}
