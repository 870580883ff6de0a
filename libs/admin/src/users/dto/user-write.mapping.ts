import type { UpdateProfileDto } from '@portcullis/auth';
import type { AccountPatch, UserProfilePatch } from '@portcullis/users';

import type { AdminCreateUserInput } from '../admin-users.service.js';
import type { CreateAdminUserDto, UpdateAdminUserDto } from './user-write.dto.js';

/** The profile claims of a body, as entity fields (absent stays absent, null clears). */
function profileOf(body: UpdateProfileDto & { phone_number_verified?: boolean }): UserProfilePatch {
  return {
    name: body.name,
    givenName: body.given_name,
    familyName: body.family_name,
    middleName: body.middle_name,
    nickname: body.nickname,
    preferredUsername: body.preferred_username,
    profile: body.profile,
    picture: body.picture,
    website: body.website,
    gender: body.gender,
    birthdate: body.birthdate,
    zoneinfo: body.zoneinfo,
    locale: body.locale,
    phoneNumber: body.phone_number,
    phoneNumberVerified: body.phone_number_verified,
    address: body.address === undefined ? undefined : body.address === null ? null : { ...body.address },
  };
}

export function toCreateUserInput(body: CreateAdminUserDto): AdminCreateUserInput {
  return {
    username: body.username,
    email: body.email,
    password: body.password,
    generatePassword: body.generate_password,
    profile: profileOf(body),
    roles: body.roles,
    isActive: body.is_active,
    emailVerified: body.email_verified,
    requiresPasswordChange: body.requires_password_change,
  };
}

export function toAccountPatch(body: UpdateAdminUserDto): AccountPatch {
  return {
    ...profileOf(body),
    username: body.username,
    email: body.email,
    isActive: body.is_active,
    emailVerified: body.email_verified,
    requiresPasswordChange: body.requires_password_change,
  };
}
