import { availableParallelism, hostname } from 'node:os';

import {
  parseBoolean,
  parseCron,
  parseDurationSeconds,
  parseInteger,
  parseKey32,
  parseList,
  parseNonEmpty,
  parseOneOf,
  parseUrl,
} from './config.parsers.js';

interface Variable<T> {
  /** One line for .env.example and the README. */
  description: string;
  parse: (raw: string) => T;
  /** Used when the variable is unset or empty; `undefined` leaves the setting unset. */
  default?: string;
  /** Must be set when NODE_ENV=production (never generated there). */
  requiredInProduction?: boolean;
  secret?: boolean;
}

function variable<S extends Variable<unknown>>(spec: S): S {
  return spec;
}

/**
 * Every environment variable Portcullis reads, in one place: the config loader, the
 * `.env.example` drift test and the README table all come from this list.
 */
export const CONFIG_VARIABLES = {
  NODE_ENV: variable({
    description: 'development, production or test; production refuses generated secrets',
    parse: parseOneOf('development', 'production', 'test'),
    default: 'development',
  }),
  HOST: variable({
    description: 'Interface the HTTP server listens on',
    parse: parseNonEmpty,
    default: '0.0.0.0',
  }),
  PORT: variable({ description: 'HTTP port', parse: parseInteger(0, 65535), default: '3000' }),
  ISSUER_URL: variable({
    description: 'Public base URL of this server; the OAuth/OIDC issuer (defaults to http://localhost:PORT)',
    parse: parseUrl(['http:', 'https:']),
  }),
  LOG_LEVEL: variable({
    description: 'fatal, error, warn, info, debug, trace or silent',
    parse: parseOneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    default: 'info',
  }),
  CORS_ORIGINS: variable({
    description: 'Comma-separated origins allowed by CORS (the admin SPA in development); empty allows none',
    parse: parseList,
    default: '',
  }),
  BODY_LIMIT_BYTES: variable({
    description: 'Largest request body accepted; larger answers 413',
    parse: parseInteger(1024, 10 * 1024 * 1024),
    default: '65536',
  }),
  SHUTDOWN_GRACE_MS: variable({
    description: 'On SIGTERM, how long requests in flight may take to finish',
    parse: parseInteger(0, 600_000),
    default: '10000',
  }),
  TRUST_PROXY: variable({
    description: 'Trust X-Forwarded-* from a reverse proxy (for client IPs and https issuers)',
    parse: parseBoolean,
    default: 'false',
  }),
  DATA_DIR: variable({
    description: 'Local state: embedded PostgreSQL data and generated development keys',
    parse: parseNonEmpty,
    default: './.data',
  }),
  DATABASE_URL: variable({
    description: 'postgres:// URL; unset starts an embedded PostgreSQL under DATA_DIR',
    parse: parseUrl(['postgres:', 'postgresql:']),
    secret: true,
  }),
  DATABASE_POOL_SIZE: variable({
    description: 'Connections per node',
    parse: parseInteger(1, 200),
    default: '10',
  }),
  EMBEDDED_DATABASE_PORT: variable({
    description: 'Port of the embedded PostgreSQL (only when DATABASE_URL is unset)',
    parse: parseInteger(1024, 65535),
    default: '5488',
  }),
  MIGRATIONS_RUN: variable({
    description: 'Run pending migrations at start',
    parse: parseBoolean,
    default: 'true',
  }),
  REDIS_URL: variable({
    description: 'redis:// URL for the shared cache; unset uses an in-memory cache',
    parse: parseUrl(['redis:', 'rediss:']),
    secret: true,
  }),
  CACHE_ENABLED: variable({
    description:
      'Cache admin reads (in memory, or in Redis when REDIS_URL is set); false reads the database every time',
    parse: parseBoolean,
    default: 'true',
  }),
  CACHE_MAX_ENTRIES: variable({
    description: 'Entries the in-memory cache keeps before it evicts the oldest (without REDIS_URL)',
    parse: parseInteger(100, 10_000_000),
    default: '10000',
  }),
  CACHE_NAMESPACE: variable({
    description: 'Prefix of every cache key, so deployments sharing one Redis stay apart',
    parse: parseNonEmpty,
    default: 'portcullis',
  }),
  KEY_ENCRYPTION_KEY: variable({
    description:
      '32 bytes, base64: encrypts private signing keys (generated into DATA_DIR outside production)',
    parse: parseKey32,
    requiredInProduction: true,
    secret: true,
  }),
  ACCESS_TOKEN_TTL: variable({
    description: 'Lifetime of access tokens (seconds, or 15m, 1h)',
    parse: parseDurationSeconds,
    default: '900',
  }),
  SESSION_TTL: variable({
    description: 'Absolute lifetime of a session and its refresh tokens',
    parse: parseDurationSeconds,
    default: '30d',
  }),
  SESSION_IDLE_TTL: variable({
    description: 'A session unused for this long expires',
    parse: parseDurationSeconds,
    default: '7d',
  }),
  ALLOW_REGISTRATION: variable({
    description: 'Allow self-service registration at /api/v1/auth/register',
    parse: parseBoolean,
    default: 'true',
  }),
  BCRYPT_COST: variable({
    description: 'bcrypt work factor for new hashes',
    parse: parseInteger(4, 15),
    default: '12',
  }),
  API_WORKERS: variable({
    description:
      'Processes serving the API on one port (defaults to the number of cores; always 1 with the embedded PostgreSQL)',
    parse: parseInteger(1, 64),
    default: String(availableParallelism()),
  }),
  PASSWORD_HASH_THREADS: variable({
    description:
      'Worker threads reserved for password hashing (defaults to the number of cores, shared among API_WORKERS)',
    parse: parseInteger(1, 64),
    default: String(availableParallelism()),
  }),
  PASSWORD_MIN_LENGTH: variable({
    description: 'Shortest password accepted (characters)',
    parse: parseInteger(8, 128),
    default: '12',
  }),
  PASSWORD_MAX_LENGTH: variable({
    description: 'Longest password accepted (characters)',
    parse: parseInteger(64, 1024),
    default: '128',
  }),
  PASSWORD_REQUIRE_CLASSES: variable({
    description: 'Also require upper case, lower case, a digit and a symbol',
    parse: parseBoolean,
    default: 'false',
  }),
  LOCKOUT_THRESHOLD: variable({
    description: 'Consecutive failed logins for one identifier before it is locked',
    parse: parseInteger(1, 1000),
    default: '5',
  }),
  LOCKOUT_WINDOW: variable({
    description: 'Failures further apart than this start the count again',
    parse: parseDurationSeconds,
    default: '15m',
  }),
  LOCKOUT_DURATION: variable({
    description: 'How long a locked identifier stays locked',
    parse: parseDurationSeconds,
    default: '30m',
  }),
  ADMIN_USERNAME: variable({
    description: 'Bootstrap admin created at start when no active admin exists',
    parse: parseNonEmpty,
    default: 'admin',
  }),
  ADMIN_EMAIL: variable({
    description: 'E-mail of the bootstrap admin',
    parse: parseNonEmpty,
    default: 'admin@localhost',
  }),
  ADMIN_PASSWORD: variable({
    description: 'Password of the bootstrap admin; unset prints a one-time password that must be changed',
    parse: parseNonEmpty,
    secret: true,
  }),
  RUN_JOBS: variable({
    description: 'Run the scheduled maintenance jobs in this process',
    parse: parseBoolean,
    default: 'true',
  }),
  NODE_NAME: variable({
    description: 'This node in job run records and logs (defaults to the host name)',
    parse: parseNonEmpty,
    default: hostname(),
  }),
  SESSION_PRUNE_SCHEDULE: variable({
    description: 'Cron expression of the session-prune job (UTC)',
    parse: parseCron,
    default: '*/15 * * * *',
  }),
  SESSION_RETENTION: variable({
    description: 'Ended sessions are kept this long before the prune job deletes them',
    parse: parseDurationSeconds,
    default: '7d',
  }),
  PRUNE_BATCH_SIZE: variable({
    description: 'Rows deleted per statement by the prune jobs (for sessions: pages holding about as many)',
    parse: parseInteger(100, 100_000),
    default: '5000',
  }),
  PRUNE_DUTY_PERCENT: variable({
    description:
      'Share of their run the prune jobs spend deleting; they rest between batches for the rest (100: no rest)',
    parse: parseInteger(1, 100),
    default: '25',
  }),
  KEY_ROTATION_SCHEDULE: variable({
    description: 'Cron expression of the key-rotation job (UTC)',
    parse: parseCron,
    default: '0 3 * * *',
  }),
  KEY_ROTATION_DAYS: variable({
    description: 'Age at which the key-rotation job replaces the signing key',
    parse: parseInteger(1, 3650),
    default: '90',
  }),
  AUDIT_RETENTION_SCHEDULE: variable({
    description: 'Cron expression of the audit-retention job (UTC)',
    parse: parseCron,
    default: '30 3 * * *',
  }),
  AUDIT_RETENTION_DAYS: variable({
    description:
      'Audit events older than this are deleted by the audit-retention job; unset keeps them forever',
    parse: parseInteger(1, 36500),
  }),
} as const;

export type ConfigVariableName = keyof typeof CONFIG_VARIABLES;

type ParsedValue<V> = V extends { parse: (raw: string) => infer T } ? T : never;
type HasDefault<V> = V extends { default: string } ? true : false;

/** The parsed configuration: settings with a default are always present. */
export type ConfigValues = {
  [K in ConfigVariableName]: HasDefault<(typeof CONFIG_VARIABLES)[K]> extends true
    ? ParsedValue<(typeof CONFIG_VARIABLES)[K]>
    : ParsedValue<(typeof CONFIG_VARIABLES)[K]> | undefined;
};
