import type { FieldError } from '@portcullis/core';

import { SUPPORTED_GRANT_TYPES } from './client-input.js';
import type { ClientEntity } from './client.entity.js';

type ClientFields = Pick<
  ClientEntity,
  | 'clientId'
  | 'name'
  | 'type'
  | 'redirectUris'
  | 'postLogoutRedirectUris'
  | 'grantTypes'
  | 'tokenEndpointAuthMethod'
  | 'jwks'
  | 'accessTokenTtl'
  | 'refreshTokenTtl'
  | 'idTokenTtl'
  | 'backchannelLogoutUri'
>;

const CLIENT_ID = /^[A-Za-z0-9._~-]{3,128}$/;
const MAX_TTL_SECONDS = 366 * 86_400;

/** What makes a client's registration unusable, as field errors (empty when it is fine). */
export function clientMetadataErrors(client: ClientFields): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, code: string, message: string): void => {
    errors.push({ field, code, message });
  };
  if (!CLIENT_ID.test(client.clientId)) {
    fail('client_id', 'invalid', 'Use 3 to 128 letters, digits and . _ ~ -.');
  }
  if (client.name.trim().length === 0) fail('name', 'required', 'Name the client.');
  const secretMethod = client.tokenEndpointAuthMethod !== 'none';
  if (client.type === 'public' && secretMethod) {
    fail('token_endpoint_auth_method', 'public_client', 'A public client authenticates with "none".');
  }
  if (client.type === 'confidential' && !secretMethod) {
    fail('token_endpoint_auth_method', 'confidential_client', 'A confidential client must authenticate.');
  }
  if (client.tokenEndpointAuthMethod === 'private_key_jwt' && !client.jwks?.keys?.length) {
    fail('jwks', 'required', 'private_key_jwt needs the public keys (jwks).');
  }
  for (const grantType of client.grantTypes) {
    if (!(SUPPORTED_GRANT_TYPES as readonly string[]).includes(grantType)) {
      fail('grant_types', 'unsupported', `Unsupported grant type ${grantType}.`);
    }
  }
  if (client.grantTypes.includes('client_credentials') && client.type !== 'confidential') {
    fail('grant_types', 'public_client', 'Only confidential clients may use client_credentials.');
  }
  if (client.grantTypes.includes('authorization_code') && client.redirectUris.length === 0) {
    fail('redirect_uris', 'required', 'The authorization code flow needs at least one redirect URI.');
  }
  for (const uri of client.redirectUris) {
    if (!isRedirectUri(uri)) fail('redirect_uris', 'invalid', `Not an absolute URI without fragment: ${uri}`);
  }
  for (const uri of client.postLogoutRedirectUris) {
    if (!isRedirectUri(uri)) {
      fail('post_logout_redirect_uris', 'invalid', `Not an absolute URI without fragment: ${uri}`);
    }
  }
  if (client.backchannelLogoutUri !== null && !isHttpUri(client.backchannelLogoutUri)) {
    fail('backchannel_logout_uri', 'invalid', 'Use an http(s) URI without fragment.');
  }
  for (const [field, value] of [
    ['access_token_ttl', client.accessTokenTtl],
    ['refresh_token_ttl', client.refreshTokenTtl],
    ['id_token_ttl', client.idTokenTtl],
  ] as const) {
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > MAX_TTL_SECONDS)) {
      fail(field, 'out_of_range', `Use a whole number of seconds from 1 to ${MAX_TTL_SECONDS}.`);
    }
  }
  return errors;
}

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

function isRedirectUri(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && url.hash === '' && !uri.includes('#');
}

function isHttpUri(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:') && !uri.includes('#');
}
