import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuditChainVerifier, AuditExportService, AuditQueryService } from '@portcullis/audit';
import { RequireScopes } from '@portcullis/auth';
import { ApiProblemResponses } from '@portcullis/core';

import { AuditEventPageDto, toAuditEventPage } from './dto/audit-event-response.dto.js';
import { toAuditExportFile } from './dto/audit-export-file.js';
import { AuditExportQueryDto, AuditListQueryDto, AuditVerifyQueryDto } from './dto/audit-query.dto.js';
import {
  AuditChainVerificationDto,
  toAuditChainVerificationResponse,
} from './dto/audit-verification-response.dto.js';

const AUDIT_READ = 'admin:audit:read';

@ApiTags('admin-audit')
@Controller({ path: 'admin/audit', version: '1' })
export class AdminAuditController {
  constructor(
    private readonly queries: AuditQueryService,
    private readonly verifier: AuditChainVerifier,
    private readonly exports: AuditExportService,
  ) {}

  @Get()
  @RequireScopes(AUDIT_READ)
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: 'Search the audit trail, newest first',
    description:
      'Paged by cursor (or offset). total is never given: counting an ever-growing trail is too slow.',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiProblemResponses(400, 401, 403)
  async list(@Query() query: AuditListQueryDto): Promise<AuditEventPageDto> {
    return toAuditEventPage(await this.queries.list(query));
  }

  @Get('verify')
  @RequireScopes(AUDIT_READ)
  @ApiOperation({
    operationId: 'verifyAuditChain',
    summary: 'Recompute the hash chain and report the first event that does not match',
    description: 'The first remaining event (after retention) is trusted as the anchor.',
  })
  @ApiOkResponse({ type: AuditChainVerificationDto })
  @ApiProblemResponses(400, 401, 403)
  async verify(@Query() _query: AuditVerifyQueryDto): Promise<AuditChainVerificationDto> {
    return toAuditChainVerificationResponse(await this.verifier.verify());
  }

  @Get('export')
  @RequireScopes(AUDIT_READ)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'exportAuditEvents',
    summary: 'Download every matching event, oldest first, as NDJSON or CSV',
    description:
      'Streamed. Covers the events that existed when the export started. NDJSON lines have the shape of the list items; ' +
      'CSV has a header row, flattens actor and target, holds details as JSON, and prefixes cells a spreadsheet ' +
      'would run as formulas with a quote mark. A response cut short means the export failed.',
  })
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({
    description: 'An attachment (Content-Disposition) of the matching events',
    content: {
      'application/x-ndjson': {
        schema: { type: 'string', description: 'One AuditEventResponseDto per line' },
      },
      'text/csv': { schema: { type: 'string' } },
    },
    headers: {
      'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename=...' },
    },
  })
  @ApiProblemResponses(400, 401, 403)
  async export(@Query() query: AuditExportQueryDto): Promise<StreamableFile> {
    return toAuditExportFile(await this.exports.open(query));
  }
}
