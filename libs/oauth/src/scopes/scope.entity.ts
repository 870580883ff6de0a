import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A scope clients may ask for; the description is what the consent page shows. */
@Entity({ name: 'oauth_scopes' })
export class ScopeEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_oauth_scopes' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'boolean', default: false })
  isBuiltin: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
