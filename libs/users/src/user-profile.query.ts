import type { AddressClaim } from './user.entity.js';
import type { UserWithRoleNames } from './users.types.js';

/** The names of the roles of `u`, as `role_names`. */
export const ROLE_NAMES_COLUMN = `ARRAY(SELECT r.name::text FROM user_roles ur JOIN roles r ON r.id = ur.role_id
         WHERE ur.user_id = u.id) AS role_names`;

/**
 * The version of `u`'s row, as `user_version`: PostgreSQL's xmin, the transaction that wrote
 * this version of the row. Every UPDATE writes a new version, whatever issues it (the ORM,
 * raw SQL, another node), so two reads that see the same xmin saw the same row.
 */
export const USER_VERSION_COLUMN = 'u.xmin::text AS user_version';

/** Every column of a user but the password hash, for a query over `users u`. */
const USER_COLUMNS = `
  u.id, u.username::text, u.email::text, u.email_verified, u.is_active, u.requires_password_change,
  u.last_login_at, u.password_changed_at, u.name, u.given_name, u.family_name, u.middle_name,
  u.nickname, u.preferred_username, u.profile, u.picture, u.website, u.gender, u.birthdate,
  u.zoneinfo, u.locale, u.phone_number, u.phone_number_verified, u.address, u.created_at,
  u.updated_at`;

/** Every column of a user but the password hash, and its role names, for a query over `users u`. */
export const USER_WITH_ROLE_NAMES_COLUMNS = `${USER_COLUMNS}, ${ROLE_NAMES_COLUMN}`;

/** A user with its role names and its row version, as a named prepared statement. */
export const USER_SNAPSHOT_QUERY = {
  name: 'portcullis_user_snapshot',
  text: `SELECT ${USER_WITH_ROLE_NAMES_COLUMNS}, ${USER_VERSION_COLUMN} FROM users u WHERE u.id = $1`,
};

/** A user with its role names in one indexed read, as a named prepared statement. */
export const USER_WITH_ROLE_NAMES_QUERY = {
  name: 'portcullis_user_with_role_names',
  text: `SELECT ${USER_WITH_ROLE_NAMES_COLUMNS} FROM users u WHERE u.id = $1`,
};

export interface UserWithRoleNamesRow {
  id: string;
  username: string;
  email: string;
  email_verified: boolean;
  is_active: boolean;
  requires_password_change: boolean;
  last_login_at: Date | null;
  password_changed_at: Date | null;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  middle_name: string | null;
  nickname: string | null;
  preferred_username: string | null;
  profile: string | null;
  picture: string | null;
  website: string | null;
  gender: string | null;
  birthdate: string | null;
  zoneinfo: string | null;
  locale: string | null;
  phone_number: string | null;
  phone_number_verified: boolean;
  address: AddressClaim | null;
  created_at: Date;
  updated_at: Date;
  role_names: string[];
}

export function toUserWithRoleNames(row: UserWithRoleNamesRow): UserWithRoleNames {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerified: row.email_verified,
    isActive: row.is_active,
    requiresPasswordChange: row.requires_password_change,
    lastLoginAt: row.last_login_at,
    passwordChangedAt: row.password_changed_at,
    name: row.name,
    givenName: row.given_name,
    familyName: row.family_name,
    middleName: row.middle_name,
    nickname: row.nickname,
    preferredUsername: row.preferred_username,
    profile: row.profile,
    picture: row.picture,
    website: row.website,
    gender: row.gender,
    birthdate: row.birthdate,
    zoneinfo: row.zoneinfo,
    locale: row.locale,
    phoneNumber: row.phone_number,
    phoneNumberVerified: row.phone_number_verified,
    address: row.address,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    roles: row.role_names.map((name) => ({ name })),
  };
}
