import 'reflect-metadata';

import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigValidationError, CoreModule } from '@portcullis/core';
import { DatabaseModule } from '@portcullis/database';

import { MIGRATIONS } from '../../../migrations/index.js';

/**
 * The worker: no HTTP, only scheduled maintenance. It boots the same core and database
 * modules as the API; the jobs themselves arrive with the scheduling work.
 */
@Module({})
class WorkerModule {
  static forRoot(config: AppConfig) {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config), DatabaseModule.forRoot({ migrations: MIGRATIONS })],
    };
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnvironment();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config));
  app.enableShutdownHooks();
  new Logger('Worker').log('Worker started');
}

void main();
