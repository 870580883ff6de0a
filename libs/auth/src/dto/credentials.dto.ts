import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ description: 'Username or e-mail address', example: 'ada' })
  @IsString()
  @Length(1, 254)
  username: string;

  @ApiProperty({ format: 'password', example: 'correct horse battery staple' })
  @IsString()
  @Length(1, 1024)
  password: string;

  @ApiPropertyOptional({
    description: 'Space-separated scopes; defaults to every scope the user may have',
    example: 'openid profile',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  scope?: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from the last login or refresh' })
  @IsString()
  @Length(1, 512)
  refresh_token: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, 1024)
  current_password: string;

  @ApiProperty({ format: 'password', description: 'Must satisfy the password policy' })
  @IsString()
  @Length(1, 1024)
  new_password: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'JWT access token for this API (ES256)' })
  access_token: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expires_in: number;

  @ApiProperty({ description: 'Rotates on every use; a used one ends the session' })
  refresh_token: string;

  @ApiProperty({ format: 'uuid' })
  session_id: string;

  @ApiProperty({ description: 'Space-separated granted scopes', example: 'openid profile email' })
  scope: string;

  @ApiProperty({
    description:
      'When true, only /auth/me, /auth/change-password and /auth/logout answer until the password is changed',
  })
  password_change_required: boolean;
}
