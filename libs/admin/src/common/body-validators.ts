import { ValidateIf } from 'class-validator';

/**
 * Like @IsOptional(), but only an absent field is skipped: `null` is validated (and refused)
 * for fields that cannot be cleared, where @IsOptional() would let it through to the database.
 */
export function IsOptionalNotNull() {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
