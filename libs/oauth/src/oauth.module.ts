import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@portcullis/audit';
import { JobsModule } from '@portcullis/database';
import { SessionsModule } from '@portcullis/sessions';
import { UsersModule } from '@portcullis/users';

import { BrowserSessionsService } from './browser-sessions/browser-sessions.service.js';
import { ProviderSessionEnding } from './browser-sessions/provider-session-ending.js';
import { ActiveClientsCache } from './clients/active-clients.cache.js';
import { ClientEntity } from './clients/client.entity.js';
import { ClientTokens } from './clients/client-tokens.js';
import { ClientsService } from './clients/clients.service.js';
import { ConsentEntity } from './consents/consent.entity.js';
import { ConsentsService } from './consents/consents.service.js';
import { ProviderAuditEvents } from './events/provider-audit-events.js';
import { AccessTokenVerifier } from './first-party/access-token.verifier.js';
import { FirstPartyTokensService } from './first-party/first-party-tokens.service.js';
import { GrantLoader } from './grants/grant-loader.js';
import { InteractionsController } from './interactions/interactions.controller.js';
import { InteractionsService } from './interactions/interactions.service.js';
import { KeysService } from './keys/keys.service.js';
import { SigningKeyEntity } from './keys/signing-key.entity.js';
import { ExpiredProviderRecordsPruneStep } from './maintenance/expired-provider-records.prune-step.js';
import { KeyRotationJob } from './maintenance/key-rotation.job.js';
import { OidcProviderService } from './provider/oidc-provider.service.js';
import { ProviderAccountRecords } from './provider/provider-account-records.js';
import { ProviderRequestWrites } from './provider/provider-request-writes.js';
import { ScopeEntity } from './scopes/scope.entity.js';
import { ScopesService } from './scopes/scopes.service.js';
import { UserinfoUpdateController } from './userinfo/userinfo-update.controller.js';
import { UserinfoUpdateService } from './userinfo/userinfo-update.service.js';

/** The OAuth 2.1 / OpenID Connect provider and everything it keeps. */
@Module({
  imports: [
    TypeOrmModule.forFeature([SigningKeyEntity, ClientEntity, ScopeEntity, ConsentEntity]),
    UsersModule,
    SessionsModule,
    AuditModule,
    JobsModule,
  ],
  controllers: [InteractionsController, UserinfoUpdateController],
  providers: [
    KeysService,
    OidcProviderService,
    ProviderRequestWrites,
    FirstPartyTokensService,
    AccessTokenVerifier,
    ExpiredProviderRecordsPruneStep,
    KeyRotationJob,
    ClientsService,
    ClientTokens,
    ActiveClientsCache,
    ScopesService,
    ConsentsService,
    GrantLoader,
    BrowserSessionsService,
    ProviderSessionEnding,
    InteractionsService,
    ProviderAuditEvents,
    UserinfoUpdateService,
    ProviderAccountRecords,
  ],
  exports: [
    KeysService,
    OidcProviderService,
    FirstPartyTokensService,
    AccessTokenVerifier,
    ClientsService,
    ClientTokens,
    ScopesService,
    ConsentsService,
    ProviderAccountRecords,
  ],
})
export class OAuthModule {}
