export { OAuthModule } from './oauth.module.js';
export { OAuthErrorCode, OAuthErrors } from './oauth.errors.js';
export { KeysService, SIGNING_ALGORITHM } from './keys/keys.service.js';
export { KeyEncryption } from './keys/key-encryption.js';
export { SigningKeyEntity } from './keys/signing-key.entity.js';
export { OidcProviderService } from './provider/oidc-provider.service.js';
export { OAUTH_ROUTES, DISCOVERY_PATH, FIRST_PARTY_CLIENT_ID } from './provider/oauth-routes.js';
export { OIDC_SCOPES, SCOPE_CLAIMS } from './provider/oidc-claims.js';
export {
  FirstPartyTokensService,
  type IssuedTokens,
  type PresentedRefreshToken,
  type TokenSubject,
} from './first-party/first-party-tokens.service.js';
export { AccessTokenVerifier, type AccessTokenClaims } from './first-party/access-token.verifier.js';

import { SigningKeyEntity } from './keys/signing-key.entity.js';
export const OAUTH_ENTITIES = [SigningKeyEntity];
