import { ApiProperty, PickType } from '@nestjs/swagger';
import { PageOf, PageQueryDto } from '@portcullis/core';
import type { SigningKeySummary } from '@portcullis/oauth';

/** Keys are listed newest first; they page by offset or cursor like every list. */
export class SigningKeyListQueryDto extends PickType(PageQueryDto, ['limit', 'offset', 'cursor'] as const) {}

/** A signing key's public facts: never its private half. */
export class SigningKeyResponseDto {
  @ApiProperty({ description: 'RFC 7638 thumbprint, the kid in token headers and the JWKS' }) kid: string;
  @ApiProperty({ example: 'ES256' }) alg: string;
  @ApiProperty({ enum: ['active', 'retired'], description: 'The active key signs; retired keys only verify' })
  state: 'active' | 'retired';
  @ApiProperty({ description: 'Whether it is in the JWKS now' }) published: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) retired_at: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When a retired key leaves the JWKS (every token it signed has expired by then)',
  })
  published_until: string | null;
}

export class SigningKeyPageDto extends PageOf(SigningKeyResponseDto) {}

export function toSigningKeyResponse(key: SigningKeySummary): SigningKeyResponseDto {
  return {
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    published: key.published,
    created_at: key.createdAt.toISOString(),
    retired_at: key.retiredAt?.toISOString() ?? null,
    published_until: key.publishedUntil?.toISOString() ?? null,
  };
}
