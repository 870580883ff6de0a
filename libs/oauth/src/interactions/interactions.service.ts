import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ANONYMOUS_ACTOR, AuditAction, AuditService, userActor } from '@portcullis/audit';
import { DomainError } from '@portcullis/core';
import { SessionsService } from '@portcullis/sessions';
import { AccountLockedError, CredentialsService, UsersErrorCode, UsersService } from '@portcullis/users';
import type { Interaction, InteractionResults } from 'oidc-provider';
import type { DataSource } from 'typeorm';

import { ConsentsService } from '../consents/consents.service.js';
import { OAuthAuditAction } from '../events/oauth-audit-actions.js';
import { applyScopes, allScopes, isRoleBoundScope, type RequestedScopes } from '../grants/grant-scopes.js';
import { GrantLoader } from '../grants/grant-loader.js';
import { INTERACTION_PATH_PREFIX } from '../provider/oauth-routes.js';
import { OidcProviderService } from '../provider/oidc-provider.service.js';
import { ScopesService } from '../scopes/scopes.service.js';
import { InteractionCsrf } from './interaction-csrf.js';
import { consentPage } from './pages/consent-page.js';
import { loginPage } from './pages/login-page.js';
import { messagePage } from './pages/message-page.js';
import { passwordChangePage } from './pages/password-change-page.js';

/** What an interaction request answers: a page, or a redirect back into the provider. */
export type InteractionOutcome =
  | { kind: 'page'; status: number; html: string; formTarget?: string }
  | { kind: 'redirect'; location: string };

/** The raw Node request and response the provider reads its cookies from. */
export interface RawExchange {
  req: IncomingMessage;
  res: ServerResponse;
}

export interface LoginForm {
  csrf?: string;
  username?: string;
  password?: string;
}

export interface PasswordForm {
  csrf?: string;
  new_password?: string;
  confirm_password?: string;
}

export interface ConsentForm {
  csrf?: string;
  decision?: string;
}

interface PendingPasswordChange {
  accountId: string;
  ts: number;
}

/**
 * The login, password-change and consent steps of an authorization (oidc-provider's
 * interactions). Credentials are checked by CredentialsService (lockout included); consent
 * is remembered per user and client; admin:* scopes are granted only to roles that hold them.
 */
