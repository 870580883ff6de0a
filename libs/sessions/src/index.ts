export { SessionsModule } from './sessions.module.js';
export { SESSIONS_REGION } from './sessions.cache.js';
export {
  SessionsService,
  liveCondition,
  type SessionAccess,
  type SessionAccessWithUser,
  type SessionPageRequest,
  type StartSessionInput,
  type TokenAccessCondition,
} from './sessions.service.js';
export { SessionPruneJob, SESSION_PRUNE_JOB, untilShortBatch, type PruneStep } from './session-prune.job.js';
export { SessionEntity, sessionStatus, type SessionStatus } from './session.entity.js';
export { SessionsErrorCode, SessionsErrors } from './sessions.errors.js';
export type { RevokeReason, SessionRevocationHook } from './session-revocation.js';

import { SessionEntity } from './session.entity.js';
export const SESSIONS_ENTITIES = [SessionEntity];
export type { SessionStats, SessionSummary } from './session-stats.js';
