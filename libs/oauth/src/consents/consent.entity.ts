import { UserEntity } from '@portcullis/users';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { ClientEntity } from '../clients/client.entity.js';

/** The scopes a user allowed a client: asked once, remembered until revoked. */
@Entity({ name: 'oauth_consents' })
export class ConsentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_oauth_consents' })
  userId: string;

  @Index('ix_oauth_consents_client_id')
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_oauth_consents' })
  clientId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_oauth_consents_user' })
  user?: UserEntity;

  @ManyToOne(() => ClientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'fk_oauth_consents_client' })
  client?: ClientEntity;

  @Column({ type: 'text', array: true, default: '{}' })
  scopes: string[];

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
