import type { ClientAuthMethod, ClientJwks, ClientType } from './client.entity.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The grant types a client may be registered for: no password grant, no implicit. */
export const SUPPORTED_GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  DEVICE_CODE_GRANT,
] as const;

/** What an admin or the CLI registers; omitted fields take the defaults named here. */
export interface CreateClientInput {
  /** Generated when omitted. */
  clientId?: string;
  name: string;
  type: ClientType;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /** Default: authorization_code and refresh_token. */
  grantTypes?: string[];
  /** Default: openid profile email. */
  scopes?: string[];
  /** Default: client_secret_basic for confidential clients, none for public ones. */
  tokenEndpointAuthMethod?: ClientAuthMethod;
  jwks?: ClientJwks | null;
  skipConsent?: boolean;
  isActive?: boolean;
  accessTokenTtl?: number | null;
  refreshTokenTtl?: number | null;
  idTokenTtl?: number | null;
  backchannelLogoutUri?: string | null;
}

export type UpdateClientInput = Partial<Omit<CreateClientInput, 'clientId' | 'type'>>;

/** A client as created: the secret is in the clear here and nowhere else, ever. */
export interface CreatedClient<T> {
  client: T;
  clientSecret: string | null;
}

export const CLIENT_SORTS = ['created_at', 'updated_at', 'name', 'client_id'] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];

/** What the client list can be filtered and sorted by. */
export interface ClientListQuery {
  limit: number;
  offset: number;
  cursor?: string;
  sort: ClientSort;
  order: 'asc' | 'desc';
  isActive?: boolean;
  type?: ClientType;
  search?: string;
}

export interface ClientCounts {
  total: number;
  active: number;
}
