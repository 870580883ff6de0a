import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { CoreErrorCode, CoreErrors } from './core.errors.js';
import { DomainError } from './domain-error.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problemType } from './problem-details.js';

/** Fastify's own errors that are the client's fault, by their `code`. */
const FASTIFY_ERRORS: Record<string, CoreErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: CoreErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CoreErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: CoreErrorCode.MALFORMED_REQUEST,
  FST_ERR_CTP_EMPTY_JSON_BODY: CoreErrorCode.MALFORMED_REQUEST,
  FST_ERR_CTP_INVALID_JSON_BODY: CoreErrorCode.MALFORMED_REQUEST,
  FST_ERR_CTP_EMPTY_TYPE: CoreErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_TYPE: CoreErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

const HTTP_STATUS_CODES: Record<number, CoreErrorCode> = {
  400: CoreErrorCode.MALFORMED_REQUEST,
  401: CoreErrorCode.UNAUTHENTICATED,
  403: CoreErrorCode.FORBIDDEN,
  404: CoreErrorCode.ROUTE_NOT_FOUND,
  405: CoreErrorCode.METHOD_NOT_ALLOWED,
  409: CoreErrorCode.CONFLICT,
  413: CoreErrorCode.PAYLOAD_TOO_LARGE,
  415: CoreErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: CoreErrorCode.TOO_MANY_REQUESTS,
  503: CoreErrorCode.SERVICE_UNAVAILABLE,
};

/** Turns whatever was thrown into a DomainError; anything unexpected becomes a bare 500. */
export function toDomainError(exception: unknown): { error: DomainError; unexpected: boolean } {
  if (exception instanceof DomainError) return { error: exception, unexpected: false };

  const fastifyCode = (exception as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_ERRORS) {
    const code = FASTIFY_ERRORS[fastifyCode];
    return { error: CoreErrors.create(code, safeClientMessage(exception)), unexpected: false };
  }
  if (exception instanceof SyntaxError && (exception as { statusCode?: number }).statusCode === 400) {
    return {
      error: CoreErrors.create(CoreErrorCode.MALFORMED_REQUEST, 'The body is not valid JSON.'),
      unexpected: false,
    };
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = HTTP_STATUS_CODES[status];
    if (code) return { error: CoreErrors.create(code, exception.message), unexpected: false };
    if (status < 500) {
      return {
        error: new DomainError(CoreErrorCode.MALFORMED_REQUEST, status, exception.name, exception.message),
        unexpected: false,
      };
    }
  }

  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500 &&
    HTTP_STATUS_CODES[statusCode]
  ) {
    return {
      error: CoreErrors.create(HTTP_STATUS_CODES[statusCode], safeClientMessage(exception)),
      unexpected: false,
    };
  }

  return {
    error: CoreErrors.create(CoreErrorCode.INTERNAL_ERROR, 'An unexpected error occurred.'),
    unexpected: true,
  };
}

function safeClientMessage(exception: unknown): string | undefined {
  const message = (exception as { message?: unknown })?.message;
  return typeof message === 'string' ? message.replace(/^FST_\w+:\s*/, '') : undefined;
}

export function toProblemDetails(error: DomainError, requestId: string): ProblemDetails {
  return {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    code: error.code,
    request_id: requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

/**
 * The one exception filter: every error leaves as `application/problem+json`. Unexpected
 * errors are logged with their stack and answered with a generic 500 that shows nothing.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { error, unexpected } = toDomainError(exception);
    if (unexpected) this.logger.error({ err: exception }, 'Unhandled error');
    sendProblem(reply, error, String(request.id));
  }
}

export function sendProblem(reply: FastifyReply, error: DomainError, requestId: string): void {
  if (reply.sent) return;
  if (error.headers) reply.headers(error.headers);
  reply
    .status(error.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(JSON.stringify(toProblemDetails(error, requestId)));
}
