import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppCache, type CacheRegion } from '@portcullis/core';
import {
  type DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

/**
 * Invalidates cache regions when a change commits, wherever the transaction was begun.
 *
 * A service that writes through a caller's EntityManager cannot invalidate at once: a reader
 * between the invalidation and the commit would cache the old rows under the new generation.
 * So inside a transaction the regions wait on its query runner and are invalidated right
 * after COMMIT (before `transaction()` returns, so the caller's next read is fresh), and
 * dropped on ROLLBACK.
 */
@Injectable()
export class CacheInvalidator implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, Set<CacheRegion>>();

  constructor(
    private readonly cache: AppCache,
    @InjectDataSource() dataSource: DataSource,
  ) {
    dataSource.subscribers.push(this);
  }

  /** Invalidates `regions` once `manager`'s transaction commits, or now outside a transaction. */
  async afterCommit(manager: EntityManager | undefined, ...regions: CacheRegion[]): Promise<void> {
    const runner = manager?.queryRunner;
    if (!runner?.isTransactionActive) return this.cache.invalidate(...regions);
    const waiting = this.pending.get(runner) ?? new Set<CacheRegion>();
    for (const region of regions) waiting.add(region);
    this.pending.set(runner, waiting);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    const waiting = this.pending.get(runner);
    // A released savepoint also reports a commit: wait for the outermost one.
    if (!waiting || runner.isTransactionActive) return;
    this.pending.delete(runner);
    await this.cache.invalidate(...waiting);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }
}
