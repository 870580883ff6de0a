import { ValidateIf } from 'class-validator';

/**
 * For PATCH bodies: the field may be left out, but when sent it is validated, so `null` is
 * refused (unlike IsOptional, which lets null through). Nullable fields use IsOptional.
 */
export function ValidateIfPresent() {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
