import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';

import { CoreErrorCode, CoreErrors } from './core.errors.js';
import { toDomainError, toProblemDetails } from './problem-details.filter.js';

describe(toDomainError.name, () => {
  it('should keep a domain error as it is', () => {
    const error = CoreErrors.create(CoreErrorCode.CONFLICT, 'Taken.');
    expect(toDomainError(error)).toEqual({ error, unexpected: false });
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, CoreErrorCode.PAYLOAD_TOO_LARGE],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, CoreErrorCode.UNSUPPORTED_MEDIA_TYPE],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, CoreErrorCode.MALFORMED_REQUEST],
  ])('should map Fastify %s to %i', (code, status, domainCode) => {
    const { error, unexpected } = toDomainError(Object.assign(new Error(`${code}: boom`), { code }));
    expect(unexpected).toBe(false);
    expect(error).toMatchObject({ status, code: domainCode });
  });

  it('should map Nest HTTP exceptions by status', () => {
    expect(toDomainError(new NotFoundException()).error.code).toBe(CoreErrorCode.ROUTE_NOT_FOUND);
    expect(toDomainError(new BadRequestException('nope')).error.status).toBe(400);
  });

  it('should hide everything about an unexpected error', () => {
    const { error, unexpected } = toDomainError(
      new Error('relation "users" does not exist at SELECT * FROM users WHERE password_hash = $1'),
    );
    expect(unexpected).toBe(true);
    const problem = toProblemDetails(error, 'req-1');
    expect(problem).toEqual({
      type: 'urn:portcullis:problem:internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred.',
      code: 'INTERNAL_ERROR',
      request_id: 'req-1',
    });
  });
});
