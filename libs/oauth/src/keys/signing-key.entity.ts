import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SigningKeyState = 'active' | 'retired';

/** A token signing key. The private half is sealed with AES-256-GCM (see KeyEncryption). */
@Entity({ name: 'signing_keys' })
@Check('ck_signing_keys_state', `state IN ('active', 'retired')`)
@Index('ix_signing_keys_state', ['state', 'createdAt'])
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_signing_keys' })
  kid: string;

  @Column({ type: 'text' })
  alg: string;

  @Column({ type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  @Column({ type: 'text', select: false })
  privateKeyCiphertext: string;

  @Column({ type: 'text' })
  state: SigningKeyState;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
