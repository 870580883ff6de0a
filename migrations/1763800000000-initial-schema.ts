import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation schema: users and roles, login throttling, sessions, the audit trail and
 * the OAuth provider's storage (its records and the signing keys).
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS citext`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        username citext NOT NULL,
        email citext NOT NULL,
        email_verified boolean NOT NULL DEFAULT false,
        password_hash text NOT NULL,
        is_active boolean NOT NULL DEFAULT true,
        requires_password_change boolean NOT NULL DEFAULT false,
        last_login_at timestamptz,
        password_changed_at timestamptz,
        name text,
        given_name text,
        family_name text,
        middle_name text,
        nickname text,
        preferred_username text,
        profile text,
        picture text,
        website text,
        gender text,
        birthdate text,
        zoneinfo text,
        locale text,
        phone_number text,
        phone_number_verified boolean NOT NULL DEFAULT false,
        address jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_username UNIQUE (username),
        CONSTRAINT uq_users_email UNIQUE (email)
      )`);

    await queryRunner.query(`
      CREATE TABLE roles (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name citext NOT NULL,
        description text NOT NULL DEFAULT '',
        scopes text[] NOT NULL DEFAULT '{}',
        is_builtin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_roles PRIMARY KEY (id),
        CONSTRAINT uq_roles_name UNIQUE (name)
      )`);

    await queryRunner.query(`
      CREATE TABLE user_roles (
        user_id uuid NOT NULL,
        role_id uuid NOT NULL,
        CONSTRAINT pk_user_roles PRIMARY KEY (user_id, role_id),
        CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_user_roles_role FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX ix_user_roles_role_id ON user_roles (role_id)`);

    await queryRunner.query(`
      INSERT INTO roles (name, description, scopes, is_builtin) VALUES
        ('admin', 'Full administrative access', ARRAY[
          'admin:users:read', 'admin:users:write', 'admin:clients:read', 'admin:clients:write',
          'admin:scopes:read', 'admin:scopes:write', 'admin:sessions:read', 'admin:sessions:write',
          'admin:audit:read', 'admin:system:read', 'admin:system:write'
        ], true),
        ('user', 'A signed-up user', ARRAY[]::text[], true)`);

    // Failed-login counters per submitted identifier (SHA-256 of the normalised value), so
    // that every node sees the same count and unknown identifiers lock like real ones.
    await queryRunner.query(`
      CREATE TABLE login_throttles (
        identifier_hash bytea NOT NULL,
        failure_count integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_login_throttles PRIMARY KEY (identifier_hash)
      )`);
    await queryRunner.query(`CREATE INDEX ix_login_throttles_updated_at ON login_throttles (updated_at)`);

    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        client_id text NOT NULL,
        grant_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        idle_expires_at timestamptz NOT NULL,
        ip text,
        user_agent text,
        revoked_at timestamptz,
        revoke_reason text,
        CONSTRAINT pk_sessions PRIMARY KEY (id),
        CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_sessions_user_id_created_at ON sessions (user_id, created_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX ix_sessions_grant_id ON sessions (grant_id)`);
    await queryRunner.query(`CREATE INDEX ix_sessions_expires_at ON sessions (expires_at)`);
    await queryRunner.query(`CREATE INDEX ix_sessions_idle_expires_at ON sessions (idle_expires_at)`);
    await queryRunner.query(`CREATE INDEX ix_sessions_revoked_at ON sessions (revoked_at)`);

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        action text NOT NULL,
        outcome text NOT NULL,
        actor_type text NOT NULL,
        actor_id text,
        target_type text,
        target_id text,
        ip text,
        user_agent text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT pk_audit_events PRIMARY KEY (id),
        CONSTRAINT ck_audit_events_outcome CHECK (outcome IN ('success', 'failure')),
        CONSTRAINT ck_audit_events_actor_type CHECK (actor_type IN ('user', 'client', 'system', 'anonymous'))
      )`);
    await queryRunner.query(`CREATE INDEX ix_audit_events_occurred_at ON audit_events (occurred_at)`);
    await queryRunner.query(`CREATE INDEX ix_audit_events_actor ON audit_events (actor_id, occurred_at)`);
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_target ON audit_events (target_type, target_id, occurred_at)`,
    );
    await queryRunner.query(`CREATE INDEX ix_audit_events_request_id ON audit_events (request_id)`);

    // oidc-provider's records (grants, tokens, codes, sessions, interactions...). Bearer
    // values are never stored: `id` is the SHA-256 of the provider's id, and so is user_code.
    await queryRunner.query(`
      CREATE TABLE oidc_payloads (
        model text NOT NULL,
        id text NOT NULL,
        payload jsonb NOT NULL,
        grant_id text,
        user_code text,
        uid text,
        expires_at timestamptz,
        consumed_at timestamptz,
        CONSTRAINT pk_oidc_payloads PRIMARY KEY (model, id)
      )`);
    await queryRunner.query(`CREATE INDEX ix_oidc_payloads_grant_id ON oidc_payloads (grant_id)`);
    await queryRunner.query(`CREATE INDEX ix_oidc_payloads_uid ON oidc_payloads (model, uid)`);
    await queryRunner.query(`CREATE INDEX ix_oidc_payloads_user_code ON oidc_payloads (model, user_code)`);
    await queryRunner.query(`CREATE INDEX ix_oidc_payloads_expires_at ON oidc_payloads (expires_at)`);

    // Signing keys: the private half encrypted with AES-256-GCM under KEY_ENCRYPTION_KEY.
    await queryRunner.query(`
      CREATE TABLE signing_keys (
        kid text NOT NULL,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_key_ciphertext text NOT NULL,
        state text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        CONSTRAINT pk_signing_keys PRIMARY KEY (kid),
        CONSTRAINT ck_signing_keys_state CHECK (state IN ('active', 'retired'))
      )`);
    await queryRunner.query(`CREATE INDEX ix_signing_keys_state ON signing_keys (state, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'signing_keys',
      'oidc_payloads',
      'audit_events',
      'sessions',
      'login_throttles',
      'user_roles',
      'roles',
      'users',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
