import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the admin user list needs at a million users: trigram indexes for the case-insensitive
 * substring search over username, e-mail, given and family name (citext is cast to text, the
 * type gin_trgm_ops indexes), a (column, id) index per sortable column for keyset paging, and
 * an index on the provider records' account, so deleting a user finds its grants and tokens.
 */
export class AdminUserSearch1764100000000 implements MigrationInterface {
  name = 'AdminUserSearch1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, expression] of TRIGRAM_INDEXES) {
      await queryRunner.query(`CREATE INDEX ${name} ON users USING gin ((${expression}) gin_trgm_ops)`);
    }
    // is_active rides along so that counting active users in a date range reads the index only.
    await queryRunner.query(
      `CREATE INDEX ix_users_created_at_id ON users (created_at, id) INCLUDE (is_active)`,
    );
    // Nulls sort last both ways, which one index cannot serve in both directions.
    for (const column of ['last_login_at', 'family_name']) {
      await queryRunner.query(`CREATE INDEX ix_users_${column}_id ON users (${column}, id)`);
      await queryRunner.query(
        `CREATE INDEX ix_users_${column}_id_desc ON users (${column} DESC NULLS LAST, id DESC)`,
      );
    }
    await queryRunner.query(
      `CREATE INDEX ix_oidc_payloads_account_id ON oidc_payloads ((payload ->> 'accountId'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_oidc_payloads_account_id`);
    for (const column of ['last_login_at', 'family_name']) {
      await queryRunner.query(`DROP INDEX ix_users_${column}_id_desc`);
      await queryRunner.query(`DROP INDEX ix_users_${column}_id`);
    }
    await queryRunner.query(`DROP INDEX ix_users_created_at_id`);
    for (const [name] of TRIGRAM_INDEXES) await queryRunner.query(`DROP INDEX ${name}`);
  }
}

const TRIGRAM_INDEXES = [
  ['ix_users_username_trgm', 'username::text'],
  ['ix_users_email_trgm', 'email::text'],
  ['ix_users_given_name_trgm', 'given_name'],
  ['ix_users_family_name_trgm', 'family_name'],
] as const;
