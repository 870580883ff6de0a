import { defineErrors } from '@portcullis/core';

export enum OAuthErrorCode {
  INVALID_TOKEN = 'INVALID_TOKEN',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  SESSION_EXPIRED = 'SESSION_EXPIRED',
  CLIENT_NOT_FOUND = 'CLIENT_NOT_FOUND',
  CLIENT_ID_TAKEN = 'CLIENT_ID_TAKEN',
  INVALID_CLIENT_METADATA = 'INVALID_CLIENT_METADATA',
  SCOPE_NOT_FOUND = 'SCOPE_NOT_FOUND',
  SCOPE_TAKEN = 'SCOPE_TAKEN',
  SCOPE_BUILTIN = 'SCOPE_BUILTIN',
  CLAIMS_NOT_GRANTED = 'CLAIMS_NOT_GRANTED',
  CONSENT_NOT_FOUND = 'CONSENT_NOT_FOUND',
}

export const OAuthErrors = defineErrors<OAuthErrorCode>({
  [OAuthErrorCode.INVALID_TOKEN]: { status: 401, title: 'The access token is invalid or expired' },
  [OAuthErrorCode.INVALID_REFRESH_TOKEN]: { status: 401, title: 'The refresh token is invalid or expired' },
  [OAuthErrorCode.REFRESH_TOKEN_REUSED]: {
    status: 401,
    title: 'The refresh token was already used; the session has been ended',
  },
  [OAuthErrorCode.SESSION_EXPIRED]: { status: 401, title: 'The session has ended' },
  [OAuthErrorCode.CLIENT_NOT_FOUND]: { status: 404, title: 'No such client' },
  [OAuthErrorCode.CLIENT_ID_TAKEN]: { status: 409, title: 'The client id is already taken' },
  [OAuthErrorCode.INVALID_CLIENT_METADATA]: { status: 400, title: 'The client metadata is invalid' },
  [OAuthErrorCode.SCOPE_NOT_FOUND]: { status: 404, title: 'No such scope' },
  [OAuthErrorCode.SCOPE_TAKEN]: { status: 409, title: 'The scope already exists' },
  [OAuthErrorCode.SCOPE_BUILTIN]: { status: 409, title: 'Built-in scopes cannot be changed' },
  [OAuthErrorCode.CLAIMS_NOT_GRANTED]: {
    status: 400,
    title: 'Only the claims the granted scopes cover can be changed',
  },
  [OAuthErrorCode.CONSENT_NOT_FOUND]: { status: 404, title: 'No consent given to this client' },
});
