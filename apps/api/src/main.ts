import 'reflect-metadata';

import { AppConfig, ConfigValidationError } from '@portcullis/core';
import { Logger } from 'nestjs-pino';

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

  // Loaded only once the configuration is known to be valid, so a bad value prints one line.
  const { createApiApp } = await import('./bootstrap.js');
  const app = await createApiApp(config);
  await app.listen({ host: config.get('HOST'), port: config.get('PORT') });

  // SIGTERM: stop accepting, let requests in flight finish (up to SHUTDOWN_GRACE_MS),
  // close the pool, exit 0. A second signal or the grace running out exits at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    app.get(Logger).log(`${signal} received: finishing requests in flight, then exiting`);
    setTimeout(() => process.exit(1), config.get('SHUTDOWN_GRACE_MS')).unref();
    // Fastify first (stop accepting, drain requests in flight), then Nest's shutdown hooks:
    // the password workers and the database pool must outlive the last request.
    app
      .getHttpAdapter()
      .getInstance()
      .close()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `Portcullis failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
