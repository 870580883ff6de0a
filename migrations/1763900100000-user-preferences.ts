import type { MigrationInterface, QueryRunner } from 'typeorm';

/** User preferences: one free-form JSON object per user, deleted with the user. */
export class UserPreferences1763900100000 implements MigrationInterface {
  name = 'UserPreferences1763900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE user_preferences (
        user_id uuid NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_preferences PRIMARY KEY (user_id),
        CONSTRAINT fk_user_preferences_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE user_preferences`);
  }
}
