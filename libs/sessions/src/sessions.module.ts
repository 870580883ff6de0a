import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsModule } from '@portcullis/database';
import { UsersModule } from '@portcullis/users';

import { SessionEntity } from './session.entity.js';
import { SessionPruneJob } from './session-prune.job.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity]), JobsModule, UsersModule],
  providers: [SessionsService, SessionPruneJob],
  exports: [SessionsService, SessionPruneJob],
})
export class SessionsModule {}
