import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';
import { AuditChain1763900000000 } from './1763900000000-audit-chain.js';
import { UserPreferences1763900100000 } from './1763900100000-user-preferences.js';
import { ScheduledJobs1763900200000 } from './1763900200000-scheduled-jobs.js';
import { OAuthClientsScopesConsents1764000000000 } from './1764000000000-oauth-clients-scopes-consents.js';
import { AdminUserSearch1764100000000 } from './1764100000000-admin-user-search.js';
import { AuditActionOccurredAtIndex1764200000000 } from './1764200000000-audit-action-occurred-at-index.js';
import { OAuthClientChangeNotifications1764400000000 } from './1764400000000-oauth-client-change-notifications.js';
import { LoginThrottleUser1764500000000 } from './1764500000000-login-throttle-user.js';
import { UserRoleIds1764500000001 } from './1764500000001-user-role-ids.js';
import { AuditAppendFunction1764600000000 } from './1764600000000-audit-append-function.js';
import { OidcPayloadsPartialIndexes1764600000001 } from './1764600000001-oidc-payloads-partial-indexes.js';
import { ClientCredentialsNotStored1764700000000 } from './1764700000000-client-credentials-not-stored.js';

/** Every migration, oldest first. Listed explicitly so the app, the CLI and the tests agree. */
export const MIGRATIONS = [
  InitialSchema1763800000000,
  AuditChain1763900000000,
  UserPreferences1763900100000,
  ScheduledJobs1763900200000,
  OAuthClientsScopesConsents1764000000000,
  AdminUserSearch1764100000000,
  AuditActionOccurredAtIndex1764200000000,
  OAuthClientChangeNotifications1764400000000,
  LoginThrottleUser1764500000000,
  UserRoleIds1764500000001,
  AuditAppendFunction1764600000000,
  OidcPayloadsPartialIndexes1764600000001,
  ClientCredentialsNotStored1764700000000,
];
