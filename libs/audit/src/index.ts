export { AuditModule } from './audit.module.js';
export { AUDIT_REGION } from './audit.cache.js';
export {
  AuditService,
  AUDIT_CHAIN_LOCK,
  ANONYMOUS_ACTOR,
  SYSTEM_ACTOR,
  userActor,
  type AuditActor,
  type AuditRecord,
  type CapturedAuditEvent,
} from './audit.service.js';
export { AuditEventEntity, type AuditActorType, type AuditOutcome } from './audit-event.entity.js';
export { AuditAction, type AuditActionName } from './audit-actions.js';
export {
  canonicalAuditContent,
  canonicalJson,
  computeAuditHash,
  type AuditChainContent,
} from './audit-hash.js';
export { toAuditEventRecord, type AuditEventRecord } from './audit-event.record.js';
export { type AuditSearch } from './audit-search.js';
export { AuditQueryService, type AuditPageRequest } from './audit-query.service.js';
export {
  AuditChainVerifier,
  type AuditChainBreakReason,
  type AuditChainVerification,
} from './audit-chain-verifier.service.js';
export { AuditExportService, type AuditExport } from './audit-export.service.js';
export { type AuditExportFormat } from './audit-export.formats.js';
export { AuditStatsService } from './audit-stats.service.js';
export { AuditRetentionService } from './audit-retention.service.js';
export { AuditActivityService, ACCOUNT_ACTIVITY_ACTIONS } from './audit-activity.service.js';
export {
  AuditActivityActorDto,
  AuditActivityItemDto,
  AuditActivityPageDto,
  AuditActivityQueryDto,
  AuditActivityTargetDto,
  toAuditActivityItem,
  toAuditActivityPage,
} from './dto/audit-activity.dto.js';

import { AuditEventEntity } from './audit-event.entity.js';
export const AUDIT_ENTITIES = [AuditEventEntity];
export { AuditRetentionJob, AUDIT_RETENTION_JOB } from './audit-retention.job.js';
