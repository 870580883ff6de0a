import { PickType } from '@nestjs/swagger';
import { PageQueryDto } from '@portcullis/core';

/** Run history is newest first; it pages by offset or by cursor. */
export class JobRunsQueryDto extends PickType(PageQueryDto, ['limit', 'offset', 'cursor'] as const) {}
