import { randomBytes } from 'node:crypto';

import { AppConfig } from '@portcullis/core';
import { PasswordHasher } from '@portcullis/users';
import pg from 'pg';

const USERNAME_PREFIX = 'bench_user_';

export interface SeededUsers {
  count: number;
  /** Every seeded user has this password. */
  password: string;
  /** The username of the user at `index`, wrapping around, so any counter can pick users in turn. */
  username(index: number): string;
}

/**
 * Inserts `count` users with the role `user` straight into the API's (migrated) database.
 * Registering them through the API would cost one bcrypt hash each; they share ONE hash made
 * by the project's own PasswordHasher at the API's cost, so logins verify exactly as for users
 * who registered, and no rehash happens at login.
 */
export async function seedUsers(
  databaseUrl: string,
  count: number,
  bcryptCost: number,
): Promise<SeededUsers> {
  const password = `bench-${randomBytes(12).toString('base64url')}`;
  const hasher = new PasswordHasher(
    AppConfig.fromEnvironment({}, { BCRYPT_COST: bcryptCost, PASSWORD_HASH_THREADS: 1 }),
  );
  let passwordHash: string;
  try {
    passwordHash = await hasher.hash(password);
  } finally {
    await hasher.onModuleDestroy();
  }

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO users (username, email, password_hash)
       SELECT $1::text || i, $1::text || i || '@bench.invalid', $2 FROM generate_series(1, $3::int) AS i`,
      [USERNAME_PREFIX, passwordHash, count],
    );
    await client.query(
      `INSERT INTO user_roles (user_id, role_id)
       SELECT u.id, r.id FROM users u CROSS JOIN roles r WHERE r.name = 'user' AND u.username LIKE $1`,
      [`${USERNAME_PREFIX}%`],
    );
  } finally {
    await client.end();
  }
  return {
    count,
    password,
    username: (index) => `${USERNAME_PREFIX}${(((index % count) + count) % count) + 1}`,
  };
}
