/** SQLSTATE codes we act on. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
/** lock_timeout ran out (or NOWAIT found the row locked). */
export const PG_LOCK_NOT_AVAILABLE = '55P03';

/** Whether a query failed because a lock was not granted within lock_timeout. */
export function isLockNotAvailable(error: unknown): boolean {
  const driverError =
    (error as { driverError?: { code?: string } })?.driverError ?? (error as { code?: string });
  return driverError?.code === PG_LOCK_NOT_AVAILABLE;
}

/** The constraint a unique violation broke, or undefined when the error is something else. */
export function uniqueViolationConstraint(error: unknown): string | undefined {
  const driverError =
    (error as { driverError?: { code?: string; constraint?: string } })?.driverError ??
    (error as { code?: string; constraint?: string });
  return driverError?.code === PG_UNIQUE_VIOLATION ? (driverError.constraint ?? '') : undefined;
}
