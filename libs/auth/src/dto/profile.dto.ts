import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';

const NULLABLE = (_object: object, value: unknown) => value !== null;

function IsTimeZone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as Europe/Paris`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            new Intl.DateTimeFormat('en', { timeZone: value });
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

function IsLocaleTag(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isLocale',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a BCP 47 language tag such as fr-CA`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || value.length > 35) return false;
          try {
            return Intl.getCanonicalLocales(value).length === 1;
          } catch {
            return false;
          }
        },
      },
    });
}

const TEXT = { maxLength: 256 };
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class AddressDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1024) formatted?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(512) street_address?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) locality?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) postal_code?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) country?: string;
}

/**
 * The OpenID Connect standard claims a user may edit about itself. Send null to clear one.
 * E-mail, verification flags, roles and account state are not here: sending them is a 400.
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({ nullable: true, ...TEXT })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string | null;
  @ApiPropertyOptional({ nullable: true, ...TEXT })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsString()
  @MaxLength(256)
  given_name?: string | null;
  @ApiPropertyOptional({ nullable: true, ...TEXT })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsString()
  @MaxLength(256)
  family_name?: string | null;
  @ApiPropertyOptional({ nullable: true, ...TEXT })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsString()
  @MaxLength(256)
  middle_name?: string | null;
  @ApiPropertyOptional({ nullable: true, ...TEXT })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsString()
  @MaxLength(256)
  nickname?: string | null;
  @ApiPropertyOptional({ nullable: true, ...TEXT })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsString()
  @MaxLength(256)
  preferred_username?: string | null;

  @ApiPropertyOptional({ nullable: true, format: 'uri' })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  profile?: string | null;

  @ApiPropertyOptional({ nullable: true, format: 'uri' })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  picture?: string | null;

  @ApiPropertyOptional({ nullable: true, format: 'uri' })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  website?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'female' })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsString()
  @Length(1, 64)
  gender?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description: 'YYYY-MM-DD, YYYY, or 0000-MM-DD',
    example: '1815-12-10',
  })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsString()
  @Matches(/^(\d{4}|\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))$/, {
    message: 'birthdate must be YYYY-MM-DD or YYYY',
  })
  birthdate?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'Europe/London' })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsTimeZone()
  zoneinfo?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'en-GB' })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @IsLocaleTag()
  locale?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description: 'E.164; changing it clears phone_number_verified',
    example: '+441632960961',
  })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone_number must be in E.164 form, e.g. +441632960961' })
  phone_number?: string | null;

  @ApiPropertyOptional({ nullable: true, type: AddressDto })
  @ValidateIf(NULLABLE)
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto | null;
}
