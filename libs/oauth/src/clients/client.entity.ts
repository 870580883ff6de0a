import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

export const CLIENT_TYPES = ['confidential', 'public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** Public keys of a private_key_jwt client (JWK members are strings). */
export interface ClientJwks {
  keys: Record<string, string>[];
}

/** A registered OAuth client. The secret is kept only as its SHA-256 digest. */
@Entity({ name: 'oauth_clients' })
@Check('ck_oauth_clients_type', `type IN ('confidential', 'public')`)
@Check(
  'ck_oauth_clients_auth_method',
  `token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none')`,
)
export class ClientEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_oauth_clients' })
  clientId: string;

  @Column({ type: 'text', nullable: true, select: false })
  clientSecretDigest: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  type: ClientType;

  @Column({ type: 'text', array: true, default: '{}' })
  redirectUris: string[];

  @Column({ type: 'text', array: true, default: '{}' })
  postLogoutRedirectUris: string[];

  @Column({ type: 'text', array: true, default: '{}' })
  grantTypes: string[];

  @Column({ type: 'text', array: true, default: '{}' })
  scopes: string[];

  @Column({ type: 'text' })
  tokenEndpointAuthMethod: ClientAuthMethod;

  /** Public keys for private_key_jwt. */
  @Column({ type: 'jsonb', nullable: true })
  jwks: ClientJwks | null;

  /** First-party applications: no consent page. */
  @Column({ type: 'boolean', default: false })
  skipConsent: boolean;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'integer', nullable: true })
  accessTokenTtl: number | null;

  @Column({ type: 'integer', nullable: true })
  refreshTokenTtl: number | null;

  @Column({ type: 'integer', nullable: true })
  idTokenTtl: number | null;

  @Column({ type: 'text', nullable: true })
  backchannelLogoutUri: string | null;

  /**
   * When the client was last deactivated: its client_credentials tokens, which are not stored
   * (ClientTokens), stand only if issued after it. Not exposed.
   */
  @Column({ type: 'timestamptz', nullable: true, select: false })
  tokensRevokedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
