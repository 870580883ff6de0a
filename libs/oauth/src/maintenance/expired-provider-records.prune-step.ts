import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SessionPruneJob, untilShortBatch } from '@portcullis/sessions';
import type { DataSource } from 'typeorm';

import { deleteExpiredRecords } from '../provider/postgres.adapter.js';

/** Adds the provider's expired records (codes, tokens, interactions, grants) to the prune job. */
@Injectable()
export class ExpiredProviderRecordsPruneStep implements OnModuleInit {
  constructor(
    private readonly pruneJob: SessionPruneJob,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.pruneJob.addStep({
      name: 'provider_records',
      batches: (limit) =>
        untilShortBatch(limit, (batch) =>
          deleteExpiredRecords((sql, parameters) => this.dataSource.query(sql, parameters), batch),
        ),
    });
  }
}
