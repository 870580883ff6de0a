import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CLIENT_AUTH_METHODS,
  CLIENT_TYPES,
  SUPPORTED_GRANT_TYPES,
  type ClientAuthMethod,
  type ClientJwks,
  type ClientType,
} from '@portcullis/oauth';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  registerDecorator,
} from 'class-validator';

import { ValidateIfPresent } from '../../shared/present.js';

const MAX_URIS = 20;
const MAX_URI_LENGTH = 2000;

/** A JWK Set of public keys: `{keys: [{kty, ...}]}`, members strings, at most 10 keys. */
function IsPublicJwks() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPublicJwks',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be {keys: [...]} with 1 to 10 public JWKs of string members`,
      },
      validator: {
        validate: (value: unknown) => {
          if (value === null) return true;
          const keys = (value as { keys?: unknown } | undefined)?.keys;
          return (
            typeof value === 'object' &&
            Object.keys(value as object).length === 1 &&
            Array.isArray(keys) &&
            keys.length >= 1 &&
            keys.length <= 10 &&
            keys.every(
              (key: unknown) =>
                typeof key === 'object' &&
                key !== null &&
                !Array.isArray(key) &&
                typeof (key as Record<string, unknown>).kty === 'string' &&
                !('d' in key) &&
                Object.values(key).every((member) => typeof member === 'string' && member.length <= 4096),
            )
          );
        },
      },
    });
}

/** The fields a client shares between create and PATCH; on PATCH, only the fields sent change. */
export class ClientSettingsDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Matched exactly (no wildcards, no prefix matching)',
    example: ['https://app.example/callback'],
  })
  @ValidateIfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_URIS)
  @IsString({ each: true })
  @MaxLength(MAX_URI_LENGTH, { each: true })
  redirect_uris?: string[];

  @ApiPropertyOptional({ type: [String] })
  @ValidateIfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_URIS)
  @IsString({ each: true })
  @MaxLength(MAX_URI_LENGTH, { each: true })
  post_logout_redirect_uris?: string[];

  @ApiPropertyOptional({
    enum: SUPPORTED_GRANT_TYPES,
    isArray: true,
    default: ['authorization_code', 'refresh_token'],
  })
  @ValidateIfPresent()
  @IsArray()
  @ArrayMaxSize(SUPPORTED_GRANT_TYPES.length)
  @IsIn(SUPPORTED_GRANT_TYPES, { each: true })
  grant_types?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Scopes the client may ask for; each must exist',
    default: ['openid', 'profile', 'email'],
  })
  @ValidateIfPresent()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  scopes?: string[];

  @ApiPropertyOptional({
    enum: CLIENT_AUTH_METHODS,
    description: 'Default: client_secret_basic for confidential clients, none for public ones',
  })
  @ValidateIfPresent()
  @IsIn(CLIENT_AUTH_METHODS)
  token_endpoint_auth_method?: ClientAuthMethod;

  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Public keys for private_key_jwt: {keys: [JWK...]}',
  })
  @IsOptional()
  @IsPublicJwks()
  jwks?: ClientJwks | null;

  @ApiPropertyOptional({ description: 'First-party application: no consent page', default: false })
  @ValidateIfPresent()
  @IsBoolean()
  skip_consent?: boolean;

  @ApiPropertyOptional({
    description: 'A deactivated client can do nothing; its tokens are revoked',
    default: true,
  })
  @ValidateIfPresent()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    description: 'Seconds; null for the default',
  })
  @IsOptional()
  @IsInt()
  access_token_ttl?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    description: 'Seconds; null for the default',
  })
  @IsOptional()
  @IsInt()
  refresh_token_ttl?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    description: 'Seconds; null for the default',
  })
  @IsOptional()
  @IsInt()
  id_token_ttl?: number | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'https://app.example/backchannel-logout' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_URI_LENGTH)
  backchannel_logout_uri?: string | null;
}

export class CreateClientDto extends ClientSettingsDto {
  @ApiPropertyOptional({
    description: 'Generated when left out; 3 to 128 letters, digits and . _ ~ -',
    example: 'calendar-app',
  })
  @IsOptional()
  @IsString()
  @Length(3, 128)
  client_id?: string;

  @ApiProperty({ enum: CLIENT_TYPES })
  @IsIn(CLIENT_TYPES)
  type: ClientType;

  @ApiProperty({ example: 'Calendar app', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;
}
