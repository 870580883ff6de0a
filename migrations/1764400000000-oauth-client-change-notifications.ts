import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to an oauth_clients row notifies `oauth_clients_changed` with its client_id, on
 * commit, whoever made it: each API node keeps active clients in memory and drops one as soon
 * as it changes (a deactivation or a new secret applies everywhere at once).
 */
export class OAuthClientChangeNotifications1764400000000 implements MigrationInterface {
  name = 'OAuthClientChangeNotifications1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_oauth_client_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('oauth_clients_changed', CASE TG_OP WHEN 'DELETE' THEN OLD.client_id ELSE NEW.client_id END);
        IF TG_OP = 'UPDATE' AND NEW.client_id <> OLD.client_id THEN
          PERFORM pg_notify('oauth_clients_changed', OLD.client_id);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_oauth_clients_changed AFTER INSERT OR UPDATE OR DELETE ON oauth_clients
        FOR EACH ROW EXECUTE FUNCTION notify_oauth_client_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_oauth_clients_changed ON oauth_clients`);
    await queryRunner.query(`DROP FUNCTION notify_oauth_client_changed()`);
  }
}
