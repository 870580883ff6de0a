import cluster from 'node:cluster';

import type { AppConfig } from '@portcullis/core';
import { Logger } from 'nestjs-pino';

import { SHUTDOWN_MESSAGE } from './primary.js';

/**
 * Runs the API in this process until it is told to stop: by SIGTERM or SIGINT, or, in a
 * worker, by the primary (its shutdown message, or its IPC channel closing when it died).
 * Stopping: stop accepting, let requests in flight finish (up to SHUTDOWN_GRACE_MS), close the
 * pool, exit 0. A second signal or the grace running out exits at once with 1.
 */
export async function serve(config: AppConfig): Promise<void> {
  // Loaded only once the configuration is known to be valid, so a bad value prints one line.
  const { createApiApp } = await import('./bootstrap.js');
  const app = await createApiApp(config);
  await app.listen({ host: config.get('HOST'), port: config.get('PORT') });

  let stopping = false;
  let signalled = false;
  const stop = (reason: string, bySignal: boolean) => {
    if (stopping) {
      // Only a second signal forces: the primary's request and a signal sent to the whole
      // process group (Ctrl-C) arrive together and mean one stop.
      if (bySignal && signalled) process.exit(1);
      signalled ||= bySignal;
      return;
    }
    stopping = true;
    signalled = bySignal;
    app.get(Logger).log(`${reason}: finishing requests in flight, then exiting`);
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
  process.on('SIGTERM', () => stop('SIGTERM received', true));
  process.on('SIGINT', () => stop('SIGINT received', true));
  if (cluster.isWorker) {
    process.on('message', (message) => {
      if (message === SHUTDOWN_MESSAGE) stop('The primary is stopping', false);
    });
    // The primary died without a word (SIGKILL): a worker must not outlive it.
    process.on('disconnect', () => stop('The primary is gone', false));
  }
}
