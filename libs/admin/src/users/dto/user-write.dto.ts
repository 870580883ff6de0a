import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UpdateProfileDto } from '@portcullis/auth';
import { EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH } from '@portcullis/users';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsString, Length, MaxLength } from 'class-validator';

import { IsOptionalNotNull } from '../../common/body-validators.js';

/**
 * A new user: any OIDC profile claim, roles and account flags, and either `password` (the
 * policy applies) or `generate_password: true` (a one-time password is answered once and must
 * be changed at the first sign-in).
 */
export class CreateAdminUserDto extends UpdateProfileDto {
  @ApiProperty({ example: 'ada', maxLength: USERNAME_MAX_LENGTH })
  @IsString()
  @Length(1, USERNAME_MAX_LENGTH)
  username: string;

  @ApiProperty({ format: 'email', example: 'ada@example.com', maxLength: EMAIL_MAX_LENGTH })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;

  @ApiPropertyOptional({ format: 'password', description: 'Give this or generate_password: true' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 1024)
  password?: string;

  @ApiPropertyOptional({ description: 'Answer a strong one-time temporary_password instead of taking one' })
  @IsOptionalNotNull()
  @IsBoolean()
  generate_password?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['user'], description: 'Role names; default ["user"]' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  roles?: string[];

  @ApiPropertyOptional({ default: true }) @IsOptionalNotNull() @IsBoolean() is_active?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptionalNotNull() @IsBoolean() email_verified?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptionalNotNull() @IsBoolean() phone_number_verified?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Always true with generate_password' })
  @IsOptionalNotNull()
  @IsBoolean()
  requires_password_change?: boolean;
}

/** A change to a user: only the fields sent. Setting is_active false ends its sessions. */
export class UpdateAdminUserDto extends UpdateProfileDto {
  @ApiPropertyOptional({ maxLength: USERNAME_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, USERNAME_MAX_LENGTH)
  username?: string;

  @ApiPropertyOptional({ format: 'email', maxLength: EMAIL_MAX_LENGTH })
  @IsOptionalNotNull()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string;

  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() is_active?: boolean;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() email_verified?: boolean;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() phone_number_verified?: boolean;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() requires_password_change?: boolean;
}

export class SetUserRolesDto {
  @ApiProperty({
    type: [String],
    example: ['user'],
    description: 'Every role the user is to hold (replaces the current ones)',
  })
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  roles: string[];
}
