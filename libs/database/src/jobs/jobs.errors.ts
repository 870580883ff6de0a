import { defineErrors } from '@portcullis/core';

export enum JobsErrorCode {
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
  JOB_RUNNING = 'JOB_RUNNING',
}

export const JobsErrors = defineErrors<JobsErrorCode>({
  [JobsErrorCode.JOB_NOT_FOUND]: { status: 404, title: 'No such job' },
  [JobsErrorCode.JOB_RUNNING]: { status: 409, title: 'The job is running already' },
});
