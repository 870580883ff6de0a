import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@portcullis/core';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';

import { IsDateTime, QueryBoolean } from '../../common/query-validators.js';
import { USER_SORT_FIELDS, type UserSortField } from '../user-directory.query.js';

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: USER_SORT_FIELDS, default: 'created_at' })
  @IsOptional()
  @IsIn(USER_SORT_FIELDS)
  sort?: UserSortField;

  @ApiPropertyOptional({
    description: 'Case-insensitive substring of the username, e-mail, given name or family name',
    example: 'lovelace',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  search?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  email_verified?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'A sign-in lockout is in force on the username or e-mail',
  })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  is_locked?: boolean;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  requires_password_change?: boolean;

  @ApiPropertyOptional({ description: 'Users holding this role', example: 'admin' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  role?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after this instant' })
  @IsOptional()
  @IsDateTime()
  created_after?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before this instant' })
  @IsOptional()
  @IsDateTime()
  created_before?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Last signed in at or after this instant' })
  @IsOptional()
  @IsDateTime()
  last_login_after?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Last signed in before this instant' })
  @IsOptional()
  @IsDateTime()
  last_login_before?: string;

  @ApiPropertyOptional({ example: 'en-GB' })
  @IsOptional()
  @IsString()
  @Length(1, 35)
  locale?: string;

  @ApiPropertyOptional({ example: 'Europe/London' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  zoneinfo?: string;
}
