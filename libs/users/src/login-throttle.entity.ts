import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Failed-login counter for one submitted identifier (SHA-256 of its normalised form). */
@Entity({ name: 'login_throttles' })
export class LoginThrottleEntity {
  @PrimaryColumn({ type: 'bytea', primaryKeyConstraintName: 'pk_login_throttles' })
  identifierHash: Buffer;

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
