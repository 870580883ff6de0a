import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { buildPage, DEFAULT_PAGE_SIZE, type Page } from '@portcullis/core';
import { Brackets, type DataSource } from 'typeorm';

import { AuditAction } from './audit-actions.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { decodeSequenceCursor } from './audit-search.js';

/**
 * What a user's own security history shows. Failed logins are recorded without the user they
 * were aimed at (an unknown and a known name must look alike), so they cannot appear here.
 */
export const ACCOUNT_ACTIVITY_ACTIONS: readonly string[] = [
  AuditAction.USER_REGISTERED,
  AuditAction.LOGIN_SUCCEEDED,
  AuditAction.LOGOUT,
  AuditAction.PASSWORD_CHANGED,
  AuditAction.SESSION_REVOKED,
  AuditAction.REFRESH_TOKEN_REUSED,
  AuditAction.PROFILE_UPDATED,
];

/** A user's own security history: the events it caused or that were aimed at it. */
@Injectable()
export class AuditActivityService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first, paged by cursor. */
  async pageForUser(
    userId: string,
    page: { limit?: number; cursor?: string },
  ): Promise<Page<AuditEventEntity>> {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const query = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('event')
      .where('event.action IN (:...actions)', { actions: ACCOUNT_ACTIVITY_ACTIONS })
      .andWhere(
        new Brackets((mine) =>
          mine
            .where(`event.actorType = 'user' AND event.actorId = :userId`, { userId })
            .orWhere(`event.targetType = 'user' AND event.targetId = :userId`, { userId }),
        ),
      );
    if (page.cursor !== undefined) {
      query.andWhere('event.sequence < :after', { after: decodeSequenceCursor(page.cursor) });
    }
    const rows = await query
      .orderBy('event.sequence', 'DESC')
      .limit(limit + 1)
      .getMany();
    return buildPage(rows, {
      limit,
      offset: 0,
      toItem: (row) => row,
      cursorOf: (row) => ({ seq: Number(row.sequence) }),
    });
  }
}
