import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';

import { fillRequestContext } from './request-context.js';

/**
 * Opens the request context (request id, ip, user agent) for everything the request runs.
 * A plain Fastify onRequest hook instead of nestjs-cls's Nest middleware, which ran through
 * @fastify/middie and a chain of awaits on every request for the same result.
 */
export function requestContextHook(): onRequestHookHandler {
  const cls = ClsServiceManager.getClsService();
  return function enterRequestContext(request: FastifyRequest, _reply: FastifyReply, done): void {
    cls.run(() => {
      cls.set(CLS_ID, request.id);
      fillRequestContext(cls, { ip: request.ip, headers: request.headers });
      done();
    });
  };
}
