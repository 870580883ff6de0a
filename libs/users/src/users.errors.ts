import { DomainError, defineErrors } from '@portcullis/core';

export enum UsersErrorCode {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
  PASSWORD_POLICY_VIOLATION = 'PASSWORD_POLICY_VIOLATION',
  USERNAME_TAKEN = 'USERNAME_TAKEN',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  CURRENT_PASSWORD_INCORRECT = 'CURRENT_PASSWORD_INCORRECT',
  ROLE_NOT_FOUND = 'ROLE_NOT_FOUND',
  ROLE_NAME_TAKEN = 'ROLE_NAME_TAKEN',
  ROLE_BUILTIN = 'ROLE_BUILTIN',
  ROLE_IN_USE = 'ROLE_IN_USE',
  PREFERENCES_TOO_LARGE = 'PREFERENCES_TOO_LARGE',
  PREFERENCES_TOO_DEEP = 'PREFERENCES_TOO_DEEP',
}

export const UsersErrors = defineErrors<UsersErrorCode>({
  [UsersErrorCode.INVALID_CREDENTIALS]: { status: 401, title: 'Invalid username, e-mail or password' },
  [UsersErrorCode.ACCOUNT_LOCKED]: { status: 429, title: 'Too many failed sign-in attempts' },
  [UsersErrorCode.PASSWORD_POLICY_VIOLATION]: {
    status: 400,
    title: 'The password does not meet the password policy',
  },
  [UsersErrorCode.USERNAME_TAKEN]: { status: 409, title: 'The username is already taken' },
  [UsersErrorCode.EMAIL_TAKEN]: { status: 409, title: 'The e-mail address is already registered' },
  [UsersErrorCode.USER_NOT_FOUND]: { status: 404, title: 'No such user' },
  // 400, not 401: the caller is authenticated and only a body field is wrong. A 401 would
  // tell clients their token is bad, and many would sign the user out or retry a refresh.
  [UsersErrorCode.CURRENT_PASSWORD_INCORRECT]: { status: 400, title: 'The current password is incorrect' },
  [UsersErrorCode.ROLE_NOT_FOUND]: { status: 404, title: 'No such role' },
  [UsersErrorCode.ROLE_NAME_TAKEN]: { status: 409, title: 'A role with this name already exists' },
  [UsersErrorCode.ROLE_BUILTIN]: {
    status: 409,
    title: 'Built-in roles cannot be deleted or have their scopes changed',
  },
  [UsersErrorCode.ROLE_IN_USE]: { status: 409, title: 'The role is held by users' },
  [UsersErrorCode.PREFERENCES_TOO_LARGE]: { status: 413, title: 'The preferences are too large' },
  [UsersErrorCode.PREFERENCES_TOO_DEEP]: { status: 413, title: 'The preferences are nested too deeply' },
});

const LOCKED = UsersErrors.table[UsersErrorCode.ACCOUNT_LOCKED];

/**
 * ACCOUNT_LOCKED with its `Retry-After`. `lockedByThisAttempt` is true only for the failure
 * that reached the threshold, so a caller can audit the lockout once, not every refusal after it.
 */
export class AccountLockedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly lockedByThisAttempt: boolean,
  ) {
    super(
      UsersErrorCode.ACCOUNT_LOCKED,
      LOCKED.status,
      LOCKED.title,
      `Try again in ${retryAfterSeconds} seconds.`,
      undefined,
      {
        'Retry-After': String(retryAfterSeconds),
      },
    );
  }
}
