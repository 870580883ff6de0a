import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { UserEntity, UserWithRoleNames } from '@portcullis/users';

import { AddressDto } from './profile.dto.js';

/** A user as the user itself sees it. Never a password hash. */
export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty() email_verified: boolean;
  @ApiProperty() requires_password_change: boolean;
  @ApiProperty({ type: [String], example: ['user'] }) roles: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) name: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) given_name: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) family_name: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) middle_name: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) nickname: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) preferred_username: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) profile: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) picture: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) website: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) gender: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) birthdate: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) zoneinfo: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) locale: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone_number: string | null;
  @ApiProperty() phone_number_verified: boolean;
  @ApiPropertyOptional({ nullable: true, type: AddressDto }) address: AddressDto | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) last_login_at: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) password_changed_at:
    string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class MeResponseDto extends UserResponseDto {
  @ApiProperty({ type: [String], description: 'Scopes of the token used for this request' }) scopes: string[];
}

export function toUserResponse(user: UserEntity | UserWithRoleNames): UserResponseDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    requires_password_change: user.requiresPasswordChange,
    roles: (user.roles ?? []).map((role) => role.name).sort(),
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    middle_name: user.middleName,
    nickname: user.nickname,
    preferred_username: user.preferredUsername,
    profile: user.profile,
    picture: user.picture,
    website: user.website,
    gender: user.gender,
    birthdate: user.birthdate,
    zoneinfo: user.zoneinfo,
    locale: user.locale,
    phone_number: user.phoneNumber,
    phone_number_verified: user.phoneNumberVerified,
    address: user.address,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    password_changed_at: user.passwordChangedAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

/** Bodies built for frozen users, by user: the scopes they were built for and the body. */
const meResponses = new WeakMap<object, { scopes: readonly string[]; body: Readonly<MeResponseDto> }>();

/**
 * The GET /auth/me body: the user with the scopes of the caller's token. A frozen user (a
 * UserSnapshots copy, the same object until its row changes) gets its body built once per
 * list of scopes (the same array for every request with one token): /auth/me answers on every
 * request, and building thirty fields with four dates each time was a tenth of its cost.
 */
export function toMeResponse(user: UserWithRoleNames, scopes: readonly string[]): Readonly<MeResponseDto> {
  if (!Object.isFrozen(user)) return { ...toUserResponse(user), scopes: [...scopes] };
  const built = meResponses.get(user);
  if (built?.scopes === scopes) return built.body;
  const body = Object.freeze({ ...toUserResponse(user), scopes: [...scopes] });
  meResponses.set(user, { scopes, body });
  return body;
}
