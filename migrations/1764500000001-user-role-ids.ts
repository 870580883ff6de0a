import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin list's role filter without a join: users.role_ids mirrors the user's rows in
 * user_roles (kept by statement-level triggers on user_roles, so a bulk insert or a cascade
 * recomputes each touched user once), and ix_users_created_at_id carries it with is_active.
 * Counting "active users with role R created after T" becomes one index-only range scan
 * instead of hashing those users against every holder of R (about 35 ms at 100,000 users
 * under load, against about 8 ms). user_roles stays the record; role_ids is derived from it.
 */
export class UserRoleIds1764500000001 implements MigrationInterface {
  name = 'UserRoleIds1764500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN role_ids uuid[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      CREATE FUNCTION users_sync_role_ids() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE users u SET role_ids = ARRAY(SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = u.id ORDER BY ur.role_id)
           WHERE u.id IN (SELECT user_id FROM changed_new);
        ELSIF TG_OP = 'DELETE' THEN
          UPDATE users u SET role_ids = ARRAY(SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = u.id ORDER BY ur.role_id)
           WHERE u.id IN (SELECT user_id FROM changed_old);
        ELSE
          UPDATE users u SET role_ids = ARRAY(SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = u.id ORDER BY ur.role_id)
           WHERE u.id IN (SELECT user_id FROM changed_new UNION SELECT user_id FROM changed_old);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tg_user_roles_role_ids_insert AFTER INSERT ON user_roles
        REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION users_sync_role_ids()`);
    await queryRunner.query(`
      CREATE TRIGGER tg_user_roles_role_ids_delete AFTER DELETE ON user_roles
        REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION users_sync_role_ids()`);
    await queryRunner.query(`
      CREATE TRIGGER tg_user_roles_role_ids_update AFTER UPDATE ON user_roles
        REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
        FOR EACH STATEMENT EXECUTE FUNCTION users_sync_role_ids()`);
    await queryRunner.query(
      `UPDATE users u SET role_ids = ARRAY(SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = u.id ORDER BY ur.role_id)
        WHERE EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id)`,
    );
    await queryRunner.query(`DROP INDEX ix_users_created_at_id`);
    await queryRunner.query(
      `CREATE INDEX ix_users_created_at_id ON users (created_at, id) INCLUDE (is_active, role_ids)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_users_created_at_id`);
    await queryRunner.query(
      `CREATE INDEX ix_users_created_at_id ON users (created_at, id) INCLUDE (is_active)`,
    );
    await queryRunner.query(`DROP TRIGGER tg_user_roles_role_ids_update ON user_roles`);
    await queryRunner.query(`DROP TRIGGER tg_user_roles_role_ids_delete ON user_roles`);
    await queryRunner.query(`DROP TRIGGER tg_user_roles_role_ids_insert ON user_roles`);
    await queryRunner.query(`DROP FUNCTION users_sync_role_ids()`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN role_ids`);
  }
}
