import { AUDIT_ENTITIES } from '@portcullis/audit';
import { DATABASE_ENTITIES } from '@portcullis/database';
import { OAUTH_ENTITIES } from '@portcullis/oauth';
import { SESSIONS_ENTITIES } from '@portcullis/sessions';
import { USERS_ENTITIES } from '@portcullis/users';

/** Every entity, for the TypeORM CLI (the app registers them per module with forFeature). */
export const ENTITIES = [
  ...DATABASE_ENTITIES,
  ...USERS_ENTITIES,
  ...AUDIT_ENTITIES,
  ...SESSIONS_ENTITIES,
  ...OAUTH_ENTITIES,
];
