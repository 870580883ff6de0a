import 'reflect-metadata';

import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@portcullis/audit';
import { AppConfig, ConfigValidationError, CoreModule } from '@portcullis/core';
import { DatabaseModule, JobsModule } from '@portcullis/database';
import { OAuthModule } from '@portcullis/oauth';
import { SessionsModule } from '@portcullis/sessions';

import { MIGRATIONS } from '../../../migrations/index.js';

/**
 * The worker: no HTTP, only the scheduled maintenance jobs, which the lib modules register.
 * Any number may run beside the API nodes; each tick runs once (see JobRunner).
 */
@Module({})
class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config),
        DatabaseModule.forRoot({ migrations: MIGRATIONS }),
        JobsModule,
        SessionsModule,
        OAuthModule,
        AuditModule,
      ],
    };
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    // Running the jobs is what the worker is for, whatever RUN_JOBS says.
    config = AppConfig.fromEnvironment(process.env, { RUN_JOBS: true });
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  new Logger('Worker').log('Worker started: running the scheduled jobs');
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `Portcullis worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
