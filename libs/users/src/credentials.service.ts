import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CacheInvalidator } from '@portcullis/database';
import type { DataSource } from 'typeorm';

import { LoginThrottleService } from './login-throttle.service.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { normalizeIdentity } from './user-identity.js';
import { UserEntity } from './user.entity.js';
import { userChanged } from './users.cache.js';
import { AccountLockedError, UsersErrorCode, UsersErrors } from './users.errors.js';

/**
 * Checks a sign-in: username or e-mail and password. A wrong password, an unknown user and an
 * inactive user get the same INVALID_CREDENTIALS after the same work (one bcrypt verification
 * and one counted failure), so neither the answer nor its timing tells them apart.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly invalidator: CacheInvalidator,
  ) {}

  /**
   * The user, with roles and without its password hash, when the credentials are right.
   * Throws INVALID_CREDENTIALS (401), or ACCOUNT_LOCKED (429, an AccountLockedError with
   * Retry-After) when the identifier is locked or this failure locked it.
   */
  async verify(identifier: string, password: string): Promise<UserEntity> {
    await this.throttle.assertNotLocked(identifier);
    const user = await this.findForSignIn(identifier);
    const passwordMatches = user
      ? await this.hasher.verify(password, user.passwordHash)
      : await this.hasher.verifyAgainstDummy(password);

    if (!user || !passwordMatches || !user.isActive) {
      const outcome = await this.throttle.recordFailure(identifier, user?.id ?? null);
      if (outcome.locked) {
        throw new AccountLockedError(outcome.retryAfterSeconds ?? 1, outcome.lockedByThisAttempt);
      }
      throw UsersErrors.create(UsersErrorCode.INVALID_CREDENTIALS);
    }

    await this.throttle.reset(identifier);
    await this.upgradeHashIfNeeded(user, password);
    user.lastLoginAt = await this.markSignedIn(user.id);
    delete (user as Partial<UserEntity>).passwordHash;
    return user;
  }

  /** A username never contains `@` and an e-mail always does, so one unique column is searched. */
  private async findForSignIn(identifier: string): Promise<UserEntity | null> {
    const value = normalizeIdentity(identifier);
    if (value.length === 0) return null;
    return this.dataSource.manager
      .createQueryBuilder(UserEntity, 'user')
      .addSelect('user.passwordHash')
      .leftJoinAndSelect('user.roles', 'role')
      .where(value.includes('@') ? 'user.email = :value' : 'user.username = :value', { value })
      .getOne();
  }

  /**
   * Re-hashes at the current BCRYPT_COST while the plain password is at hand. Best effort: a
   * failure only delays the upgrade to the next sign-in. Conditional on the old hash, so a
   * concurrent password change is never overwritten; raw SQL so updated_at (the OIDC claim)
   * does not move.
   */
  private async upgradeHashIfNeeded(user: UserEntity, password: string): Promise<void> {
    if (!this.hasher.needsRehash(user.passwordHash)) return;
    try {
      const upgraded = await this.hasher.hash(password);
      await this.dataSource.query(
        `UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`,
        [upgraded, user.id, user.passwordHash],
      );
    } catch (error) {
      // The message only: a query error carries its parameters, which include the hashes.
      this.logger.warn(`Could not upgrade the password hash of user ${user.id}: ${(error as Error).message}`);
    }
  }

  private async markSignedIn(userId: string): Promise<Date | null> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [{ lastLoginAt: Date }[], number] = await this.dataSource.query(
      `UPDATE users SET last_login_at = now() WHERE id = $1 RETURNING last_login_at AS "lastLoginAt"`,
      [userId],
    );
    await this.invalidator.afterCommit(undefined, ...userChanged(userId));
    return rows[0]?.lastLoginAt ?? null;
  }
}
