import { Module } from '@nestjs/common';
import { AuditModule } from '@portcullis/audit';
import { OAuthModule } from '@portcullis/oauth';
import { SessionsModule } from '@portcullis/sessions';
import { UsersModule } from '@portcullis/users';

import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { ConsentsController } from './consents.controller.js';
import { PreferencesController } from './preferences.controller.js';

/** The first-party JSON auth API and the guard every route passes through. */
@Module({
  imports: [UsersModule, SessionsModule, AuditModule, OAuthModule],
  controllers: [AuthController, PreferencesController, ConsentsController],
  providers: [AuthService, AuthGuard],
  exports: [AuthService, AuthGuard],
})
export class AuthModule {}
