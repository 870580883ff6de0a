import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsModule } from '@portcullis/database';

import { AuditActivityService } from './audit-activity.service.js';
import { AuditChainVerifier } from './audit-chain-verifier.service.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuditExportService } from './audit-export.service.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditRetentionJob } from './audit-retention.job.js';
import { AuditRetentionService } from './audit-retention.service.js';
import { AuditStatsService } from './audit-stats.service.js';
import { AuditService } from './audit.service.js';

const SERVICES = [
  AuditService,
  AuditQueryService,
  AuditChainVerifier,
  AuditExportService,
  AuditRetentionService,
  AuditActivityService,
  AuditStatsService,
];

@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity]), JobsModule],
  providers: [...SERVICES, AuditRetentionJob],
  exports: SERVICES,
})
export class AuditModule {}
