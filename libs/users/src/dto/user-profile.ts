import type { AddressClaim, UserEntity } from '../user.entity.js';

/**
 * A user's OIDC standard claims (OpenID Connect Core §5.1), as the userinfo endpoint names them.
 * A type alias, not an interface, so it fits oidc-provider's index-signed AccountClaims.
 */
export type OidcUserClaims = {
  sub: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  middle_name?: string;
  nickname?: string;
  preferred_username: string;
  profile?: string;
  picture?: string;
  website?: string;
  email: string;
  email_verified: boolean;
  gender?: string;
  birthdate?: string;
  zoneinfo?: string;
  locale?: string;
  phone_number?: string;
  phone_number_verified?: boolean;
  address?: AddressClaim;
  /** Seconds since the epoch. */
  updated_at: number;
};

/**
 * The one mapping from a user to its claims, for the OIDC provider's findAccount and for the
 * auth API's /me alike. Claims without a value are left out rather than sent as null, as
 * Core §5.3.2 asks; preferred_username falls back to the username. Which claims a client
 * receives (by scope) is the provider's decision, not this function's.
 */
export function toOidcClaims(user: UserEntity): OidcUserClaims {
  const claims: OidcUserClaims = {
    sub: user.id,
    preferred_username: user.preferredUsername || user.username,
    email: user.email,
    email_verified: user.emailVerified,
    updated_at: Math.floor(user.updatedAt.getTime() / 1000),
  };
  const optional = {
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    middle_name: user.middleName,
    nickname: user.nickname,
    profile: user.profile,
    picture: user.picture,
    website: user.website,
    gender: user.gender,
    birthdate: user.birthdate,
    zoneinfo: user.zoneinfo,
    locale: user.locale,
  } satisfies Partial<Record<keyof OidcUserClaims, string | null>>;
  for (const [claim, value] of Object.entries(optional)) {
    if (value) (claims as unknown as Record<string, string>)[claim] = value;
  }
  if (user.phoneNumber) {
    claims.phone_number = user.phoneNumber;
    claims.phone_number_verified = user.phoneNumberVerified;
  }
  if (user.address && Object.values(user.address).some(Boolean)) claims.address = user.address;
  return claims;
}
