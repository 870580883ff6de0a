import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type AuditActor, userActor } from '@portcullis/audit';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { OidcProviderService } from '../provider/oidc-provider.service.js';
import { ProviderRequestWrites } from '../provider/provider-request-writes.js';
import { OAuthAuditAction } from './oauth-audit-actions.js';

type ProviderError = Error & { error?: string; error_detail?: string };

/** Endpoints whose failures can be a client failing to authenticate. */
const CLIENT_AUTHENTICATING_ERRORS = [
  'grant.error',
  'introspection.error',
  'revocation.error',
  'pushed_authorization_request.error',
  'device_authorization.error',
];

const REUSE_DETAILS = new Set(['refresh token already used', 'authorization code already consumed']);
const REVOCABLE = ['AccessToken', 'RefreshToken', 'ClientCredentials'] as const;

/**
 * Turns the provider's events into audit events: authorizations granted, tokens issued,
 * refreshed, reused and revoked, client authentication failures. They commit with the
 * request's token records before its response (ProviderRequestWrites). No token goes out
 * unaudited; any other audit failure is logged and never fails the request that caused it.
 */
@Injectable()
export class ProviderAuditEvents implements OnModuleInit {
  constructor(
    private readonly oidc: OidcProviderService,
    private readonly requestWrites: ProviderRequestWrites,
  ) {}

  onModuleInit(): void {
    this.oidc.onBuild((provider) => {
      provider.on('authorization.success', (ctx: KoaContextWithOIDC) => this.authorizationGranted(ctx));
      provider.on('grant.success', (ctx: KoaContextWithOIDC) => this.tokenIssued(ctx));
      for (const event of CLIENT_AUTHENTICATING_ERRORS) {
        provider.on(event as 'grant.error', (ctx: KoaContextWithOIDC, error: ProviderError) =>
          this.endpointFailed(ctx, error),
        );
      }
      provider.use(async (ctx, next) => {
        await next();
        if (ctx.oidc?.route === 'revocation' && ctx.status === 200)
          this.tokenRevoked(ctx as KoaContextWithOIDC);
      });
    });
  }

  private authorizationGranted(ctx: KoaContextWithOIDC): void {
    const accountId = ctx.oidc.session?.accountId;
    this.record(ctx, {
      action: OAuthAuditAction.AUTHORIZATION_GRANTED,
      actor: accountId ? userActor(accountId) : clientActor(ctx),
      clientId: ctx.oidc.client?.clientId,
      details: { scope: ctx.oidc.params?.scope ?? null },
    });
  }

  private tokenIssued(ctx: KoaContextWithOIDC): void {
    const grantType = String(ctx.oidc.params?.grant_type ?? '');
    const token = ctx.oidc.entities.AccessToken ?? ctx.oidc.entities.ClientCredentials;
    const accountId = (token as { accountId?: string } | undefined)?.accountId;
    this.record(ctx, {
      action:
        grantType === 'refresh_token' ? OAuthAuditAction.TOKEN_REFRESHED : OAuthAuditAction.TOKEN_ISSUED,
      actor: accountId ? userActor(accountId) : clientActor(ctx),
      clientId: ctx.oidc.client?.clientId,
      details: { grant_type: grantType, scope: token?.scope ?? null },
      required: true,
    });
  }

  private endpointFailed(ctx: KoaContextWithOIDC, error: ProviderError): void {
    if (error.error === 'invalid_client') {
      const clientId = ctx.oidc.client?.clientId ?? presentedClientId(ctx);
      this.record(ctx, {
        action: OAuthAuditAction.CLIENT_AUTH_FAILED,
        outcome: 'failure',
        actor: { type: 'client', id: clientId ?? null },
        clientId,
        details: { endpoint: ctx.oidc.route, reason: error.error_detail ?? error.message },
      });
      return;
    }
    if (error.error === 'invalid_grant' && error.error_detail && REUSE_DETAILS.has(error.error_detail)) {
      const reused = ctx.oidc.entities.RefreshToken ?? ctx.oidc.entities.AuthorizationCode;
      const accountId = (reused as { accountId?: string } | undefined)?.accountId;
      this.record(ctx, {
        action: OAuthAuditAction.TOKEN_REUSED,
        outcome: 'failure',
        actor: accountId ? userActor(accountId) : clientActor(ctx),
        clientId: ctx.oidc.client?.clientId,
        details: { reason: error.error_detail, grant_revoked: true },
      });
    }
  }

  private tokenRevoked(ctx: KoaContextWithOIDC): void {
    const entities = ctx.oidc.entities as Record<string, { accountId?: string } | undefined>;
    const kind = REVOCABLE.find((name) => entities[name] !== undefined);
    if (!kind) return;
    const accountId = entities[kind]?.accountId;
    this.record(ctx, {
      action: OAuthAuditAction.TOKEN_REVOKED,
      actor: accountId ? userActor(accountId) : clientActor(ctx),
      clientId: ctx.oidc.client?.clientId,
      details: { token_type: kind },
    });
  }

  private record(
    ctx: KoaContextWithOIDC,
    event: {
      action: string;
      actor: AuditActor;
      clientId?: string;
      outcome?: 'success' | 'failure';
      details?: Record<string, unknown>;
      /** Withholds the response until the event is committed. */
      required?: boolean;
    },
  ): void {
    this.requestWrites.deferEvent(
      ctx,
      {
        action: event.action,
        outcome: event.outcome ?? 'success',
        actor: event.actor,
        target: event.clientId ? { type: 'client', id: event.clientId } : undefined,
        details: event.details,
      },
      { required: event.required },
    );
  }
}

function clientActor(ctx: KoaContextWithOIDC): AuditActor {
  return { type: 'client', id: ctx.oidc.client?.clientId ?? null };
}

/** The client id a failed authentication named, from the body or the Basic header. */
function presentedClientId(ctx: KoaContextWithOIDC): string | undefined {
  const fromBody = ctx.oidc.params?.client_id;
  if (typeof fromBody === 'string') return fromBody;
  const header = ctx.headers.authorization;
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}
