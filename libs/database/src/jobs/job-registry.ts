import { Injectable } from '@nestjs/common';

import type { JobDefinition } from './job.types.js';
import { JobsErrorCode, JobsErrors } from './jobs.errors.js';

/** The jobs this process knows; each lib registers its own when its module starts. */
@Injectable()
export class JobRegistry {
  private readonly jobs = new Map<string, JobDefinition>();

  register(job: JobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`Job ${job.name} is registered twice`);
    this.jobs.set(job.name, job);
  }

  get(name: string): JobDefinition {
    const job = this.jobs.get(name);
    if (!job) throw JobsErrors.create(JobsErrorCode.JOB_NOT_FOUND, `No job named ${name}.`);
    return job;
  }

  all(): JobDefinition[] {
    return [...this.jobs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
