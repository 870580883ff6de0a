import { defineErrors } from '@portcullis/core';

export enum OAuthErrorCode {
  INVALID_TOKEN = 'INVALID_TOKEN',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  SESSION_EXPIRED = 'SESSION_EXPIRED',
}

export const OAuthErrors = defineErrors<OAuthErrorCode>({
  [OAuthErrorCode.INVALID_TOKEN]: { status: 401, title: 'The access token is invalid or expired' },
  [OAuthErrorCode.INVALID_REFRESH_TOKEN]: { status: 401, title: 'The refresh token is invalid or expired' },
  [OAuthErrorCode.REFRESH_TOKEN_REUSED]: {
    status: 401,
    title: 'The refresh token was already used; the session has been ended',
  },
  [OAuthErrorCode.SESSION_EXPIRED]: { status: 401, title: 'The session has ended' },
});
