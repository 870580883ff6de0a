import { randomBytes } from 'node:crypto';

import type { BenchConfig } from './bench-config.js';
import { freePort } from './free-port.js';
import { resultsDirectory } from './report.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

const API_MAIN = new URL('../apps/api/src/main.js', import.meta.url);
const BARE_SERVER = new URL('./bare-server.js', import.meta.url);
const OIDC_BASELINE_SERVER = new URL('./oidc-baseline-server.js', import.meta.url);

/**
 * The API as production starts it (`node dist/apps/api/src/main.js`), on the bench's own
 * database. The environment is built from scratch rather than inherited, so a developer's
 * REDIS_URL or LOG_LEVEL cannot change what is measured. API_WORKERS and PASSWORD_HASH_THREADS
 * keep their defaults (one process per core, the cores' hashing threads shared among them)
 * unless BENCH_API_WORKERS or BENCH_PASSWORD_HASH_THREADS ask otherwise.
 */
export async function startApiServer(config: BenchConfig, databaseUrl: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: 'API server',
    script: API_MAIN,
    port,
    readyPath: '/health/ready',
    nodeArgs: config.profile
      ? ['--cpu-prof', `--cpu-prof-dir=${new URL('profiles', resultsDirectory).pathname}`]
      : [],
    env: {
      ...apiServerEnvironment(databaseUrl, port, randomBytes(24).toString('base64url')),
      BCRYPT_COST: String(config.bcryptCost),
      // The highest the config accepts: no seeded user may lock during the run (logins succeed
      // and reset their counter anyway; this guards the odd failed one).
      LOCKOUT_THRESHOLD: '1000',
      // Logins abandoned by autocannon at the end of a run would otherwise hold the stop up.
      SHUTDOWN_GRACE_MS: '3000',
      // The admin scenario measures the database path: no cache in front of it. (The config
      // ignores variables it does not know, so this is harmless before the cache exists.)
      CACHE_ENABLED: 'false',
      ...(config.passwordHashThreads ? { PASSWORD_HASH_THREADS: String(config.passwordHashThreads) } : {}),
      ...(config.apiWorkers ? { API_WORKERS: String(config.apiWorkers) } : {}),
    },
  });
}

/** The node:http baseline, answering `body` with `contentType` to every request. */
export async function startBareServer(body: string, contentType: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: 'bare node:http server',
    script: BARE_SERVER,
    port,
    readyPath: '/',
    env: { PATH: process.env.PATH, PORT: String(port), BARE_BODY: body, BARE_CONTENT_TYPE: contentType },
  });
}

export interface OidcBaselineOptions {
  clientId: string;
  clientSecret: string;
  scope: string;
}

/** Out-of-the-box oidc-provider issuing ES256 JWT access tokens to one client_credentials client. */
export async function startOidcBaselineServer(options: OidcBaselineOptions): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: 'oidc-provider baseline',
    script: OIDC_BASELINE_SERVER,
    port,
    readyPath: '/.well-known/openid-configuration',
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      BASELINE_CLIENT_ID: options.clientId,
      BASELINE_CLIENT_SECRET: options.clientSecret,
      BASELINE_SCOPE: options.scope,
    },
  });
}

/**
 * What every bench API child runs with: loopback only, quiet logs, a fresh key-encryption key,
 * and a known admin password, so that no one-time password is generated and printed.
 */
export function apiServerEnvironment(
  databaseUrl: string,
  port: number,
  adminPassword: string,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ADMIN_PASSWORD: adminPassword,
  };
}
