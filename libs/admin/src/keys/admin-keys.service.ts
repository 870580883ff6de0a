import { Injectable } from '@nestjs/common';
import { AuditService } from '@portcullis/audit';
import { callerActor, type ScopedCaller } from '@portcullis/auth';
import {
  buildPage,
  CoreErrorCode,
  CoreErrors,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  type Page,
} from '@portcullis/core';
import { KeysService, OidcProviderService, type SigningKeySummary } from '@portcullis/oauth';

import { AdminOAuthAuditAction } from '../admin-oauth-audit-actions.js';
import type { SigningKeyListQueryDto } from './dto/signing-key.dto.js';

/** Signing keys for admins: the list (public facts only) and an audited rotation. */
@Injectable()
export class AdminKeysService {
  constructor(
    private readonly keys: KeysService,
    private readonly oidc: OidcProviderService,
    private readonly audit: AuditService,
  ) {}

  /** Newest first. One key is made per rotation, so the whole set is small enough to page in memory. */
  async list(query: SigningKeyListQueryDto): Promise<Page<SigningKeySummary>> {
    const all = await this.keys.list();
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    let start = query.offset ?? 0;
    if (query.cursor) {
      const { kid } = decodeCursor(query.cursor, ['kid'] as const);
      const position = all.findIndex((key) => key.kid === kid);
      if (position < 0) {
        throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'The cursor is not valid.', {
          errors: [{ field: 'cursor', code: 'invalid_cursor', message: 'cursor names no key' }],
        });
      }
      start = position + 1;
    }
    return buildPage(all.slice(start, start + limit + 1), {
      limit,
      offset: query.cursor ? 0 : start,
      total: query.cursor ? undefined : all.length,
      toItem: (key) => key,
      cursorOf: (key) => ({ kid: key.kid }),
    });
  }

  /** Makes a new key the signing one (here at once, on other nodes within 30 s) and retires the old. */
  async rotate(auth: ScopedCaller): Promise<SigningKeySummary> {
    const kid = await this.oidc.rotateKeys((manager, rotation) =>
      this.audit.record(
        {
          action: AdminOAuthAuditAction.KEY_ROTATED,
          outcome: 'success',
          actor: callerActor(auth),
          target: { type: 'signing_key', id: rotation.kid },
          details: { previous_kid: rotation.previousKid },
        },
        manager,
      ),
    );
    return (await this.keys.list()).find((key) => key.kid === kid)!;
  }
}
