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

/** A streamed export, ready to be sent as an attachment. */
export interface AuditExport {
  contentType: string;
  filename: string;
  body: Readable;
}

/** Rows per keyset read; the stream holds a few of these at most, whatever the export's size. */
const EXPORT_BATCH = 1_000;

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
    const first = await this.batchAfter(search, '0', last);
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    return {
      contentType: formatter.contentType,
      filename: `audit-events-${stamp}.${formatter.extension}`,
      body: Readable.from(this.chunks(search, formatter, last, first), { objectMode: false }),
    };
  }

  private async *chunks(
    search: AuditSearch,
    formatter: AuditExportFormatter,
    last: string,
    first: AuditEventEntity[],
  ): AsyncGenerator<string> {
    if (formatter.header) yield formatter.header;
    let rows = first;
    try {
      while (rows.length > 0) {
        yield rows.map((row) => formatter.line(toAuditEventRecord(row))).join('');
        if (rows.length < EXPORT_BATCH) return;
        rows = await this.batchAfter(search, rows[rows.length - 1].sequence, last);
      }
    } catch (error) {
      // The headers are gone: failing the stream aborts the response, so the client sees a
      // truncated transfer instead of a complete-looking file.
      this.logger.error({ err: error }, 'Audit export failed mid-stream');
      throw error;
    }
  }

  private batchAfter(search: AuditSearch, after: string, last: string): Promise<AuditEventEntity[]> {
    return applyAuditSearch(
      this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event'),
      search,
    )
      .andWhere('event.sequence > :after AND event.sequence <= :last', { after, last })
      .orderBy('event.sequence', 'ASC')
      .limit(EXPORT_BATCH)
      .getMany();
  }
}
