import 'reflect-metadata';

import cluster from 'node:cluster';

import { AppConfig, ConfigValidationError } from '@portcullis/core';

import { runPrimary, workerCount } from './primary.js';
import { serve } from './serve.js';

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

  const workers = workerCount(config);
  if (cluster.isPrimary && workers > 1) await runPrimary(config, workers);
  else await serve(config);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `Portcullis failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
