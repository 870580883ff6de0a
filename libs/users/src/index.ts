export { UsersModule } from './users.module.js';
export { UsersService } from './users.service.js';
export { UserSnapshots } from './user-snapshots.js';
export { RoleScopesService } from './role-scopes.service.js';
export { USERS_REGION, ROLES_REGION, LOCKOUTS_REGION, userRegion, userChanged } from './users.cache.js';
export { UserStatsService, type UserStats } from './user-stats.service.js';
export {
  RolesService,
  type CreateRoleInput,
  type RoleDeletion,
  type RolePageRequest,
  type RoleUpdateResult,
  type RoleWithUserCount,
  type UpdateRoleInput,
} from './roles.service.js';
export { generatePassword } from './passwords/password-generator.js';
export { CredentialsService } from './credentials.service.js';
export {
  LoginThrottleService,
  type FailureOutcome,
  type LockState,
  type ThrottledUser,
} from './login-throttle.service.js';
export { BootstrapAdminService, type BootstrapResult } from './bootstrap-admin.service.js';
export { PasswordHasher } from './passwords/password-hasher.js';
export {
  PasswordPolicy,
  passwordPolicyViolation,
  type PasswordContext,
  type PasswordRules,
} from './passwords/password-policy.js';
export { type BcryptPoolStats } from './passwords/bcrypt-worker-pool.js';
export { UsersErrorCode, UsersErrors, AccountLockedError } from './users.errors.js';
export { ADMIN_SCOPES, ADMIN_ROLE, USER_ROLE, type AdminScope } from './roles.constants.js';
export {
  ACCOUNT_FIELDS,
  PROFILE_CLAIM_FIELDS,
  type AccountPatch,
  type AccountUpdateResult,
  type FieldChange,
  type CreateUserInput,
  type ProfileClaimField,
  type ProfileUpdateResult,
  type SetPasswordOptions,
  type UserProfilePatch,
  type UserWithRoleNames,
} from './users.types.js';
export { USERNAME_MAX_LENGTH, EMAIL_MAX_LENGTH, identityErrors, normalizeIdentity } from './user-identity.js';
export { normalizeIdentifier } from './login-identifier.js';
export { toOidcClaims, type OidcUserClaims } from './dto/user-profile.js';
export { UserEntity, type AddressClaim } from './user.entity.js';
export { ROLE_NAMES_COLUMN, USER_VERSION_COLUMN } from './user-profile.query.js';
export { RoleEntity } from './role.entity.js';
export { LoginThrottleEntity } from './login-throttle.entity.js';
export { UserPreferencesService } from './preferences/user-preferences.service.js';
export { UserPreferencesEntity } from './preferences/user-preferences.entity.js';
export { applyMergePatch } from './preferences/json-merge-patch.js';
export type { JsonObject, JsonValue } from './preferences/json-value.js';
export { PREFERENCES_MAX_BYTES, PREFERENCES_MAX_DEPTH } from './preferences/preferences-limits.js';

import { LoginThrottleEntity } from './login-throttle.entity.js';
import { UserPreferencesEntity } from './preferences/user-preferences.entity.js';
import { RoleEntity } from './role.entity.js';
import { UserEntity } from './user.entity.js';

export const USERS_ENTITIES = [UserEntity, RoleEntity, LoginThrottleEntity, UserPreferencesEntity];
