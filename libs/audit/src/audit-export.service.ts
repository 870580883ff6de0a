import { Readable } from 'node:stream';

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@portcullis/core';
import type { DataSource } from 'typeorm';

import { AuditEventEntity } from './audit-event.entity.js';
import { toAuditEventRecord } from './audit-event.record.js';
import {
  AUDIT_EXPORT_FORMATS,
  type AuditExportFormat,
  type AuditExportFormatter,
} from './audit-export.formats.js';
import { applyAuditSearch, type AuditSearch } from './audit-search.js';
import { HeapRelief } from './heap-relief.js';

/** A streamed export, ready to be sent as an attachment. */
export interface AuditExport {
  contentType: string;
  filename: string;
  body: Readable;
}

/** Rows per keyset read; the stream holds one batch at a time, whatever the export's size. */
const EXPORT_BATCH = 1_000;
/** Rows read between two garbage collections (see HeapRelief). */
const EXPORT_GC_BUDGET = 25_000;

/**
 * Streams every event matching a search, oldest first (sequence order, the order the chain
 * verifies in), read in keyset batches so memory stays flat. The export covers the events
 * that existed when it started; later ones are left for the next export.
 */
@Injectable()
export class AuditExportService {
  private readonly logger = new Logger(AuditExportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async open(search: AuditSearch & { format?: AuditExportFormat }): Promise<AuditExport> {
    const formatter = AUDIT_EXPORT_FORMATS[search.format ?? 'ndjson'];
    const [{ last }] = (await this.dataSource.query(
      'SELECT coalesce(max(sequence), 0) AS last FROM audit_events',
    )) as { last: string }[];
    // The first read happens here, so a bad search or a failing query is still a problem
    // response rather than a stream cut short.
    const first = await this.batchAfter(search, '0');
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    return {
      contentType: formatter.contentType,
      filename: `audit-events-${stamp}.${formatter.extension}`,
      body: Readable.from(this.chunks(search, formatter, BigInt(last), first), { objectMode: false }),
    };
  }

  private async *chunks(
    search: AuditSearch,
    formatter: AuditExportFormatter,
    last: bigint,
    first: AuditEventEntity[],
  ): AsyncGenerator<string> {
    if (formatter.header) yield formatter.header;
    const relief = new HeapRelief(EXPORT_GC_BUDGET);
    let rows = first;
    try {
      while (rows.length > 0) {
        const kept = rows.filter((row) => BigInt(row.sequence) <= last);
        const after = rows[rows.length - 1].sequence;
        const chunk = kept.map((row) => formatter.line(toAuditEventRecord(row))).join('');
        rows = []; // lets the batch go while the client reads
        yield chunk;
        await relief.consumed(kept.length);
        if (kept.length < EXPORT_BATCH) return;
        rows = await this.batchAfter(search, after);
      }
    } catch (error) {
      // The headers are gone: failing the stream aborts the response, so the client sees a
      // truncated transfer instead of a complete-looking file.
      this.logger.error({ err: error }, 'Audit export failed mid-stream');
      throw error;
    }
  }

  /**
   * The next batch after a sequence, as plain rows (no entity hydration: cheaper in time and
   * garbage). Bounded on one side only: a two-sided range on a freshly loaded table without
   * statistics gets a bitmap scan and a sort of everything after `after`, per batch.
   */
  private batchAfter(search: AuditSearch, after: string): Promise<AuditEventEntity[]> {
    const query = applyAuditSearch(
      this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event').select([]),
      search,
    );
    for (const column of EXPORTED_COLUMNS) query.addSelect(`event.${column}`, column);
    return query
      .andWhere('event.sequence > :after', { after })
      .orderBy('event.sequence', 'ASC')
      .limit(EXPORT_BATCH)
      .getRawMany<AuditEventEntity>();
  }
}

const EXPORTED_COLUMNS: (keyof AuditEventEntity)[] = [
  'id',
  'sequence',
  'occurredAt',
  'action',
  'outcome',
  'actorType',
  'actorId',
  'targetType',
  'targetId',
  'ip',
  'userAgent',
  'requestId',
  'details',
  'previousHash',
  'hash',
];
