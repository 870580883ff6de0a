import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '@portcullis/users';

/**
 * A signed-in session: what a person sees in "your devices" and an admin can end. Every
 * token issued in it belongs to its provider grant, so ending the session ends them all.
 */
@Entity({ name: 'sessions' })
@Index('ix_sessions_user_id_created_at', ['userId', 'createdAt'])
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sessions' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_sessions_user' })
  user?: UserEntity;

  @Column({ type: 'text' })
  clientId: string;

  @Index('ix_sessions_grant_id')
  @Column({ type: 'text', nullable: true })
  grantId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;

  @Index('ix_sessions_expires_at')
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Index('ix_sessions_idle_expires_at')
  @Column({ type: 'timestamptz' })
  idleExpiresAt: Date;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  @Index('ix_sessions_revoked_at')
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  revokeReason: string | null;
}

export type SessionStatus = 'active' | 'revoked' | 'expired' | 'idle_expired';

export function sessionStatus(session: SessionEntity, now: Date): SessionStatus {
  if (session.revokedAt) return 'revoked';
  if (session.expiresAt <= now) return 'expired';
  if (session.idleExpiresAt <= now) return 'idle_expired';
  return 'active';
}
