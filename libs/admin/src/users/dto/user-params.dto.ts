import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** `{id}` in a user route: a bad UUID is a 400 with a field error, never a lookup. */
export class UserIdParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class UserSessionParamsDto extends UserIdParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId: string;
}
