import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_append extends the audit chain inside PostgreSQL: it takes the chain lock, reads the
 * last event, links each new one to the one before it (SHA-256 of its canonical text, the same
 * text canonicalAuditContent builds) and inserts them, in one call. The chain lock is then held
 * for no network round trip: before, it was held across four (lock, read, insert, commit), and
 * every writer of every node queued behind them.
 *
 * The caller sends each event's canonical text cut around its previous hash and its sequence
 * (canonicalAuditParts); 1635083380 is AUDIT_CHAIN_LOCK ('audt').
 */
export class AuditAppendFunction1764600000000 implements MigrationInterface {
  name = 'AuditAppendFunction1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_append(
        new_occurred_at timestamptz[], new_action text[], new_outcome text[], new_actor_type text[],
        new_actor_id text[], new_target_type text[], new_target_id text[], new_ip text[],
        new_user_agent text[], new_request_id text[], new_details text[],
        new_before_previous_hash text[], new_before_sequence text[], new_after_sequence text[]
      ) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        last_sequence bigint;
        last_hash text;
        sequences bigint[] := '{}';
        previous_hashes text[] := '{}';
        hashes text[] := '{}';
      BEGIN
        -- One writer at a time extends the chain; the lock lasts until the transaction ends.
        PERFORM pg_advisory_xact_lock(1635083380);
        -- A statement of its own, so its snapshot is taken after the lock: it sees the last
        -- committed event (the caller's transaction must be READ COMMITTED).
        SELECT sequence, hash INTO last_sequence, last_hash
          FROM audit_events ORDER BY sequence DESC LIMIT 1;
        last_sequence := coalesce(last_sequence, 0);
        FOR i IN 1 .. coalesce(cardinality(new_before_previous_hash), 0) LOOP
          last_sequence := last_sequence + 1;
          sequences := array_append(sequences, last_sequence);
          previous_hashes := array_append(previous_hashes, last_hash);
          last_hash := encode(sha256(convert_to(
            new_before_previous_hash[i] || coalesce('"' || last_hash || '"', 'null') ||
            new_before_sequence[i] || last_sequence::text || new_after_sequence[i], 'UTF8')), 'hex');
          hashes := array_append(hashes, last_hash);
        END LOOP;
        INSERT INTO audit_events (sequence, occurred_at, action, outcome, actor_type, actor_id,
            target_type, target_id, ip, user_agent, request_id, details, previous_hash, hash)
          SELECT sequence, occurred_at, action, outcome, actor_type, actor_id,
              target_type, target_id, ip, user_agent, request_id, details::jsonb, previous_hash, hash
            FROM unnest(sequences, new_occurred_at, new_action, new_outcome, new_actor_type,
                new_actor_id, new_target_type, new_target_id, new_ip, new_user_agent,
                new_request_id, new_details, previous_hashes, hashes)
              AS e(sequence, occurred_at, action, outcome, actor_type, actor_id, target_type,
                target_id, ip, user_agent, request_id, details, previous_hash, hash);
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION audit_append(timestamptz[], text[], text[], text[], text[], text[], text[], text[],
        text[], text[], text[], text[], text[], text[])`,
    );
  }
}
