import { Writable } from 'node:stream';

import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { REDACTED_PATHS, requestIdMixin } from './logging.options.js';
import { requestLogHook } from './request-log.hook.js';

function capturingLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[Redacted]' }, mixin: requestIdMixin },
    sink,
  );
  return { logger, lines };
}

function completed(statusCode: number) {
  const request = {
    id: 'req-1',
    method: 'GET',
    url: '/api/v1/auth/me?code=secret-code',
    headers: { authorization: 'Bearer eyJsecret', 'user-agent': 'test' },
  } as unknown as FastifyRequest;
  const reply = { statusCode, elapsedTime: 1.4 } as unknown as FastifyReply;
  return { request, reply };
}

describe(requestLogHook.name, () => {
  it('should log a failed request once with its request id, path and redacted headers', () => {
    const { logger, lines } = capturingLogger('info');
    const { request, reply } = completed(404);
    requestLogHook(logger).call(undefined as never, request, reply, () => undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      request_id: 'req-1',
      req: { method: 'GET', url: '/api/v1/auth/me', headers: { authorization: '[Redacted]' } },
      res: { statusCode: 404 },
    });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('should log nothing when the request level is below the configured level', () => {
    const { logger, lines } = capturingLogger('warn');
    const { request, reply } = completed(200);
    requestLogHook(logger).call(undefined as never, request, reply, () => undefined);
    expect(lines).toHaveLength(0);
  });

  it('should stamp lines logged inside a request with its request id', () => {
    const { logger, lines } = capturingLogger('info');
    const cls = ClsServiceManager.getClsService();
    cls.run(() => {
      cls.set(CLS_ID, 'req-2');
      logger.info('inside');
    });
    logger.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', request_id: 'req-2' });
    expect(lines[1]).not.toHaveProperty('request_id');
  });
});
