import { ValidationPipe, type ValidationError } from '@nestjs/common';

import { CoreErrorCode, CoreErrors } from '../errors/core.errors.js';
import type { FieldError } from '../errors/domain-error.js';

/** Flattens class-validator's nested errors into `{field, code, message}` rows. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: constraint === 'whitelistValidation' ? 'unknown_field' : toSnakeCase(constraint),
      message: constraint === 'whitelistValidation' ? `${field} is not an accepted field` : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

function toSnakeCase(value: string): string {
  return value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The global pipe: unknown fields are refused, inputs are transformed to their DTO classes. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      const fields = [...new Set(fieldErrors.map((error) => error.field))].join(', ');
      return CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, `Invalid fields: ${fields}.`, {
        errors: fieldErrors,
      });
    },
  });
}
