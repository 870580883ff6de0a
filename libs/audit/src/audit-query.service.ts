import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { buildPage, DEFAULT_PAGE_SIZE, type Page } from '@portcullis/core';
import type { DataSource } from 'typeorm';

import { AuditEventEntity } from './audit-event.entity.js';
import { applyAuditSearch, decodeSequenceCursor, type AuditSearch } from './audit-search.js';

export interface AuditPageRequest {
  limit?: number;
  /** Ignored when a cursor is given. */
  offset?: number;
  cursor?: string;
  /** By sequence; newest first unless asked. */
  order?: 'asc' | 'desc';
}

/** Searches the audit trail for the admin API, a page at a time. */
@Injectable()
export class AuditQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Pages by sequence (keyset through the cursor, or offset without one). `total` is left out
   * on every page: counting the matches of an ever-growing table is a scan per request, and
   * has_more/next_cursor are all a client needs to walk it.
   */
  async list(search: AuditSearch & AuditPageRequest): Promise<Page<AuditEventEntity>> {
    const limit = search.limit ?? DEFAULT_PAGE_SIZE;
    const descending = (search.order ?? 'desc') === 'desc';
    const query = applyAuditSearch(
      this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event'),
      search,
    );
    let offset = 0;
    if (search.cursor !== undefined) {
      query.andWhere(descending ? 'event.sequence < :after' : 'event.sequence > :after', {
        after: decodeSequenceCursor(search.cursor),
      });
    } else {
      offset = search.offset ?? 0;
      query.offset(offset);
    }
    const rows = await query
      .orderBy('event.sequence', descending ? 'DESC' : 'ASC')
      .limit(limit + 1)
      .getMany();
    return buildPage(rows, {
      limit,
      offset,
      toItem: (row) => row,
      cursorOf: (row) => ({ seq: Number(row.sequence) }),
    });
  }
}
