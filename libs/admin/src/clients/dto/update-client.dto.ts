import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

import { ValidateIfPresent } from '../../shared/present.js';
import { ClientSettingsDto } from './create-client.dto.js';

/** PATCH: only the fields sent change; client_id and type are fixed for a client's life. */
export class UpdateClientDto extends ClientSettingsDto {
  @ApiPropertyOptional({ example: 'Calendar app', minLength: 1, maxLength: 200 })
  @ValidateIfPresent()
  @IsString()
  @Length(1, 200)
  name?: string;
}
