import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

import { RoleEntity } from './role.entity.js';

/** OIDC standard postal address claim (OpenID Connect Core §5.1.1). */
export interface AddressClaim {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

@Entity({ name: 'users' })
@Index('ix_users_last_login_at_id', ['lastLoginAt', 'id'])
@Index('ix_users_family_name_id', ['familyName', 'id'])
// For the admin list, indexes TypeORM cannot express (an INCLUDE, DESC NULLS LAST, trigram
// operator classes over text casts): the migration owns them.
@Index('ix_users_created_at_id', { synchronize: false })
@Index('ix_users_last_login_at_id_desc', { synchronize: false })
@Index('ix_users_family_name_id_desc', { synchronize: false })
@Index('ix_users_username_trgm', { synchronize: false })
@Index('ix_users_email_trgm', { synchronize: false })
@Index('ix_users_given_name_trgm', { synchronize: false })
@Index('ix_users_family_name_trgm', { synchronize: false })
@Unique('uq_users_username', ['username'])
@Unique('uq_users_email', ['email'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id: string;

  @Column({ type: 'citext' })
  username: string;

  @Column({ type: 'citext' })
  email: string;

  @Column({ type: 'boolean', default: false })
  emailVerified: boolean;

  @Column({ type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'boolean', default: false })
  requiresPasswordChange: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  givenName: string | null;

  @Column({ type: 'text', nullable: true })
  familyName: string | null;

  @Column({ type: 'text', nullable: true })
  middleName: string | null;

  @Column({ type: 'text', nullable: true })
  nickname: string | null;

  @Column({ type: 'text', nullable: true })
  preferredUsername: string | null;

  @Column({ type: 'text', nullable: true })
  profile: string | null;

  @Column({ type: 'text', nullable: true })
  picture: string | null;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  @Column({ type: 'text', nullable: true })
  gender: string | null;

  @Column({ type: 'text', nullable: true })
  birthdate: string | null;

  @Column({ type: 'text', nullable: true })
  zoneinfo: string | null;

  @Column({ type: 'text', nullable: true })
  locale: string | null;

  @Column({ type: 'text', nullable: true })
  phoneNumber: string | null;

  @Column({ type: 'boolean', default: false })
  phoneNumberVerified: boolean;

  @Column({ type: 'jsonb', nullable: true })
  address: AddressClaim | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /**
   * The ids of the user's roles, mirrored from user_roles by the database's triggers (never
   * written here): lets the admin list filter and count by role from an index alone.
   */
  @Column({ type: 'uuid', array: true, default: () => "'{}'", select: false, insert: false, update: false })
  roleIds?: string[];

  @ManyToMany(() => RoleEntity)
  @JoinTable({
    name: 'user_roles',
    joinColumn: {
      name: 'user_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'fk_user_roles_user',
    },
    inverseJoinColumn: {
      name: 'role_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'fk_user_roles_role',
    },
    // The join table, its keys and indexes are the migrations' to define.
    synchronize: false,
  })
  roles: RoleEntity[];
}
