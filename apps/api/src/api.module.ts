import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AdminModule } from '@portcullis/admin';
import { AuditModule } from '@portcullis/audit';
import { AuthGuard, AuthModule } from '@portcullis/auth';
import { type AppConfig, CoreModule, ProblemDetailsFilter, createValidationPipe } from '@portcullis/core';
import { DatabaseModule } from '@portcullis/database';
import { OAuthModule } from '@portcullis/oauth';
import { SessionsModule } from '@portcullis/sessions';
import { UsersModule } from '@portcullis/users';

import { MIGRATIONS } from '../../../migrations/index.js';
import { HealthController } from './health/health.controller.js';

/**
 * The API server: composes the lib modules and registers the global request pipeline
 * (guard, pipe, filter) here, so tests that boot this module get production's pipeline.
 */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config),
        DatabaseModule.forRoot({ migrations: MIGRATIONS }),
        TerminusModule.forRoot({ logger: false }),
        UsersModule,
        AuditModule,
        SessionsModule,
        OAuthModule,
        AuthModule,
        AdminModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
