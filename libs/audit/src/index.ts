export { AuditModule } from './audit.module.js';
export {
  AuditService,
  ANONYMOUS_ACTOR,
  SYSTEM_ACTOR,
  userActor,
  type AuditActor,
  type AuditRecord,
} from './audit.service.js';
export { AuditEventEntity, type AuditActorType, type AuditOutcome } from './audit-event.entity.js';
export { AuditAction, type AuditActionName } from './audit-actions.js';

import { AuditEventEntity } from './audit-event.entity.js';
export const AUDIT_ENTITIES = [AuditEventEntity];
