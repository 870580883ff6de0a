import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf, PageQueryDto } from '@portcullis/core';
import { SCOPE_SORTS, type ScopeEntity, type ScopeSort } from '@portcullis/oauth';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

import { QueryBoolean } from '../../shared/query-boolean.js';

const DESCRIPTION_MAX = 500;

export class ScopeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SCOPE_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(SCOPE_SORTS)
  sort?: ScopeSort;

  @ApiPropertyOptional({ type: Boolean, description: 'Built-in (OIDC and admin) scopes or custom ones' })
  @IsOptional()
  @QueryBoolean()
  is_builtin?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name or the description' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  search?: string;
}

export class CreateScopeDto {
  @ApiProperty({
    example: 'calendar:read',
    description: 'Printable ASCII without spaces, quotes or backslashes; admin: is reserved',
    maxLength: 128,
  })
  @IsString()
  @Length(1, 128)
  name: string;

  @ApiPropertyOptional({
    example: 'See your calendar',
    description: 'Shown on the consent page',
    default: '',
  })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX)
  description?: string;
}

export class UpdateScopeDto {
  @ApiProperty({ example: 'See your calendar', description: 'Shown on the consent page' })
  @IsString()
  @MaxLength(DESCRIPTION_MAX)
  description: string;
}

export class ScopeResponseDto {
  @ApiProperty({ example: 'calendar:read' }) name: string;
  @ApiProperty({ description: 'Shown on the consent page' }) description: string;
  @ApiProperty({ description: 'OIDC and admin scopes: they cannot be changed or deleted' })
  is_builtin: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ScopePageDto extends PageOf(ScopeResponseDto) {}

export function toScopeResponse(scope: ScopeEntity): ScopeResponseDto {
  return {
    name: scope.name,
    description: scope.description,
    is_builtin: scope.isBuiltin,
    created_at: scope.createdAt.toISOString(),
  };
}
