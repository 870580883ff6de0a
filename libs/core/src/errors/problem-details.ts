import type { FieldError } from './domain-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem document, extended with our stable `code` and the request id. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  request_id: string;
  errors?: FieldError[];
}

/** `INVALID_CREDENTIALS` → `urn:portcullis:problem:invalid-credentials` */
export function problemType(code: string): string {
  return `urn:portcullis:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}
