import { ClsServiceManager } from 'nestjs-cls';
import type { Params } from 'nestjs-pino';

import type { AppConfig } from '../config/app-config.js';

/** Paths pino replaces with "[Redacted]": credentials never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.current_password',
  '*.new_password',
  '*.temporary_password',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.client_secret',
  '*.token',
  '*.code',
  '*.code_verifier',
];

/**
 * Adds the current request's id to a line logged inside a request. Called only for lines
 * that are actually written, so a request that logs nothing costs nothing.
 */
export function requestIdMixin(): { request_id?: string } {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? { request_id: cls.getId() } : {};
}

/**
 * One root pino logger for the whole process; nestjs-pino's per-request middleware is not
 * mounted (`forRoutes: []`): it built a child logger with its own redaction on every request.
 * Instead the request id comes from the request context (requestIdMixin), and each request is
 * logged once when it completes (requestLogHook).
 */
export function loggingOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.get('LOG_LEVEL'),
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      mixin: requestIdMixin,
    },
    forRoutes: [],
  };
}
