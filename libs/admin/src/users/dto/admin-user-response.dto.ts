import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AddressDto, toUserResponse } from '@portcullis/auth';
import { PageOf, type Page } from '@portcullis/core';

import type { AdminUserCreated, AdminUserDetail } from '../admin-users.service.js';
import type { UserDirectoryRow } from '../user-directory.query.js';

const NULLABLE_STRING = { nullable: true, type: String } as const;
const NULLABLE_DATE = { nullable: true, type: String, format: 'date-time' } as const;

/** A user in the admin list: the account, its roles, lock and live sessions. Never a secret. */
export class AdminUserListItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty() email_verified: boolean;
  @ApiProperty() is_active: boolean;
  @ApiProperty() requires_password_change: boolean;
  @ApiProperty({ type: [String], example: ['user'] }) roles: string[];
  @ApiProperty(NULLABLE_STRING) name: string | null;
  @ApiProperty(NULLABLE_STRING) given_name: string | null;
  @ApiProperty(NULLABLE_STRING) family_name: string | null;
  @ApiProperty(NULLABLE_STRING) locale: string | null;
  @ApiProperty(NULLABLE_STRING) zoneinfo: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty(NULLABLE_DATE) last_login_at: string | null;
  @ApiProperty({ description: 'A sign-in lockout is in force on the username or e-mail' }) locked: boolean;
  @ApiProperty(NULLABLE_DATE) locked_until: string | null;
  @ApiProperty({ description: 'Sessions neither ended nor expired' }) active_session_count: number;
}

export class AdminUserPageDto extends PageOf(AdminUserListItemDto) {}

/** Every admin-visible field of a user. */
export class AdminUserResponseDto extends AdminUserListItemDto {
  @ApiProperty(NULLABLE_STRING) middle_name: string | null;
  @ApiProperty(NULLABLE_STRING) nickname: string | null;
  @ApiProperty(NULLABLE_STRING) preferred_username: string | null;
  @ApiProperty(NULLABLE_STRING) profile: string | null;
  @ApiProperty(NULLABLE_STRING) picture: string | null;
  @ApiProperty(NULLABLE_STRING) website: string | null;
  @ApiProperty(NULLABLE_STRING) gender: string | null;
  @ApiProperty(NULLABLE_STRING) birthdate: string | null;
  @ApiProperty(NULLABLE_STRING) phone_number: string | null;
  @ApiProperty() phone_number_verified: boolean;
  @ApiProperty({ type: AddressDto, nullable: true }) address: AddressDto | null;
  @ApiProperty(NULLABLE_DATE) password_changed_at: string | null;
  @ApiProperty({ description: 'Failed sign-ins still counting toward a lockout' })
  failed_login_attempts: number;
}

export class AdminUserCreatedDto extends AdminUserResponseDto {
  @ApiPropertyOptional({
    description: 'Only with generate_password: shown this once, must be changed at the first sign-in',
  })
  temporary_password?: string;
}

export class TemporaryPasswordDto {
  @ApiProperty({ description: 'Shown this once; the user must change it at the next sign-in' })
  temporary_password: string;
}

export class RevokedCountDto {
  @ApiProperty({ example: 2 }) revoked_count: number;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toAdminUserListItem(row: UserDirectoryRow): AdminUserListItemDto {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    email_verified: row.email_verified,
    is_active: row.is_active,
    requires_password_change: row.requires_password_change,
    roles: row.roles,
    name: row.name,
    given_name: row.given_name,
    family_name: row.family_name,
    locale: row.locale,
    zoneinfo: row.zoneinfo,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_login_at: iso(row.last_login_at),
    locked: row.locked_until !== null,
    locked_until: iso(row.locked_until),
    active_session_count: row.active_session_count,
  };
}

export function toAdminUserPage(page: Page<UserDirectoryRow>): AdminUserPageDto {
  return { ...page, items: page.items.map(toAdminUserListItem) };
}

export function toAdminUserResponse({
  user,
  lock,
  activeSessionCount,
}: AdminUserDetail): AdminUserResponseDto {
  return {
    ...toUserResponse(user),
    is_active: user.isActive,
    locked: lock.locked,
    locked_until: iso(lock.lockedUntil),
    failed_login_attempts: lock.failureCount,
    active_session_count: activeSessionCount,
  };
}

export function toAdminUserCreated(created: AdminUserCreated): AdminUserCreatedDto {
  return {
    ...toAdminUserResponse(created.detail),
    ...(created.temporaryPassword ? { temporary_password: created.temporaryPassword } : {}),
  };
}
