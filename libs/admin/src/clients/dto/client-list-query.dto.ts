import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@portcullis/core';
import { CLIENT_SORTS, CLIENT_TYPES, type ClientSort, type ClientType } from '@portcullis/oauth';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

import { QueryBoolean } from '../../shared/query-boolean.js';

export class ClientListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CLIENT_SORTS, default: 'created_at' })
  @IsOptional()
  @IsIn(CLIENT_SORTS)
  sort?: ClientSort;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ enum: CLIENT_TYPES })
  @IsOptional()
  @IsIn(CLIENT_TYPES)
  type?: ClientType;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name or the client id' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  search?: string;
}
