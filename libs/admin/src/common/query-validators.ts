import { Transform } from 'class-transformer';
import { isISO8601, isRFC3339, registerDecorator } from 'class-validator';

/** An RFC 3339 date-time with its offset (a bare date or a local time would be ambiguous) on a real day. */
export function IsDateTime() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an RFC 3339 date-time such as 2025-01-31T23:00:00Z` },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          isRFC3339(value) &&
          isISO8601(value, { strict: true, strictSeparator: true }),
      },
    });
}

/**
 * A query-string boolean: exactly `true` or `false` become booleans; anything else is left
 * as it is for @IsBoolean() to refuse (implicit conversion would read "no" as true).
 */
export function QueryBoolean() {
  return Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );
}
