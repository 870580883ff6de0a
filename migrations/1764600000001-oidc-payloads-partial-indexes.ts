import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lookup indexes of oidc_payloads cover only the rows that have the value looked up. Most
 * rows are access tokens, which have no uid or user code and, for clients, no grant, session
 * or account: each such row used to add a NULL entry to five indexes that no query reads.
 * Every lookup compares with `=`, which a NULL never matches, so the planner proves that the
 * partial index covers it.
 */
const INDEXES = [
  { name: 'ix_oidc_payloads_grant_id', on: '(grant_id)', where: 'grant_id IS NOT NULL' },
  { name: 'ix_oidc_payloads_session_id', on: '(session_id)', where: 'session_id IS NOT NULL' },
  { name: 'ix_oidc_payloads_uid', on: '(model, uid)', where: 'uid IS NOT NULL' },
  { name: 'ix_oidc_payloads_user_code', on: '(model, user_code)', where: 'user_code IS NOT NULL' },
  {
    name: 'ix_oidc_payloads_account_id',
    on: `((payload ->> 'accountId'))`,
    where: `(payload ->> 'accountId') IS NOT NULL`,
  },
];

export class OidcPayloadsPartialIndexes1764600000001 implements MigrationInterface {
  name = 'OidcPayloadsPartialIndexes1764600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) {
      await queryRunner.query(`DROP INDEX ${index.name}`);
      await queryRunner.query(`CREATE INDEX ${index.name} ON oidc_payloads ${index.on} WHERE ${index.where}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) {
      await queryRunner.query(`DROP INDEX ${index.name}`);
      await queryRunner.query(`CREATE INDEX ${index.name} ON oidc_payloads ${index.on}`);
    }
  }
}
