import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '@portcullis/auth';
import { ApiProblemResponses, AppCache } from '@portcullis/core';

@ApiTags('health')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly cache: AppCache,
  ) {}

  /** The process is up; says nothing about its dependencies (for restarts, not routing). */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process answers' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready to serve: PostgreSQL answers (for load balancers). The cache is reported but never
   * fails the check: without Redis every read goes to PostgreSQL, so the node still serves.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: dependencies answer' })
  @ApiProblemResponses(503)
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      () => this.cacheCheck(),
    ]);
  }

  private async cacheCheck() {
    const cache = this.indicators.check('cache');
    const state = await this.cache.health();
    return state === 'down'
      ? cache.degraded({ store: 'redis', message: 'Redis does not answer' })
      : cache.up({ store: state });
  }
}
