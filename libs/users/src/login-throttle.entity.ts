import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { UserEntity } from './user.entity.js';

/** Failed-login counter for one submitted identifier (SHA-256 of its normalised form). */
@Entity({ name: 'login_throttles' })
@Index('ix_login_throttles_user_id', ['userId'], { where: 'user_id IS NOT NULL' })
@Index('ix_login_throttles_locked_until_user_id', ['lockedUntil', 'userId'], {
  where: 'user_id IS NOT NULL AND locked_until IS NOT NULL',
})
export class LoginThrottleEntity {
  @PrimaryColumn({ type: 'bytea', primaryKeyConstraintName: 'pk_login_throttles' })
  identifierHash: Buffer;

  /** The user the identifier named at the last counted failure; NULL for unknown identifiers. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_login_throttles_user' })
  user?: UserEntity;

  @Column({ type: 'integer' })
  failureCount: number;

  @Column({ type: 'timestamptz' })
  windowStartedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Index('ix_login_throttles_updated_at')
  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
