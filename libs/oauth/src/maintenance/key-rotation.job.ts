import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@portcullis/core';
import { type JobContext, JobRegistry } from '@portcullis/database';

import { KeysService } from '../keys/keys.service.js';
import { OidcProviderService } from '../provider/oidc-provider.service.js';

export const KEY_ROTATION_JOB = 'key-rotation';

/**
 * Replaces the signing key once it is KEY_ROTATION_DAYS old. The old key stays published
 * until every token it signed has expired (KeysService), then drops out of the JWKS.
 */
@Injectable()
export class KeyRotationJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
    private readonly keys: KeysService,
    private readonly oidc: OidcProviderService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: KEY_ROTATION_JOB,
      description: `Rotates the signing key every ${this.config.get('KEY_ROTATION_DAYS')} days and retires old keys`,
      schedule: this.config.get('KEY_ROTATION_SCHEDULE'),
      run: (context) => this.run(context),
    });
  }

  private async run(context: JobContext): Promise<void> {
    const createdAt = await this.keys.activeKeyCreatedAt();
    const maxAgeMs = this.config.get('KEY_ROTATION_DAYS') * 86_400_000;
    const due = !createdAt || Date.now() - createdAt.getTime() >= maxAgeMs;
    context.counts.rotated = due ? 1 : 0;
    if (due) await this.oidc.rotateKeys();
    else await this.keys.reload();
    context.counts.published_keys = this.keys.publicJwks().length;
  }
}
