import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf, PageQueryDto, type Page } from '@portcullis/core';
import type { RoleWithUserCount } from '@portcullis/users';
import { ArrayMaxSize, IsArray, IsBoolean, IsString, Length, Matches, MaxLength } from 'class-validator';

import { IsOptionalNotNull } from '../../common/body-validators.js';
import { QueryBoolean } from '../../common/query-validators.js';

const SCOPES: { type: [StringConstructor]; example: string[] } = {
  type: [String],
  example: ['admin:users:read'],
};

export class CreateRoleDto {
  @ApiProperty({
    description:
      'Lower-case letters, digits, ".", "_", ":" and "-", starting with a letter; 2 to 64 characters',
    example: 'support',
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9._:-]{1,63}$/, {
    message: 'name must be 2 to 64 lower-case letters, digits, ".", "_", ":" or "-", starting with a letter',
  })
  name: string;

  @ApiPropertyOptional({ example: 'Help desk staff' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(512)
  description?: string;

  @ApiPropertyOptional({ ...SCOPES, description: 'Scopes that exist (GET /admin/scopes)' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  scopes?: string[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(512)
  description?: string;

  @ApiPropertyOptional({ ...SCOPES, description: 'Replaces the scopes' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  scopes?: string[];
}

/** Roles are listed by name; `order` flips it. */
export class RoleListQueryDto extends PageQueryDto {}

export class DeleteRoleQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Delete even if users hold it' })
  @IsOptionalNotNull()
  @QueryBoolean()
  @IsBoolean()
  force?: boolean;
}

export class RoleIdParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'id must be a UUID',
  })
  id: string;
}

export class RoleResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'support' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty(SCOPES) scopes: string[];
  @ApiProperty({ description: 'admin and user are built in and cannot be deleted' }) is_builtin: boolean;
  @ApiProperty({ description: 'Users holding the role' }) user_count: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class RolePageDto extends PageOf(RoleResponseDto) {}

export function toRoleResponse({ role, userCount }: RoleWithUserCount): RoleResponseDto {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    scopes: [...role.scopes].sort(),
    is_builtin: role.isBuiltin,
    user_count: userCount,
    created_at: role.createdAt.toISOString(),
    updated_at: role.updatedAt.toISOString(),
  };
}

export function toRolePage(page: Page<RoleWithUserCount>): RolePageDto {
  return { ...page, items: page.items.map(toRoleResponse) };
}
