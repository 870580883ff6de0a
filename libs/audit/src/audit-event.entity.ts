import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type AuditOutcome = 'success' | 'failure';
export type AuditActorType = 'user' | 'client' | 'system' | 'anonymous';

/**
 * One audited action, a link of the tamper-evident chain: `hash` covers the event's content
 * and `previous_hash`, the hash of the event one sequence before. Rows are append-only (a
 * trigger refuses UPDATE and DELETE, except the retention path's DELETE). Never holds a
 * secret; actor_id outlives the user it names.
 */
@Entity({ name: 'audit_events' })
@Check('ck_audit_events_outcome', `outcome IN ('success', 'failure')`)
@Check('ck_audit_events_actor_type', `actor_type IN ('user', 'client', 'system', 'anonymous')`)
@Unique('uq_audit_events_sequence', ['sequence'])
@Index('ix_audit_events_actor_sequence', ['actorId', 'sequence'])
@Index('ix_audit_events_target_sequence', ['targetType', 'targetId', 'sequence'])
@Index('ix_audit_events_outcome_sequence', ['outcome', 'sequence'])
@Index('ix_audit_events_action_occurred_at', ['action', 'occurredAt'])
// (action text_pattern_ops) for prefix filters whatever the collation: TypeORM cannot express
// an operator class, so the migration owns this index.
@Index('ix_audit_events_action_prefix', { synchronize: false })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_events' })
  id: string;

  /** Position in the chain: 1, 2, 3... without gaps, in commit order. bigint, so a string. */
  @Column({ type: 'bigint' })
  sequence: string;

  /** Set by AuditService.record() to whole milliseconds, exactly what the hash covers. */
  @Index('ix_audit_events_occurred_at')
  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  outcome: AuditOutcome;

  @Column({ type: 'text' })
  actorType: AuditActorType;

  @Column({ type: 'text', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', nullable: true })
  targetType: string | null;

  @Column({ type: 'text', nullable: true })
  targetId: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  @Index('ix_audit_events_request_id')
  @Column({ type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  /** SHA-256 (hex) of the event before; null for the first event ever written. */
  @Column({ type: 'text', nullable: true })
  previousHash: string | null;

  /** SHA-256 (hex) of this event's canonical content and previousHash. */
  @Column({ type: 'text' })
  hash: string;
}
