import { defineErrors } from '@portcullis/core';

export enum AuthErrorCode {
  MISSING_TOKEN = 'MISSING_TOKEN',
  SESSION_ENDED = 'SESSION_ENDED',
  TOKEN_REVOKED = 'TOKEN_REVOKED',
  INSUFFICIENT_SCOPE = 'INSUFFICIENT_SCOPE',
  USER_TOKEN_REQUIRED = 'USER_TOKEN_REQUIRED',
  PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED',
  REGISTRATION_DISABLED = 'REGISTRATION_DISABLED',
}

export const AuthErrors = defineErrors<AuthErrorCode>({
  [AuthErrorCode.MISSING_TOKEN]: { status: 401, title: 'A bearer access token is required' },
  [AuthErrorCode.SESSION_ENDED]: { status: 401, title: 'The session of this token has ended' },
  [AuthErrorCode.TOKEN_REVOKED]: { status: 401, title: 'The access token has been revoked' },
  [AuthErrorCode.INSUFFICIENT_SCOPE]: { status: 403, title: 'The token lacks a required scope' },
  [AuthErrorCode.USER_TOKEN_REQUIRED]: {
    status: 403,
    title: "This route acts for a user: a client's own token cannot call it",
  },
  [AuthErrorCode.PASSWORD_CHANGE_REQUIRED]: { status: 403, title: 'The password must be changed first' },
  [AuthErrorCode.REGISTRATION_DISABLED]: { status: 403, title: 'Registration is disabled' },
});
