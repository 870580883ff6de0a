import type { RoleEntity } from './role.entity.js';
import type { UserEntity } from './user.entity.js';

/** The OIDC standard claims (OpenID Connect Core §5.1) a user's profile holds, as entity fields. */
export const PROFILE_CLAIM_FIELDS = [
  'name',
  'givenName',
  'familyName',
  'middleName',
  'nickname',
  'preferredUsername',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phoneNumber',
  'phoneNumberVerified',
  'address',
] as const;

export type ProfileClaimField = (typeof PROFILE_CLAIM_FIELDS)[number];

/** A change to profile claims: an absent field stays as it is, `null` clears it. */
export type UserProfilePatch = Partial<Pick<UserEntity, ProfileClaimField>>;

export interface CreateUserInput {
  username: string;
  email: string;
  password: string;
  /** OIDC standard profile claims to start with. */
  profile?: UserProfilePatch;
  /** Role names; defaults to the built-in `user` role. */
  roles?: string[];
  emailVerified?: boolean;
  requiresPasswordChange?: boolean;
  isActive?: boolean;
}

export interface SetPasswordOptions {
  /** The user must choose a new password at the next sign-in. */
  requireChange: boolean;
}

export interface ProfileUpdateResult {
  user: UserEntity;
  /** The claims that really changed, with their new values; empty when nothing did. */
  changes: UserProfilePatch;
}

/** Account fields an admin may change besides the profile claims. */
export const ACCOUNT_FIELDS = [
  'username',
  'email',
  'isActive',
  'emailVerified',
  'requiresPasswordChange',
] as const;

/** An admin's change to a user: absent fields stay, `null` clears a profile claim. */
export type AccountPatch = UserProfilePatch & Partial<Pick<UserEntity, (typeof ACCOUNT_FIELDS)[number]>>;

/** One field's value before and after a change (never a secret). */
export interface FieldChange {
  old: unknown;
  new: unknown;
}

export interface AccountUpdateResult {
  before: UserEntity;
  user: UserEntity;
  /** The fields that really changed, by entity field name; empty when nothing did. */
  changes: Record<string, FieldChange>;
}

/** A user as it is shown: every field but the password hash, and only the names of its roles. */
export type UserWithRoleNames = Omit<UserEntity, 'passwordHash' | 'roles'> & {
  roles: Pick<RoleEntity, 'name'>[];
};
