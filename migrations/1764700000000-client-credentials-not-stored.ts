import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * client_credentials access tokens are no longer stored: they are verified by signature, a
 * revoked one is listed until it expires, and a client's `tokens_revoked_at` ends every one it
 * was issued before (set when the client is deactivated).
 *
 * The stored records were how a revoked or deactivated client's token was told dead; once they
 * are ignored, such a token would verify again. So every client that could hold one has its
 * tokens ended at the upgrade: a machine client asks for a new token, as on any expiry.
 */
export class ClientCredentialsNotStored1764700000000 implements MigrationInterface {
  name = 'ClientCredentialsNotStored1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE oauth_clients ADD COLUMN tokens_revoked_at timestamptz`);
    await queryRunner.query(
      `UPDATE oauth_clients SET tokens_revoked_at = now()
        WHERE 'client_credentials' = ANY(grant_types) OR NOT is_active`,
    );
    await queryRunner.query(`DELETE FROM oidc_payloads WHERE model = 'ClientCredentials'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Tokens issued meanwhile have no record, so the older code refuses them: clients ask again.
    await queryRunner.query(`DELETE FROM oidc_payloads WHERE model = 'RevokedClientCredentials'`);
    await queryRunner.query(`ALTER TABLE oauth_clients DROP COLUMN tokens_revoked_at`);
  }
}
