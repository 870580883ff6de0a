import { Module } from '@nestjs/common';
import { AuditModule } from '@portcullis/audit';
import { JobsModule } from '@portcullis/database';
import { OAuthModule } from '@portcullis/oauth';
import { SessionsModule } from '@portcullis/sessions';
import { UsersModule } from '@portcullis/users';

import { AdminAuditController } from './audit/admin-audit.controller.js';
import { AdminClientsController } from './clients/admin-clients.controller.js';
import { AdminClientsService } from './clients/admin-clients.service.js';
import { AdminDashboardController } from './dashboard/admin-dashboard.controller.js';
import { DashboardService } from './dashboard/dashboard.service.js';
import { AdminJobsController } from './jobs/admin-jobs.controller.js';
import { AdminKeysController } from './keys/admin-keys.controller.js';
import { AdminKeysService } from './keys/admin-keys.service.js';
import { AdminScopesController } from './scopes/admin-scopes.controller.js';
import { AdminScopesService } from './scopes/admin-scopes.service.js';
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
  imports: [AuditModule, SessionsModule, JobsModule, OAuthModule, UsersModule],
  controllers: [
    AdminAuditController,
    AdminJobsController,
    AdminSessionsController,
    AdminClientsController,
    AdminScopesController,
    AdminKeysController,
    AdminDashboardController,
    AdminUsersController,
    AdminUserSessionsController,
    AdminRolesController,
  ],
  providers: [
    AdminClientsService,
    AdminScopesService,
    AdminKeysService,
    DashboardService,
    AdminUsersService,
    AdminRolesService,
  ],
})
export class AdminModule {}
