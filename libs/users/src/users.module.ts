import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { BootstrapAdminService } from './bootstrap-admin.service.js';
import { CredentialsService } from './credentials.service.js';
import { LoginThrottleEntity } from './login-throttle.entity.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PasswordPolicy } from './passwords/password-policy.js';
import { UserPreferencesEntity } from './preferences/user-preferences.entity.js';
import { UserPreferencesService } from './preferences/user-preferences.service.js';
import { RoleEntity } from './role.entity.js';
import { UserSnapshots } from './user-snapshots.js';
import { UserStatsService } from './user-stats.service.js';
import { RoleScopesService } from './role-scopes.service.js';
import { RolesService } from './roles.service.js';
import { UserEntity } from './user.entity.js';
import { UsersService } from './users.service.js';

const SERVICES = [
  PasswordHasher,
  PasswordPolicy,
  LoginThrottleService,
  CredentialsService,
  UsersService,
  RolesService,
  RoleScopesService,
  BootstrapAdminService,
  UserPreferencesService,
  UserStatsService,
  UserSnapshots,
];

/** Users, roles, passwords, sign-in checks and preferences. Needs CoreModule (AppConfig) and a TypeORM DataSource. */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, RoleEntity, LoginThrottleEntity, UserPreferencesEntity])],
  providers: SERVICES,
  exports: SERVICES,
})
export class UsersModule {}
