import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '@portcullis/sessions';
import { UsersModule } from '@portcullis/users';

import { AccessTokenVerifier } from './first-party/access-token.verifier.js';
import { FirstPartyTokensService } from './first-party/first-party-tokens.service.js';
import { KeysService } from './keys/keys.service.js';
import { SigningKeyEntity } from './keys/signing-key.entity.js';
import { OidcProviderService } from './provider/oidc-provider.service.js';

/** The OAuth 2.1 / OpenID Connect provider and everything it keeps. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity]), UsersModule, SessionsModule],
  providers: [KeysService, OidcProviderService, FirstPartyTokensService, AccessTokenVerifier],
  exports: [KeysService, OidcProviderService, FirstPartyTokensService, AccessTokenVerifier],
})
export class OAuthModule {}
