import type { IncomingMessage, ServerResponse } from 'node:http';

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

export function loggingOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.get('LOG_LEVEL'),
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      // The id Fastify assigned (see requestIdFor), so log lines and responses agree.
      genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id: string }).id,
      // Every line of a request carries `request_id`. (A customProps binding would cost a
      // second child logger, with redaction, on every request.)
      customAttributeKeys: { reqId: 'request_id' },
      serializers: {
        req: (request: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
          id: request.id,
          method: request.method,
          url: request.url?.split('?')[0],
          headers: request.headers,
        }),
      },
      customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'info' : 'debug',
      quietReqLogger: true,
    },
  };
}
