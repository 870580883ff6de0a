import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-job state every node honours: paused or not. */
@Entity({ name: 'job_states' })
export class JobStateEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_job_states' })
  name: string;

  @Column({ type: 'boolean', default: false })
  paused: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
