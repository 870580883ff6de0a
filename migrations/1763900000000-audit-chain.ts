import { computeAuditHash } from '@portcullis/audit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const BACKFILL_BATCH = 5_000;

interface StoredEvent {
  sequence: string;
  occurredAt: Date;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/**
 * Makes audit_events a tamper-evident, append-only chain: a gap-free `sequence`, each event's
 * SHA-256 `hash` over its content and `previous_hash`, the indexes the admin filters page
 * by, and a trigger that refuses UPDATE, DELETE and TRUNCATE. Only a transaction that set
 * `portcullis.audit_retention = 'on'` (the retention job) may DELETE. Existing events are
 * chained in occurred_at order.
 */
export class AuditChain1763900000000 implements MigrationInterface {
  name = 'AuditChain1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE audit_events
        ADD COLUMN sequence bigint,
        ADD COLUMN previous_hash text,
        ADD COLUMN hash text`);
    // The hash covers occurred_at to the millisecond, which is all a JS Date holds.
    await queryRunner.query(`
      UPDATE audit_events e
         SET occurred_at = date_trunc('milliseconds', e.occurred_at),
             sequence = ordered.position
        FROM (SELECT id, row_number() OVER (ORDER BY occurred_at, id) AS position FROM audit_events) ordered
       WHERE e.id = ordered.id`);
    await queryRunner.query(
      `ALTER TABLE audit_events ADD CONSTRAINT uq_audit_events_sequence UNIQUE (sequence)`,
    );
    await this.chainExistingEvents(queryRunner);
    await queryRunner.query(`
      ALTER TABLE audit_events
        ALTER COLUMN sequence SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL,
        ALTER COLUMN occurred_at DROP DEFAULT`);

    // Filters page newest first by sequence, so each filter's index ends with it.
    await queryRunner.query(`DROP INDEX ix_audit_events_actor`);
    await queryRunner.query(`DROP INDEX ix_audit_events_target`);
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_actor_sequence ON audit_events (actor_id, sequence)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_target_sequence ON audit_events (target_type, target_id, sequence)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_outcome_sequence ON audit_events (outcome, sequence)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_action_prefix ON audit_events (action text_pattern_ops)`,
    );

    await queryRunner.query(`
      CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('portcullis.audit_retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_no_truncate ON audit_events`);
    await queryRunner.query(`DROP TRIGGER audit_events_append_only ON audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_refuse_change()`);
    await queryRunner.query(`DROP INDEX ix_audit_events_action_prefix`);
    await queryRunner.query(`DROP INDEX ix_audit_events_outcome_sequence`);
    await queryRunner.query(`DROP INDEX ix_audit_events_target_sequence`);
    await queryRunner.query(`DROP INDEX ix_audit_events_actor_sequence`);
    await queryRunner.query(`CREATE INDEX ix_audit_events_actor ON audit_events (actor_id, occurred_at)`);
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_target ON audit_events (target_type, target_id, occurred_at)`,
    );
    await queryRunner.query(`
      ALTER TABLE audit_events
        ALTER COLUMN occurred_at SET DEFAULT now(),
        DROP CONSTRAINT uq_audit_events_sequence,
        DROP COLUMN hash,
        DROP COLUMN previous_hash,
        DROP COLUMN sequence`);
  }

  /** Links the events already there, oldest first, in batches so any table size fits in memory. */
  private async chainExistingEvents(queryRunner: QueryRunner): Promise<void> {
    let previousHash: string | null = null;
    let after = '0';
    for (;;) {
      const events = (await queryRunner.query(
        `SELECT sequence, occurred_at AS "occurredAt", action, outcome, actor_type AS "actorType",
                actor_id AS "actorId", target_type AS "targetType", target_id AS "targetId", ip,
                user_agent AS "userAgent", request_id AS "requestId", details
           FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2`,
        [after, BACKFILL_BATCH],
      )) as StoredEvent[];
      if (events.length === 0) return;
      const previousHashes: (string | null)[] = [];
      const hashes: string[] = [];
      for (const event of events) {
        previousHashes.push(previousHash);
        previousHash = computeAuditHash(event, previousHash);
        hashes.push(previousHash);
      }
      await queryRunner.query(
        `UPDATE audit_events e SET previous_hash = link.previous_hash, hash = link.hash
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS link(sequence, previous_hash, hash)
          WHERE e.sequence = link.sequence`,
        [events.map((event) => event.sequence), previousHashes, hashes],
      );
      after = events[events.length - 1].sequence;
    }
  }
}
