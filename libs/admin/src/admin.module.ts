import { Module } from '@nestjs/common';
import { AuditModule } from '@portcullis/audit';
import { JobsModule } from '@portcullis/database';
import { SessionsModule } from '@portcullis/sessions';

import { AdminAuditController } from './audit/admin-audit.controller.js';
import { AdminJobsController } from './jobs/admin-jobs.controller.js';
import { AdminSessionsController } from './sessions/admin-sessions.controller.js';

/**
 * The admin API (/api/v1/admin): controllers composing the other libs' services, each route
 * guarded by the admin scope it names. Owns no tables.
 */
@Module({
  imports: [AuditModule, SessionsModule, JobsModule],
  controllers: [AdminAuditController, AdminJobsController, AdminSessionsController],
})
export class AdminModule {}
