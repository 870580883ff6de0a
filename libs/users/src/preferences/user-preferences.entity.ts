import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { UserEntity } from '../user.entity.js';
import type { JsonObject } from './json-value.js';

/** A user's preferences: one free-form JSON object, removed with its user. */
@Entity({ name: 'user_preferences' })
export class UserPreferencesEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_user_preferences' })
  userId: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_preferences_user' })
  user?: UserEntity;

  @Column({ type: 'jsonb', default: {} })
  data: JsonObject;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
