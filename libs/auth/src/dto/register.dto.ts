import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

export class RegisterDto {
  @ApiProperty({
    description: 'Letters, digits, dot, dash and underscore; 3 to 64 characters',
    example: 'ada',
  })
  @IsString()
  @Length(3, 64)
  @Matches(/^[\p{L}\p{N}._-]+$/u, { message: 'username may contain letters, digits, ".", "-" and "_" only' })
  username: string;

  @ApiProperty({ format: 'email', example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password', description: 'At least 12 characters; not a common password' })
  @IsString()
  @Length(1, 1024)
  password: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;

  @ApiPropertyOptional({ example: 'Ada' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  given_name?: string;

  @ApiPropertyOptional({ example: 'Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  family_name?: string;
}
