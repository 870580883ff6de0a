import type { FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Logger, Level } from 'pino';

/** 5xx at error, 4xx at info, the rest at debug: a healthy API at the default level logs no requests. */
export function requestLogLevel(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'info' : 'debug';
}

/**
 * Logs each request once, when its response has been sent, with the request id, method, path
 * (never the query string), headers (redacted by the logger) and status. Nothing is built
 * unless the line's level is enabled.
 */
export function requestLogHook(logger: Logger): onResponseHookHandler {
  return function logRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const level = requestLogLevel(reply.statusCode);
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          request_id: request.id,
          req: {
            id: request.id,
            method: request.method,
            url: request.url.split('?', 1)[0],
            headers: request.headers,
          },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  };
}
