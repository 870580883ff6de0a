import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure';
export type AuditActorType = 'user' | 'client' | 'system' | 'anonymous';

/** One audited action. Never holds a secret; actor_id outlives the user it names. */
@Entity({ name: 'audit_events' })
@Check('ck_audit_events_outcome', `outcome IN ('success', 'failure')`)
@Check('ck_audit_events_actor_type', `actor_type IN ('user', 'client', 'system', 'anonymous')`)
@Index('ix_audit_events_actor', ['actorId', 'occurredAt'])
@Index('ix_audit_events_target', ['targetType', 'targetId', 'occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_events' })
  id: string;

  @Index('ix_audit_events_occurred_at')
  @Column({ type: 'timestamptz', default: () => 'now()' })
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
}
