import { Injectable, Logger } from '@nestjs/common';
import { AuditService, type CapturedAuditEvent } from '@portcullis/audit';
import { GroupCommit } from '@portcullis/core';
import Provider from 'oidc-provider';

import { recordsUpsert, type RecordRow } from './postgres.adapter.js';

interface RequestWrites {
  /** Access token records: the response must not go out unless they are committed. */
  records: RecordRow[];
  events: CapturedAuditEvent[];
}

type Middleware = (
  ctx: object & { status: number; body: unknown },
  next: () => Promise<void>,
) => Promise<void>;

/**
 * What one provider request writes last: the records of the access tokens it issued and its
 * audit events, committed together (a token and the event that says it was issued, or
 * neither) before its response goes out. Concurrent requests share one statement: the records'
 * INSERT and the events' append, one round trip, one commit.
 */
@Injectable()
export class ProviderRequestWrites {
  private readonly logger = new Logger(ProviderRequestWrites.name);
  private readonly pending = new WeakMap<object, RequestWrites>();
  private readonly commits: GroupCommit<RequestWrites>;

  constructor(private readonly audit: AuditService) {
    this.commits = new GroupCommit((batch) => {
      const records = batch.flatMap((writes) => writes.records);
      return this.audit.appendAlong(
        batch.flatMap((writes) => writes.events),
        records.length > 0 ? recordsUpsert(records, { fresh: true }) : undefined,
      );
    });
  }

  /**
   * Joins an access token's record to the current provider request's writes; false outside
   * one (first-party logins), where the caller writes it itself.
   */
  deferRecord(record: RecordRow): boolean {
    const ctx = Provider.ctx;
    if (!ctx) return false;
    this.writesOf(ctx).records.push(record);
    return true;
  }

  /** Captures an audit event now (time, request id) and writes it with the request's records. */
  deferEvent(ctx: object, event: Parameters<AuditService['capture']>[0]): void {
    this.writesOf(ctx).events.push(this.audit.capture(event));
  }

  /**
   * The provider middleware that commits a request's writes once every other step is done. A
   * request whose token records could not be committed answers server_error, never the
   * token; a failed audit alone is logged and does not fail the request.
   */
  middleware(): Middleware {
    return async (ctx, next) => {
      try {
        await next();
      } finally {
        await this.commit(ctx);
      }
    };
  }

  private async commit(ctx: { status: number; body: unknown }): Promise<void> {
    const writes = this.pending.get(ctx);
    if (!writes) return;
    this.pending.delete(ctx);
    try {
      await this.commits.add(writes);
    } catch (error) {
      this.logger.error({ err: error }, 'Could not commit the provider request writes');
      if (writes.records.length === 0) return;
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'oops! something went wrong' };
    }
  }

  private writesOf(ctx: object): RequestWrites {
    let writes = this.pending.get(ctx);
    if (!writes) {
      writes = { records: [], events: [] };
      this.pending.set(ctx, writes);
    }
    return writes;
  }
}
