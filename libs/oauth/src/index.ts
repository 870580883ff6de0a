export { OAuthModule } from './oauth.module.js';
export { CLIENTS_REGION } from './clients/clients.cache.js';
export { OAuthErrorCode, OAuthErrors } from './oauth.errors.js';
export {
  KeysService,
  SIGNING_ALGORITHM,
  type KeyRotation,
  type KeyRotationHook,
  type SigningKeySummary,
} from './keys/keys.service.js';
export { KeyEncryption } from './keys/key-encryption.js';
export { SigningKeyEntity } from './keys/signing-key.entity.js';
export { OidcProviderService } from './provider/oidc-provider.service.js';
export { ProviderAccountRecords } from './provider/provider-account-records.js';
export { KEY_ROTATION_JOB } from './maintenance/key-rotation.job.js';
export {
  OAUTH_ROUTES,
  DISCOVERY_PATH,
  OAUTH_METADATA_PATH,
  FIRST_PARTY_CLIENT_ID,
  INTERACTION_PATH_PREFIX,
} from './provider/oauth-routes.js';
export { ClientsService } from './clients/clients.service.js';
export { ClientTokens } from './clients/client-tokens.js';
export { clientSecretDigest } from './clients/client-secret.js';
export {
  SUPPORTED_GRANT_TYPES,
  DEVICE_CODE_GRANT,
  type CreateClientInput,
  type UpdateClientInput,
  type CreatedClient,
  type ClientCounts,
  type ClientListQuery,
  type ClientSort,
  CLIENT_SORTS,
} from './clients/client-input.js';
export {
  ClientEntity,
  CLIENT_TYPES,
  CLIENT_AUTH_METHODS,
  type ClientType,
  type ClientAuthMethod,
  type ClientJwks,
} from './clients/client.entity.js';
export { ScopesService, SCOPE_NAME, RESERVED_SCOPE_PREFIX } from './scopes/scopes.service.js';
export { SCOPE_SORTS, type ScopeSort, type ScopeListQuery, type DeletedScope } from './scopes/scope-input.js';
export { ScopeEntity } from './scopes/scope.entity.js';
export { ConsentsService } from './consents/consents.service.js';
export { ConsentEntity } from './consents/consent.entity.js';
export { OAuthAuditAction } from './events/oauth-audit-actions.js';
export { registerInteractionFormParser } from './interactions/interaction-form-parser.js';
export { OIDC_SCOPES, SCOPE_CLAIMS } from './provider/oidc-claims.js';
export {
  FirstPartyTokensService,
  type IssuedTokens,
  type PresentedRefreshToken,
  type TokenSubject,
} from './first-party/first-party-tokens.service.js';
export {
  AccessTokenVerifier,
  type AccessTokenClaims,
  type ClientTokenClaims,
  type UserTokenClaims,
} from './first-party/access-token.verifier.js';

import { ClientEntity } from './clients/client.entity.js';
import { ConsentEntity } from './consents/consent.entity.js';
import { SigningKeyEntity } from './keys/signing-key.entity.js';
import { ScopeEntity } from './scopes/scope.entity.js';
export const OAUTH_ENTITIES = [SigningKeyEntity, ClientEntity, ScopeEntity, ConsentEntity];
