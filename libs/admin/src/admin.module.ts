import { Module } from '@nestjs/common';
import { AuditModule } from '@portcullis/audit';
import { JobsModule } from '@portcullis/database';
import { OAuthModule } from '@portcullis/oauth';
import { SessionsModule } from '@portcullis/sessions';
import { UsersModule } from '@portcullis/users';

import { AdminAuditController } from './audit/admin-audit.controller.js';
import { AdminJobsController } from './jobs/admin-jobs.controller.js';
import { AdminRolesController } from './roles/admin-roles.controller.js';
import { AdminRolesService } from './roles/admin-roles.service.js';
import { AdminSessionsController } from './sessions/admin-sessions.controller.js';
import { AdminUserSessionsController } from './users/admin-user-sessions.controller.js';
import { AdminUsersController } from './users/admin-users.controller.js';
import { AdminUsersService } from './users/admin-users.service.js';

/**
 * The admin API (/api/v1/admin): controllers composing the other libs' services, each route
 * guarded by the admin scope it names. Owns no tables.
 */
@Module({
  imports: [AuditModule, SessionsModule, JobsModule, UsersModule, OAuthModule],
  controllers: [
    AdminAuditController,
    AdminJobsController,
    AdminSessionsController,
    AdminUsersController,
    AdminUserSessionsController,
    AdminRolesController,
  ],
  providers: [AdminUsersService, AdminRolesService],
  exports: [AdminUsersService, AdminRolesService],
})
export class AdminModule {}
