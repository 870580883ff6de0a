export { CoreModule } from './core.module.js';
export { AppConfig, ConfigValidationError } from './config/app-config.js';
export { CONFIG_VARIABLES, type ConfigValues, type ConfigVariableName } from './config/config.definition.js';
export { Clock } from './clock/clock.js';
export { DomainError, defineErrors, type FieldError, type ErrorDefinition } from './errors/domain-error.js';
export { CoreErrorCode, CoreErrors } from './errors/core.errors.js';
export { PROBLEM_CONTENT_TYPE, problemType, type ProblemDetails } from './errors/problem-details.js';
export {
  ProblemDetailsFilter,
  sendProblem,
  toDomainError,
  toProblemDetails,
} from './errors/problem-details.filter.js';
export { REQUEST_ID_HEADER, requestIdFor } from './context/request-id.js';
export { API_SECURITY_HEADERS, DOCUMENT_OPENER_POLICY } from './http/security-headers.js';
export { currentRequestContext, type RequestContext } from './context/request-context.js';
export { requestContextHook } from './context/request-context.hook.js';
export { REDACTED_PATHS, requestIdMixin } from './logging/logging.options.js';
export { requestLogHook, requestLogLevel } from './logging/request-log.hook.js';
export { createValidationPipe, toFieldErrors } from './validation/validation.pipe.js';
export { ApiProblemResponses, ProblemDetailsDto, FieldErrorDto } from './openapi/problem-responses.js';
export {
  PageQueryDto,
  PageOf,
  buildPage,
  decodeCursor,
  encodeCursor,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Page,
} from './pagination/pagination.js';
export { AppCache, type CacheHealth, type CachePeers } from './cache/app-cache.js';
export { BoundedMemoryStore } from './cache/bounded-memory-store.js';
export {
  defineCacheRegion,
  defineCachedView,
  type CacheRegion,
  type CachedView,
} from './cache/cache-region.js';
export { GroupCommit } from './concurrency/group-commit.js';
export { TurnBatch } from './concurrency/turn-batch.js';
export { IS_PUBLIC, Public } from './auth/public.decorator.js';
