import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@portcullis/core';
import { IsBoolean, IsOptional } from 'class-validator';

import { QueryBoolean } from '../../common/query-validators.js';

/** A user's sessions by when they started (newest first unless order=asc), paged as every list. */
export class UserSessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Also ended sessions (not yet pruned)' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  include_inactive?: boolean;
}
