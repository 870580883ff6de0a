import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '@portcullis/core';
import {
  CLIENT_AUTH_METHODS,
  CLIENT_TYPES,
  type ClientAuthMethod,
  type ClientEntity,
  type ClientJwks,
  type ClientType,
} from '@portcullis/oauth';

/** A registered client as the admin API shows it: never its secret or the secret's digest. */
export class ClientResponseDto {
  @ApiProperty({ example: 'calendar-app', description: 'The OAuth client_id; also the id in the paths' })
  client_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CLIENT_TYPES }) type: ClientType;
  @ApiProperty({ type: [String] }) redirect_uris: string[];
  @ApiProperty({ type: [String] }) post_logout_redirect_uris: string[];
  @ApiProperty({ type: [String] }) grant_types: string[];
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ enum: CLIENT_AUTH_METHODS }) token_endpoint_auth_method: ClientAuthMethod;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true })
  jwks: ClientJwks | null;
  @ApiProperty() skip_consent: boolean;
  @ApiProperty() is_active: boolean;
  @ApiProperty({ nullable: true, type: Number }) access_token_ttl: number | null;
  @ApiProperty({ nullable: true, type: Number }) refresh_token_ttl: number | null;
  @ApiProperty({ nullable: true, type: Number }) id_token_ttl: number | null;
  @ApiProperty({ nullable: true, type: String }) backchannel_logout_uri: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

/** A client just created: the only response that carries its secret. */
export class CreatedClientResponseDto extends ClientResponseDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Shown once, never again (only its digest is kept); null for clients without a secret',
  })
  client_secret: string | null;
}

export class ClientSecretResponseDto {
  @ApiProperty() client_id: string;
  @ApiProperty({ description: 'The new secret, shown once; the old one no longer works' })
  client_secret: string;
}

export class ClientPageDto extends PageOf(ClientResponseDto) {}

export function toClientResponse(client: ClientEntity): ClientResponseDto {
  return {
    client_id: client.clientId,
    name: client.name,
    type: client.type,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    scopes: client.scopes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    jwks: client.jwks,
    skip_consent: client.skipConsent,
    is_active: client.isActive,
    access_token_ttl: client.accessTokenTtl,
    refresh_token_ttl: client.refreshTokenTtl,
    id_token_ttl: client.idTokenTtl,
    backchannel_logout_uri: client.backchannelLogoutUri,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}
