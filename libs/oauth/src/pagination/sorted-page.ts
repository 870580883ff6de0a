import { buildPage, CoreErrorCode, CoreErrors, decodeCursor, type Page } from '@portcullis/core';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** A list request once parsed: the sort key is one of the list's whitelisted columns. */
export interface SortedPageRequest<Sort extends string> {
  limit: number;
  offset: number;
  cursor?: string;
  sort: Sort;
  order: 'asc' | 'desc';
}

interface SortColumn<Row> {
  /** The SQL expression sorted on, e.g. `client.created_at`. */
  column: string;
  /** The row's value of it as the cursor keeps it (dates as ISO strings). */
  valueOf: (row: Row) => string;
}

/**
 * Pages a query by offset (with a total) or by cursor (keyset, without total), ordered by the
 * asked column and then by the unique `tieBreaker` so that every position is exact. A cursor
 * remembers the sort it was made for; used with another it is a 400, never a bad comparison.
 */
export async function sortedPage<Row extends ObjectLiteral, Sort extends string>(
  builder: SelectQueryBuilder<Row>,
  request: SortedPageRequest<Sort>,
  columns: Record<Sort, SortColumn<Row>>,
  tieBreaker: SortColumn<Row>,
): Promise<Page<Row>> {
  const sorted = columns[request.sort];
  const direction = request.order === 'asc' ? 'ASC' : 'DESC';
  let total: number | undefined;
  if (request.cursor) {
    const position = decodeCursor(request.cursor, ['s', 'v', 'id'] as const);
    if (position.s !== `${request.sort}:${request.order}`) throw cursorMismatch();
    const comparison = request.order === 'asc' ? '>' : '<';
    builder.andWhere(`(${sorted.column}, ${tieBreaker.column}) ${comparison} (:cursorValue, :cursorId)`, {
      cursorValue: String(position.v),
      cursorId: String(position.id),
    });
  } else {
    total = await builder.clone().getCount();
    builder.offset(request.offset);
  }
  const rows = await builder
    .orderBy(sorted.column, direction)
    .addOrderBy(tieBreaker.column, direction)
    .limit(request.limit + 1)
    .getMany();
  return buildPage(rows, {
    limit: request.limit,
    offset: request.cursor ? 0 : request.offset,
    total,
    toItem: (row) => row,
    cursorOf: (row) => ({
      s: `${request.sort}:${request.order}`,
      v: sorted.valueOf(row),
      id: tieBreaker.valueOf(row),
    }),
  });
}

function cursorMismatch() {
  return CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'The cursor was made for another sort order.', {
    errors: [
      {
        field: 'cursor',
        code: 'invalid_cursor',
        message: 'cursor must come from a page with the same sort and order',
      },
    ],
  });
}
