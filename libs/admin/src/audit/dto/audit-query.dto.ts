import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import type { AuditExportFormat, AuditOutcome } from '@portcullis/audit';
import { PageQueryDto } from '@portcullis/core';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

import { IsDateTime } from '../../common/query-validators.js';

/** The filters the audit list and export share. */
export class AuditSearchDto {
  @ApiPropertyOptional({ description: 'The actor id: a user id or a client id' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  actor?: string;

  @ApiPropertyOptional({
    description: 'A prefix of the action: user.login matches user.login.succeeded and user.login.failed',
    example: 'user.login',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  action?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure'] })
  @IsOptional()
  @IsIn(['success', 'failure'])
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ example: 'session' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  target_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 256)
  target_id?: string;

  @ApiPropertyOptional({ description: 'The X-Request-Id of the request that caused the events' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  request_id?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this instant' })
  @IsOptional()
  @IsDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this instant' })
  @IsOptional()
  @IsDateTime()
  to?: string;
}

/** The audit list's query: the filters and the usual paging (order is by sequence, newest first by default). */
export class AuditListQueryDto extends IntersectionType(PageQueryDto, AuditSearchDto) {}

export class AuditExportQueryDto extends AuditSearchDto {
  @ApiPropertyOptional({ enum: ['ndjson', 'csv'], default: 'ndjson' })
  @IsOptional()
  @IsIn(['ndjson', 'csv'])
  format?: AuditExportFormat;
}

/** Verification takes no parameters; declaring none makes an unknown one a 400, as elsewhere. */
export class AuditVerifyQueryDto {}
