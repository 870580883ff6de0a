import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'is_email' }) code: string;
  @ApiProperty({ example: 'email must be an e-mail address' }) message: string;
}

/** RFC 9457 problem document, as every error of our API is answered. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'urn:portcullis:problem:validation-failed' }) type: string;
  @ApiProperty({ example: 'The request is not valid' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiPropertyOptional({ example: 'Invalid fields: email.' }) detail?: string;
  @ApiProperty({ description: 'Stable machine-readable error code', example: 'VALIDATION_FAILED' })
  code: string;
  @ApiProperty({ description: 'Echoes X-Request-Id', example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  request_id: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (field errors listed)',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with existing data',
  413: 'Request body too large',
  415: 'Unsupported content type',
  429: 'Too many attempts; see Retry-After',
};

/** Documents the problem responses a route can answer, all with the same schema. */
export function ApiProblemResponses(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto, FieldErrorDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}
