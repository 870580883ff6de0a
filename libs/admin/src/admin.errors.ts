import { defineErrors } from '@portcullis/core';

/** The admin API's own rules; the other libs' codes (USER_NOT_FOUND, ROLE_IN_USE...) pass through. */
export enum AdminErrorCode {
  CANNOT_REMOVE_OWN_ADMIN_ROLE = 'CANNOT_REMOVE_OWN_ADMIN_ROLE',
  CANNOT_DEACTIVATE_SELF = 'CANNOT_DEACTIVATE_SELF',
  CANNOT_DELETE_SELF = 'CANNOT_DELETE_SELF',
  LAST_ACTIVE_ADMIN = 'LAST_ACTIVE_ADMIN',
  UNKNOWN_SCOPE = 'UNKNOWN_SCOPE',
}

// 409 throughout: the caller may do these things to others; it conflicts with the state
// (who is asking, who else is an admin), not with the caller's permissions.
export const AdminErrors = defineErrors<AdminErrorCode>({
  [AdminErrorCode.CANNOT_REMOVE_OWN_ADMIN_ROLE]: {
    status: 409,
    title: 'You cannot remove your own admin role',
  },
  [AdminErrorCode.CANNOT_DEACTIVATE_SELF]: { status: 409, title: 'You cannot deactivate your own account' },
  [AdminErrorCode.CANNOT_DELETE_SELF]: { status: 409, title: 'You cannot delete your own account' },
  [AdminErrorCode.LAST_ACTIVE_ADMIN]: {
    status: 409,
    title: 'The last active admin cannot be demoted, deactivated or deleted',
  },
  [AdminErrorCode.UNKNOWN_SCOPE]: { status: 400, title: 'A role may only hold scopes that exist' },
});
