import { createHash, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@portcullis/core';
import type { DataSource, EntityManager } from 'typeorm';

import { KeyEncryption } from './key-encryption.js';
import { NodeCryptoSigningKey } from './node-crypto-signing-key.js';
import { SigningKeyEntity } from './signing-key.entity.js';

export const SIGNING_ALGORITHM = 'ES256';
/** ID tokens live an hour; a retired key stays published until the last token it signed has expired. */
export const ID_TOKEN_TTL_SECONDS = 3600;

/**
 * The longest any signed token lives: access tokens are capped at it (provider.configuration.ts),
 * and a retired key stays published a little longer.
 */
export function longestSignedTokenSeconds(accessTokenTtl: number): number {
  return Math.max(accessTokenTtl, ID_TOKEN_TTL_SECONDS);
}
const ROTATION_LOCK = 0x706b6579; // 'pkey'
/** An unknown kid reloads the key set at most this often, so junk tokens cannot hammer the database. */
const RELOAD_INTERVAL_MS = 5_000;

export interface PrivateSigningJwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: 'sig';
}

/** Runs inside the rotation's transaction (to audit it with the change). */
export type KeyRotationHook = (manager: EntityManager, rotation: KeyRotation) => Promise<void>;

export interface KeyRotation {
  kid: string;
  /** The key it replaced; null when there was none. */
  previousKid: string | null;
}

/** A signing key as an admin sees it: never its private half. */
export interface SigningKeySummary {
  kid: string;
  alg: string;
  state: 'active' | 'retired';
  createdAt: Date;
  retiredAt: Date | null;
  /** Whether it is still in the JWKS (the active key, and retired keys until their tokens expired). */
  published: boolean;
  /** When a retired key drops out of the JWKS (null for the active key). */
  publishedUntil: Date | null;
}

interface LoadedKey {
  kid: string;
  state: 'active' | 'retired';
  privateJwk: PrivateSigningJwk;
  publicKey: KeyObject;
  signingKey: NodeCryptoSigningKey;
}

/** RFC 7638 thumbprint of an EC public key: a stable, collision-free kid. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Signing keys, stored in PostgreSQL with the private half encrypted. The active key signs;
 * retired keys stay in the JWKS until every token they signed has expired.
 */