@Injectable()
export class InteractionsService {
  private csrfTokens?: InteractionCsrf;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly oidc: OidcProviderService,
    private readonly credentials: CredentialsService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly consents: ConsentsService,
    private readonly scopes: ScopesService,
    private readonly grants: GrantLoader,
    private readonly audit: AuditService,
  ) {}

  /** The page for the interaction's current prompt. */
  async show(exchange: RawExchange, uid: string): Promise<InteractionOutcome> {
    const interaction = await this.find(exchange, uid);
    if (!interaction) return expired();
    if (interaction.prompt.name === 'login') {
      const pending = pendingPasswordChange(interaction);
      if (pending) return this.passwordPage(interaction);
      return this.loginPage(interaction, { username: stringParam(interaction.params.login_hint) });
    }
    if (interaction.prompt.name === 'consent') return this.consentPage(exchange, interaction);
    return { kind: 'page', status: 400, html: messagePage('Something went wrong', 'Unknown step.', true) };
  }

  async login(exchange: RawExchange, uid: string, form: LoginForm): Promise<InteractionOutcome> {
    const interaction = await this.find(exchange, uid);
    if (!interaction || interaction.prompt.name !== 'login') return expired();
    if (!this.csrf().isValid(uid, form.csrf)) return forbidden();
    const username = form.username ?? '';
    let userId: string;
    let mustChangePassword: boolean;
    try {
      const user = await this.credentials.verify(username, form.password ?? '');
      userId = user.id;
      mustChangePassword = user.requiresPasswordChange;
    } catch (error) {
      return this.loginFailed(interaction, username, error);
    }
    await this.audit.record({
      action: AuditAction.LOGIN_SUCCEEDED,
      outcome: 'success',
      actor: userActor(userId),
      details: { client_id: interaction.params.client_id, via: 'authorization' },
    });
    if (mustChangePassword) {
      const pending: PendingPasswordChange = { accountId: userId, ts: epochNow() };
      await this.oidc.provider.interactionResult(exchange.req, exchange.res, {
        pendingPasswordChange: pending,
      });
      return this.passwordPage(interaction);
    }
    return this.finishLogin(exchange, userId, epochNow());
  }

  async changePassword(exchange: RawExchange, uid: string, form: PasswordForm): Promise<InteractionOutcome> {
    const interaction = await this.find(exchange, uid);
    if (!interaction || interaction.prompt.name !== 'login') return expired();
    if (!this.csrf().isValid(uid, form.csrf)) return forbidden();
    const pending = pendingPasswordChange(interaction);
    if (!pending) return this.loginPage(interaction, {});
    const password = form.new_password ?? '';
    if (password !== (form.confirm_password ?? '')) {
      return this.passwordPage(interaction, ['The two passwords are not the same.']);
    }
    try {
      await this.dataSource.transaction(async (manager) => {
        await this.users.setPassword(pending.accountId, password, { requireChange: false }, manager);
        const ended = await this.sessions.revokeAllForUser(pending.accountId, 'password_changed', manager);
        await this.audit.record(
          {
            action: AuditAction.PASSWORD_CHANGED,
            outcome: 'success',
            actor: userActor(pending.accountId),
            target: { type: 'user', id: pending.accountId },
            details: { other_sessions_ended: ended, via: 'authorization' },
          },
          manager,
        );
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === UsersErrorCode.PASSWORD_POLICY_VIOLATION) {
        return this.passwordPage(interaction, error.errors?.map((field) => field.message) ?? [error.message]);
      }
      throw error;
    }
    return this.finishLogin(exchange, pending.accountId, pending.ts);
  }

  async consent(exchange: RawExchange, uid: string, form: ConsentForm): Promise<InteractionOutcome> {
    const interaction = await this.find(exchange, uid);
    if (!interaction || interaction.prompt.name !== 'consent') return expired();
    if (!this.csrf().isValid(uid, form.csrf)) return forbidden();
    const accountId = interaction.session!.accountId;
    const clientId = String(interaction.params.client_id);
    if (form.decision !== 'allow') {
      await this.audit.record({
        action: OAuthAuditAction.AUTHORIZATION_DENIED,
        outcome: 'failure',
        actor: userActor(accountId),
        target: { type: 'client', id: clientId },
        details: { reason: 'user_denied' },
      });
      return this.finish(exchange, {
        error: 'access_denied',
        error_description: 'The user denied the request',
      });
    }
    return this.allow(exchange, interaction);
  }

  private async allow(exchange: RawExchange, interaction: Interaction): Promise<InteractionOutcome> {
    const { Grant } = this.oidc.provider;
    const accountId = interaction.session!.accountId;
    const clientId = String(interaction.params.client_id);
    const grant =
      (interaction.grantId ? await Grant.find(interaction.grantId) : undefined) ??
      new Grant({ accountId, clientId });
    const granted = applyScopes(
      grant,
      missingScopes(interaction),
      () => true,
      await this.grants.userScopes(accountId),
    );
    const grantId = await grant.save();
    await this.dataSource.transaction(async (manager) => {
      await this.consents.remember(accountId, clientId, granted, manager);
      await this.audit.record(
        {
          action: OAuthAuditAction.CONSENT_GIVEN,
          outcome: 'success',
          actor: userActor(accountId),
          target: { type: 'client', id: clientId },
          details: { scopes: granted },
        },
        manager,
      );
    });
    return this.finish(exchange, { consent: { grantId } }, true);
  }

  private async finishLogin(
    exchange: RawExchange,
    accountId: string,
    ts: number,
  ): Promise<InteractionOutcome> {
    return this.finish(exchange, { login: { accountId, ts, amr: ['pwd'], remember: true } });
  }

  private async finish(
    exchange: RawExchange,
    result: InteractionResults,
    mergeWithLastSubmission = false,
  ): Promise<InteractionOutcome> {
    const location = await this.oidc.provider.interactionResult(exchange.req, exchange.res, result, {
      mergeWithLastSubmission,
    });
    return { kind: 'redirect', location };
  }

  private async loginFailed(
    interaction: Interaction,
    username: string,
    error: unknown,
  ): Promise<InteractionOutcome> {
    if (error instanceof AccountLockedError) {
      await this.audit.record({
        action: error.lockedByThisAttempt ? AuditAction.LOGIN_LOCKED : AuditAction.LOGIN_FAILED,
        outcome: 'failure',
        actor: ANONYMOUS_ACTOR,
        details: error.lockedByThisAttempt
          ? { locked_for_seconds: error.retryAfterSeconds, via: 'authorization' }
          : { reason: 'account_locked', via: 'authorization' },
      });
      const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
      return this.loginPage(
        interaction,
        {
          username,
          error: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        },
        429,
      );
    }
    if (error instanceof DomainError && error.code === UsersErrorCode.INVALID_CREDENTIALS) {
      await this.audit.record({
        action: AuditAction.LOGIN_FAILED,
        outcome: 'failure',
        actor: ANONYMOUS_ACTOR,
        details: { reason: 'invalid_credentials', via: 'authorization' },
      });
      return this.loginPage(
        interaction,
        { username, error: 'The username, e-mail or password is not right.' },
        401,
      );
    }
    throw error;
  }

  private async loginPage(
    interaction: Interaction,
    input: { username?: string; error?: string },
    status = 200,
  ): Promise<InteractionOutcome> {
    return {
      kind: 'page',
      status,
      formTarget: redirectOrigin(interaction),
      html: loginPage({
        action: `${INTERACTION_PATH_PREFIX}/${interaction.uid}/login`,
        csrfToken: this.csrf().tokenFor(interaction.uid),
        clientName: await this.clientName(interaction),
        ...input,
      }),
    };
  }

  private passwordPage(interaction: Interaction, errors?: string[]): InteractionOutcome {
    return {
      kind: 'page',
      status: errors ? 400 : 200,
      formTarget: redirectOrigin(interaction),
      html: passwordChangePage({
        action: `${INTERACTION_PATH_PREFIX}/${interaction.uid}/password`,
        csrfToken: this.csrf().tokenFor(interaction.uid),
        errors,
      }),
    };
  }

  private async consentPage(exchange: RawExchange, interaction: Interaction): Promise<InteractionOutcome> {
    const userScopes = await this.grants.userScopes(interaction.session!.accountId);
    const asked = allScopes(missingScopes(interaction)).filter(
      (scope) => !isRoleBoundScope(scope) || userScopes.has(scope),
    );
    // Nothing the user could allow (only role-bound scopes it lacks): nothing to ask.
    if (asked.length === 0) return this.allow(exchange, interaction);
    const described = await this.scopes.findByNames(asked);
    return {
      kind: 'page',
      status: 200,
      formTarget: redirectOrigin(interaction),
      html: consentPage({
        action: `${INTERACTION_PATH_PREFIX}/${interaction.uid}/consent`,
        csrfToken: this.csrf().tokenFor(interaction.uid),
        clientName: await this.clientName(interaction),
        scopes: described.map((scope) => ({ name: scope.name, description: scope.description })),
      }),
    };
  }

  private async clientName(interaction: Interaction): Promise<string> {
    const client = await this.oidc.provider.Client.find(String(interaction.params.client_id));
    return client?.clientName ?? String(interaction.params.client_id);
  }

  /** The interaction this browser is in, if `uid` is it (the provider checks its signed cookie). */
  private async find(exchange: RawExchange, uid: string): Promise<Interaction | undefined> {
    try {
      const interaction = await this.oidc.provider.interactionDetails(exchange.req, exchange.res);
      return interaction.uid === uid ? interaction : undefined;
    } catch {
      return undefined;
    }
  }

  private csrf(): InteractionCsrf {
    this.csrfTokens ??= new InteractionCsrf(this.oidc.deriveSecret('interaction-csrf'));
    return this.csrfTokens;
  }
}

