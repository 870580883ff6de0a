import { defineErrors } from './domain-error.js';

export enum CoreErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_REQUEST = 'MALFORMED_REQUEST',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  CONFLICT = 'CONFLICT',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}

export const CoreErrors = defineErrors<CoreErrorCode>({
  [CoreErrorCode.VALIDATION_FAILED]: { status: 400, title: 'The request is not valid' },
  [CoreErrorCode.MALFORMED_REQUEST]: { status: 400, title: 'The request body could not be read' },
  [CoreErrorCode.PAYLOAD_TOO_LARGE]: { status: 413, title: 'The request body is too large' },
  [CoreErrorCode.UNSUPPORTED_MEDIA_TYPE]: { status: 415, title: 'The content type is not supported' },
  [CoreErrorCode.ROUTE_NOT_FOUND]: { status: 404, title: 'No such resource' },
  [CoreErrorCode.METHOD_NOT_ALLOWED]: { status: 405, title: 'Method not allowed' },
  [CoreErrorCode.UNAUTHENTICATED]: { status: 401, title: 'Authentication required' },
  [CoreErrorCode.FORBIDDEN]: { status: 403, title: 'Forbidden' },
  [CoreErrorCode.CONFLICT]: { status: 409, title: 'Conflict' },
  [CoreErrorCode.TOO_MANY_REQUESTS]: { status: 429, title: 'Too many requests' },
  [CoreErrorCode.SERVICE_UNAVAILABLE]: { status: 503, title: 'Service unavailable' },
  [CoreErrorCode.INTERNAL_ERROR]: { status: 500, title: 'Internal server error' },
});
