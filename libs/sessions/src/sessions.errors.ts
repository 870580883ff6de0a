import { defineErrors } from '@portcullis/core';

export enum SessionsErrorCode {
  SESSION_NOT_FOUND = 'SESSION_NOT_FOUND',
}

export const SessionsErrors = defineErrors<SessionsErrorCode>({
  [SessionsErrorCode.SESSION_NOT_FOUND]: { status: 404, title: 'Session not found' },
});
