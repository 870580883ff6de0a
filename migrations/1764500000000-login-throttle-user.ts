import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lockout row names the user its identifier belonged to when the failure was counted, so
 * "which users are locked" reads login_throttles by user instead of hashing every username
 * and e-mail in SQL. Rows of unknown identifiers keep user_id NULL and throttle as before.
 * Two partial indexes: by user (a user's lock state, unlock, the cascade when a user goes)
 * and by lock end (the users locked now, for the dashboard and the admin list's filter).
 * Existing rows are matched to their users once here, hashing as identifierKey does (stored
 * usernames and e-mails are already trimmed and NFC).
 */
export class LoginThrottleUser1764500000000 implements MigrationInterface {
  name = 'LoginThrottleUser1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE login_throttles ADD COLUMN user_id uuid`);
    await queryRunner.query(
      `ALTER TABLE login_throttles ADD CONSTRAINT fk_login_throttles_user
         FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE`,
    );
    for (const column of ['username', 'email']) {
      await queryRunner.query(
        `UPDATE login_throttles t SET user_id = u.id FROM users u
          WHERE t.user_id IS NULL AND t.identifier_hash = sha256(convert_to(lower(u.${column}::text), 'UTF8'))`,
      );
    }
    await queryRunner.query(
      `CREATE INDEX ix_login_throttles_user_id ON login_throttles (user_id) WHERE user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_login_throttles_locked_until_user_id ON login_throttles (locked_until, user_id)
        WHERE user_id IS NOT NULL AND locked_until IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_login_throttles_locked_until_user_id`);
    await queryRunner.query(`DROP INDEX ix_login_throttles_user_id`);
    await queryRunner.query(`ALTER TABLE login_throttles DROP CONSTRAINT fk_login_throttles_user`);
    await queryRunner.query(`ALTER TABLE login_throttles DROP COLUMN user_id`);
  }
}
