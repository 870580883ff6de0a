/** One field that failed validation, as listed in a problem document's `errors`. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface ErrorDefinition {
  status: number;
  title: string;
}

/**
 * Base of every error our code throws on purpose. Each lib declares its codes in one table
 * (`defineErrors`) and the global filter renders them as RFC 9457 problem documents.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }
}

/**
 * Declares a lib's error codes with their status and title in one table, and returns a
 * factory: `AuthErrors.create(AuthErrorCode.INVALID_CREDENTIALS)`.
 */
export function defineErrors<Code extends string>(table: Record<Code, ErrorDefinition>) {
  return {
    table,
    create(
      code: Code,
      detail?: string,
      options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
    ): DomainError {
      const { status, title } = table[code];
      return new DomainError(code, status, title, detail, options.errors, options.headers);
    },
  };
}
