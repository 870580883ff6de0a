import { Injectable, Logger } from '@nestjs/common';
import { AuditService, type CapturedAuditEvent } from '@portcullis/audit';
import { GroupCommit } from '@portcullis/core';
import Provider from 'oidc-provider';

import { recordsUpsert, type RecordRow } from './postgres.adapter.js';

interface RequestWrites {
  /** Access token records. */
  records: RecordRow[];
  events: CapturedAuditEvent[];
  /** Whether the response must not go out unless these writes are committed. */
  required: boolean;
}

type Middleware = (
  ctx: object & { status: number; body: unknown },
  next: () => Promise<void>,
) => Promise<void>;

/**
 * What one provider request writes last: the records of the access tokens it issued and its
 * audit events, committed together (a token and the event that says it was issued, or
 * neither) before its response goes out. A token is never handed out unless its record (a
 * user's token) and its issuance event are committed. Concurrent requests share one
 * statement: the records' INSERT and the events' append, one round trip, one commit.
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
    const writes = this.writesOf(ctx);
    writes.records.push(record);
    writes.required = true;
    return true;
  }

  /**
   * Captures an audit event now (time, request id) and writes it with the request's records.
   * A `required` event (a token's issuance) withholds the response until it is committed.
   */
  deferEvent(ctx: object, event: Parameters<AuditService['capture']>[0], { required = false } = {}): void {
    const writes = this.writesOf(ctx);
    writes.events.push(this.audit.capture(event));
    writes.required ||= required;
  }

  /**
   * The provider middleware that commits a request's writes once every other step is done. A
   * request whose required writes could not be committed answers server_error, never the
   * token; any other failed audit is logged and does not fail the request.
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
      if (!writes.required) return;
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'oops! something went wrong' };
    }
  }

  private writesOf(ctx: object): RequestWrites {
    let writes = this.pending.get(ctx);
    if (!writes) {
      writes = { records: [], events: [], required: false };
      this.pending.set(ctx, writes);
    }
    return writes;
  }
}
