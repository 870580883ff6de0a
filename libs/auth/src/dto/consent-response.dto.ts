import { ApiProperty } from '@nestjs/swagger';
import type { ConsentEntity } from '@portcullis/oauth';

export class ConsentResponseDto {
  @ApiProperty({ description: 'The client you allowed' }) client_id: string;
  @ApiProperty({ description: 'Its name, as the consent page showed it' }) client_name: string;
  @ApiProperty({ type: [String], description: 'The scopes you allowed it, sorted' }) scopes: string[];
  @ApiProperty({ format: 'date-time', description: 'When you first allowed it anything' }) created_at: string;
  @ApiProperty({ format: 'date-time', description: 'When you last allowed it more' }) updated_at: string;
}

export class ConsentListResponseDto {
  @ApiProperty({ type: [ConsentResponseDto] }) items: ConsentResponseDto[];
}

export function toConsentResponse(consent: ConsentEntity): ConsentResponseDto {
  return {
    client_id: consent.clientId,
    client_name: consent.client?.name ?? consent.clientId,
    scopes: consent.scopes,
    created_at: consent.createdAt.toISOString(),
    updated_at: consent.updatedAt.toISOString(),
  };
}
