import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, ConfigValidationError, DomainError } from '@portcullis/core';
import type { DataSource } from 'typeorm';

import { generatePassword } from './passwords/password-generator.js';
import { PasswordPolicy, type PasswordContext } from './passwords/password-policy.js';
import { ADMIN_ROLE } from './roles.constants.js';
import { identityErrors, normalizeIdentity } from './user-identity.js';
import type { UserEntity } from './user.entity.js';
import { UsersErrorCode } from './users.errors.js';
import { UsersService } from './users.service.js';

/** Serialises the check-then-create across nodes that start at the same time. */
const BOOTSTRAP_LOCK = 'portcullis:users:bootstrap-admin';

export interface BootstrapResult {
  admin: UserEntity;
  /** Set only when the password was generated; shown once, never stored in the clear. */
  generatedPassword?: string;
}

/**
 * At start, when no active user holds the `admin` role, creates one from ADMIN_USERNAME,
 * ADMIN_EMAIL and ADMIN_PASSWORD. Without ADMIN_PASSWORD a random one is generated, printed
 * once, and must be changed at first sign-in.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly policy: PasswordPolicy,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.ensureAdmin();
    if (!result) return;
    if (result.generatedPassword) {
      this.announce(result.admin, result.generatedPassword);
    } else {
      this.logger.log(
        `Created the bootstrap admin "${result.admin.username}" with the password from ADMIN_PASSWORD`,
      );
    }
  }

  /** Creates the admin if none is active; undefined when one already was (or could not be made). */
  async ensureAdmin(): Promise<BootstrapResult | undefined> {
    const username = normalizeIdentity(this.config.get('ADMIN_USERNAME'));
    const email = normalizeIdentity(this.config.get('ADMIN_EMAIL'));
    this.assertValidSettings(username, email);
    const given = this.config.get('ADMIN_PASSWORD');
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [BOOTSTRAP_LOCK]);
        if (await this.users.hasActiveAdmin(manager)) return undefined;
        if (given !== undefined) this.assertAcceptablePassword(given, { username, email });
        const password = given ?? this.generatePassword({ username, email });
        const admin = await this.users.create(
          {
            username,
            email,
            password,
            roles: [ADMIN_ROLE],
            emailVerified: true,
            requiresPasswordChange: given === undefined,
          },
          manager,
        );
        return given === undefined ? { admin, generatedPassword: password } : { admin };
      });
    } catch (error) {
      // A user who is not an active admin holds the name: keep serving (an outage helps no
      // one) and tell the operator how to get an admin back.
      if (
        error instanceof DomainError &&
        (error.code === UsersErrorCode.USERNAME_TAKEN || error.code === UsersErrorCode.EMAIL_TAKEN)
      ) {
        this.logger.error(
          `No active admin exists, and the bootstrap admin could not be created: ${error.detail ?? error.title} ` +
            'Set ADMIN_USERNAME and ADMIN_EMAIL to unused values, or reactivate an admin, and restart.',
        );
        return undefined;
      }
      throw error;
    }
  }

  private assertValidSettings(username: string, email: string): void {
    const [invalid] = identityErrors(username, email);
    if (invalid) {
      throw new ConfigValidationError(
        invalid.field === 'username' ? 'ADMIN_USERNAME' : 'ADMIN_EMAIL',
        invalid.message,
      );
    }
  }

  private assertAcceptablePassword(password: string, context: PasswordContext): void {
    const errors = this.policy.check(password, context);
    if (errors.length > 0) {
      throw new ConfigValidationError('ADMIN_PASSWORD', errors.map((error) => error.message).join(' '));
    }
  }

  private generatePassword(context: PasswordContext): string {
    const generated = generatePassword(this.policy, context);
    if (generated !== undefined) return generated;
    throw new ConfigValidationError(
      'ADMIN_PASSWORD',
      'no generated password satisfied the password policy; set one',
    );
  }

  /**
   * The one deliberate exception to "never log a secret": the operator has no other way to
   * learn this password. It is printed once, and the admin must change it at first sign-in.
   */
  private announce(admin: UserEntity, password: string): void {
    const rule = '='.repeat(72);
    this.logger.warn(
      [
        '',
        rule,
        'BOOTSTRAP ADMIN CREATED (no active admin existed and ADMIN_PASSWORD is not set)',
        `  username: ${admin.username}`,
        `  password: ${password}`,
        'This password is shown only this once. Sign in and change it now.',
        rule,
      ].join('\n'),
    );
  }
}
