/**
 * A piece of SQL and the values of its placeholders (`$1` on, unless its builder was told
 * where to start), built to be spliced into a statement of someone else's (a data-modifying
 * WITH, a SELECT of a function call): one round trip for writes that must commit together.
 */
export interface SqlCall {
  sql: string;
  parameters: unknown[];
}
