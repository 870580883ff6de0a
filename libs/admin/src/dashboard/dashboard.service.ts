import { Injectable } from '@nestjs/common';
import { AuditAction, AuditStatsService } from '@portcullis/audit';
import { AppCache, Clock } from '@portcullis/core';
import { ClientsService, OAuthAuditAction } from '@portcullis/oauth';
import { SessionsService } from '@portcullis/sessions';
import { UserStatsService } from '@portcullis/users';

import { DASHBOARD_VIEW } from '../admin-cache.views.js';
import type { DashboardStatsResponseDto } from './dto/dashboard-stats.dto.js';

const DAY_MS = 86_400_000;

const COUNTED_ACTIONS = [
  AuditAction.LOGIN_SUCCEEDED,
  AuditAction.LOGIN_FAILED,
  AuditAction.LOGIN_LOCKED,
  OAuthAuditAction.TOKEN_ISSUED,
  OAuthAuditAction.TOKEN_REFRESHED,
];

/**
 * The dashboard's numbers, one cheap query per table, each in the lib that owns the table,
 * cached for a minute (DASHBOARD_VIEW): any write to what they count invalidates them.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly users: UserStatsService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditStatsService,
    private readonly clients: ClientsService,
    private readonly clock: Clock,
    private readonly cache: AppCache,
  ) {}

  stats(): Promise<DashboardStatsResponseDto> {
    return this.cache.getOrLoad(DASHBOARD_VIEW, 'stats', () => this.compute());
  }

  private async compute(): Promise<DashboardStatsResponseDto> {
    const now = this.clock.now();
    const [users, sessions, events, clients] = await Promise.all([
      this.users.stats(),
      this.sessions.summary(),
      this.audit.countActionsSince(COUNTED_ACTIONS, new Date(now.getTime() - DAY_MS)),
      this.clients.counts(),
    ]);
    return {
      generated_at: now.toISOString(),
      users: {
        total: users.total,
        active: users.active,
        locked: users.locked,
        unverified: users.unverified,
        admins: users.admins,
        new_24h: users.new24h,
        new_7d: users.new7d,
        new_30d: users.new30d,
      },
      sessions: { active: sessions.active, created_24h: sessions.created24h },
      logins_24h: {
        succeeded: events[AuditAction.LOGIN_SUCCEEDED],
        // The attempt that locks an identifier is itself a failed sign-in, audited as the lockout.
        failed: events[AuditAction.LOGIN_FAILED] + events[AuditAction.LOGIN_LOCKED],
        lockouts: events[AuditAction.LOGIN_LOCKED],
      },
      clients: { total: clients.total, active: clients.active },
      tokens_24h: {
        issued: events[OAuthAuditAction.TOKEN_ISSUED],
        refreshed: events[OAuthAuditAction.TOKEN_REFRESHED],
      },
    };
  }
}
