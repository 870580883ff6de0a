import { CoreErrorCode, CoreErrors, decodeCursor } from '@portcullis/core';
import type { SelectQueryBuilder } from 'typeorm';

import type { AuditEventEntity, AuditOutcome } from './audit-event.entity.js';

/** The filters of the admin audit list and export, named as the query string names them. */
export interface AuditSearch {
  /** actor_id: a user id or a client id. */
  actor?: string;
  /** A prefix of the action: `user.login` matches `user.login.succeeded` and `user.login.failed`. */
  action?: string;
  outcome?: AuditOutcome;
  target_type?: string;
  target_id?: string;
  request_id?: string;
  /** RFC 3339 date-time, inclusive. */
  from?: string;
  /** RFC 3339 date-time, exclusive. */
  to?: string;
}

/**
 * Adds the search's filters to a query over `event`. A `from` after `to` is a 400: it can only
 * be a mistake, and an empty answer would hide it.
 */
export function applyAuditSearch(
  query: SelectQueryBuilder<AuditEventEntity>,
  search: AuditSearch,
): SelectQueryBuilder<AuditEventEntity> {
  const from = search.from === undefined ? undefined : new Date(search.from);
  const to = search.to === undefined ? undefined : new Date(search.to);
  if (from && to && from > to) {
    throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'Invalid fields: to.', {
      errors: [{ field: 'to', code: 'range', message: 'to must not be before from' }],
    });
  }
  if (search.actor !== undefined) query.andWhere('event.actorId = :actor', { actor: search.actor });
  if (search.action !== undefined) {
    query.andWhere(`event.action LIKE :actionPrefix ESCAPE '\\'`, {
      actionPrefix: `${search.action.replace(/[\\%_]/g, '\\$&')}%`,
    });
  }
  if (search.outcome !== undefined) query.andWhere('event.outcome = :outcome', { outcome: search.outcome });
  if (search.target_type !== undefined) {
    query.andWhere('event.targetType = :targetType', { targetType: search.target_type });
  }
  if (search.target_id !== undefined)
    query.andWhere('event.targetId = :targetId', { targetId: search.target_id });
  if (search.request_id !== undefined) {
    query.andWhere('event.requestId = :requestId', { requestId: search.request_id });
  }
  if (from) query.andWhere('event.occurredAt >= :from', { from });
  if (to) query.andWhere('event.occurredAt < :to', { to });
  return query;
}

/** The sequence a page cursor points after; a cursor that does not hold one is a 400. */
export function decodeSequenceCursor(cursor: string): number {
  const { seq } = decodeCursor(cursor, ['seq']);
  if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0) return seq;
  throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'The cursor is not valid.', {
    errors: [
      {
        field: 'cursor',
        code: 'invalid_cursor',
        message: 'cursor must be the next_cursor of a previous page',
      },
    ],
  });
}
