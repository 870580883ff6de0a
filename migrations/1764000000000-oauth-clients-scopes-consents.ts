import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OAuth clients (secrets as SHA-256 digests), the scopes they may ask for, the consents users
 * gave them, and the link from every provider record to the browser session it belongs to.
 */
export class OAuthClientsScopesConsents1764000000000 implements MigrationInterface {
  name = 'OAuthClientsScopesConsents1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE oauth_scopes (
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        is_builtin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_oauth_scopes PRIMARY KEY (name)
      )`);
    await queryRunner.query(`
      INSERT INTO oauth_scopes (name, description, is_builtin) VALUES
        ('openid', 'Sign you in', true),
        ('profile', 'See your name, username, picture and other profile details', true),
        ('email', 'See your e-mail address', true),
        ('address', 'See your postal address', true),
        ('phone', 'See your phone number', true),
        ('offline_access', 'Stay signed in when you are not using it', true),
        ('admin:users:read', 'See every user account', true),
        ('admin:users:write', 'Create, change and disable user accounts', true),
        ('admin:clients:read', 'See the registered applications', true),
        ('admin:clients:write', 'Register and change applications', true),
        ('admin:scopes:read', 'See the permission scopes', true),
        ('admin:scopes:write', 'Define permission scopes', true),
        ('admin:sessions:read', 'See everyone''s sessions', true),
        ('admin:sessions:write', 'End anyone''s sessions', true),
        ('admin:audit:read', 'Read the audit log', true),
        ('admin:system:read', 'See the system status, keys and jobs', true),
        ('admin:system:write', 'Rotate keys and run maintenance jobs', true)`);

    await queryRunner.query(`
      CREATE TABLE oauth_clients (
        client_id text NOT NULL,
        client_secret_digest text,
        name text NOT NULL,
        type text NOT NULL,
        redirect_uris text array NOT NULL DEFAULT '{}',
        post_logout_redirect_uris text array NOT NULL DEFAULT '{}',
        grant_types text array NOT NULL DEFAULT '{}',
        scopes text array NOT NULL DEFAULT '{}',
        token_endpoint_auth_method text NOT NULL,
        jwks jsonb,
        skip_consent boolean NOT NULL DEFAULT false,
        is_active boolean NOT NULL DEFAULT true,
        access_token_ttl integer,
        refresh_token_ttl integer,
        id_token_ttl integer,
        backchannel_logout_uri text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_oauth_clients PRIMARY KEY (client_id),
        CONSTRAINT ck_oauth_clients_type CHECK (type IN ('confidential', 'public')),
        CONSTRAINT ck_oauth_clients_auth_method CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'))
      )`);

    await queryRunner.query(`
      CREATE TABLE oauth_consents (
        user_id uuid NOT NULL,
        client_id text NOT NULL,
        scopes text array NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_oauth_consents PRIMARY KEY (user_id, client_id),
        CONSTRAINT fk_oauth_consents_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_oauth_consents_client FOREIGN KEY (client_id) REFERENCES oauth_clients (client_id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX ix_oauth_consents_client_id ON oauth_consents (client_id)`);

    // The browser session (a sessions row) each provider session, code and token belongs to.
    await queryRunner.query(`ALTER TABLE oidc_payloads ADD COLUMN session_id uuid`);
    await queryRunner.query(`CREATE INDEX ix_oidc_payloads_session_id ON oidc_payloads (session_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_oidc_payloads_session_id`);
    await queryRunner.query(`ALTER TABLE oidc_payloads DROP COLUMN session_id`);
    await queryRunner.query(`DROP TABLE oauth_consents`);
    await queryRunner.query(`DROP TABLE oauth_clients`);
    await queryRunner.query(`DROP TABLE oauth_scopes`);
  }
}