@Injectable()
export class KeysService {
  private readonly logger = new Logger(KeysService.name);
  private encryption?: KeyEncryption;
  private keys: LoadedKey[] = [];
  private lastReload = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Called once at start: makes sure an active key exists and loads the published set. */
  async initialise(encryption: KeyEncryption): Promise<void> {
    this.encryption = encryption;
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ROTATION_LOCK]);
      const active = await manager.countBy(SigningKeyEntity, { state: 'active' });
      if (active === 0) await this.createActiveKey(manager);
    });
    await this.reload();
  }

  /**
   * Makes a new key the active one and retires the previous; returns the new kid. `hook`
   * runs in the same transaction, after the change.
   */
  async rotate(hook?: KeyRotationHook): Promise<string> {
    const kid = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ROTATION_LOCK]);
      const [retired] = (await manager.query(
        `UPDATE signing_keys SET state = 'retired', retired_at = now() WHERE state = 'active' RETURNING kid`,
      )) as [{ kid: string }[], number];
      const created = await this.createActiveKey(manager);
      await hook?.(manager, { kid: created, previousKid: retired[0]?.kid ?? null });
      return created;
    });
    await this.reload();
    return kid;
  }

  /** Every stored key, newest first, with whether it is still published. */
  async list(): Promise<SigningKeySummary[]> {
    const publishFor = this.publishForSeconds();
    const rows = await this.dataSource
      .getRepository(SigningKeyEntity)
      .find({ order: { createdAt: 'DESC', kid: 'ASC' } });
    const now = Date.now();
    return rows.map((row) => {
      const publishedUntil = row.retiredAt ? new Date(row.retiredAt.getTime() + publishFor * 1000) : null;
      return {
        kid: row.kid,
        alg: row.alg,
        state: row.state,
        createdAt: row.createdAt,
        retiredAt: row.retiredAt,
        published: publishedUntil === null || publishedUntil.getTime() > now,
        publishedUntil,
      };
    });
  }

  /** Whether the active key in the database is not the one loaded here. */
  async activeKeyChanged(): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT kid FROM signing_keys WHERE state = 'active'`)) as {
      kid: string;
    }[];
    const loaded = this.keys.find((key) => key.state === 'active')?.kid;
    return rows[0]?.kid !== loaded;
  }

  /** When the active key was made, for the rotation job. */
  async activeKeyCreatedAt(): Promise<Date | null> {
    const rows = (await this.dataSource.query(
      `SELECT created_at FROM signing_keys WHERE state = 'active'`,
    )) as { created_at: Date }[];
    return rows[0]?.created_at ?? null;
  }

  /** The provider's keystore: the active key first, so it is the one that signs. */
  signingKeys(): NodeCryptoSigningKey[] {
    return this.keys.map((key) => key.signingKey);
  }

  publicJwks(): JsonWebKey[] {
    return this.keys.map((key) => {
      const { d: _d, ...publicJwk } = key.privateJwk;
      return publicJwk;
    });
  }

  /** The verification key for a kid; reloads once (rate-limited) in case another node rotated. */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const known = this.keys.find((key) => key.kid === kid);
    if (known) return known.publicKey;
    if (Date.now() - this.lastReload < RELOAD_INTERVAL_MS) return undefined;
    await this.reload();
    return this.keys.find((key) => key.kid === kid)?.publicKey;
  }

  /** Synchronous lookup for the hot path: no I/O, undefined for a kid not loaded yet. */
  cachedVerificationKey(kid: string): KeyObject | undefined {
    return this.keys.find((key) => key.kid === kid)?.publicKey;
  }

  async reload(): Promise<void> {
    const encryption = this.requireEncryption();
    const publishFor = this.publishForSeconds();
    const rows = await this.dataSource
      .getRepository(SigningKeyEntity)
      .createQueryBuilder('key')
      .addSelect('key.privateKeyCiphertext')
      .where(`key.state = 'active' OR key.retired_at > now() - make_interval(secs => :publishFor)`, {
        publishFor,
      })
      .orderBy(`CASE key.state WHEN 'active' THEN 0 ELSE 1 END`)
      .addOrderBy('key.created_at', 'DESC')
      .getMany();
    this.keys = rows.map((row) => {
      const privateJwk = JSON.parse(
        encryption.decrypt(row.privateKeyCiphertext, row.kid),
      ) as PrivateSigningJwk;
      const signingKey = new NodeCryptoSigningKey(privateJwk);
      return { kid: row.kid, state: row.state, privateJwk, publicKey: signingKey.keyObject(), signingKey };
    });
    this.lastReload = Date.now();
  }

  /** How long a retired key stays in the JWKS: until the last token it signed has expired. */
  private publishForSeconds(): number {
    return longestSignedTokenSeconds(this.config.get('ACCESS_TOKEN_TTL')) + 60;
  }

  private async createActiveKey(manager: EntityManager): Promise<string> {
    const encryption = this.requireEncryption();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' });
    const kid = thumbprint(jwk);
    const privateJwk: PrivateSigningJwk = { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    const { d: _d, ...publicJwk } = privateJwk;
    await manager.insert(SigningKeyEntity, {
      kid,
      alg: SIGNING_ALGORITHM,
      publicJwk: publicJwk as never,
      privateKeyCiphertext: encryption.encrypt(JSON.stringify(privateJwk), kid),
      state: 'active',
    });
    this.logger.log(`New ${SIGNING_ALGORITHM} signing key ${kid} is active`);
    return kid;
  }

  private requireEncryption(): KeyEncryption {
    if (!this.encryption) throw new Error('KeysService used before initialise()');
    return this.encryption;
  }
}