function missingScopes(interaction: Interaction): RequestedScopes {
  const details = interaction.prompt.details as {
    missingOIDCScope?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  return { oidc: details.missingOIDCScope ?? [], resources: details.missingResourceScopes ?? {} };
}

function pendingPasswordChange(interaction: Interaction): PendingPasswordChange | undefined {
  const pending = (interaction.result as { pendingPasswordChange?: PendingPasswordChange } | undefined)
    ?.pendingPasswordChange;
  return pending?.accountId ? pending : undefined;
}

/** Where the flow's last redirect goes: the page's CSP must let the form navigate there. */
function redirectOrigin(interaction: Interaction): string | undefined {
  try {
    return new URL(String(interaction.params.redirect_uri)).origin;
  } catch {
    return undefined;
  }
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function epochNow(): number {
  return Math.floor(Date.now() / 1000);
}

function expired(): InteractionOutcome {
  return {
    kind: 'page',
    status: 400,
    html: messagePage(
      'Sign-in expired',
      'This sign-in request has expired or belongs to another browser. Go back to the application and start again.',
      true,
    ),
  };
}

function forbidden(): InteractionOutcome {
  return {
    kind: 'page',
    status: 403,
    html: messagePage(
      'Request refused',
      'The form could not be verified. Reload the page and try again.',
      true,
    ),
  };
}
