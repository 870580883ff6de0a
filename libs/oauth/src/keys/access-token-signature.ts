import { type KeyObject, verify as verifySignature } from 'node:crypto';

import { type KeysService, SIGNING_ALGORITHM } from './keys.service.js';

/** Why a token was refused; the message names the reason, never the token. */
export class AccessTokenRejected extends Error {}

/** An access token whose signature one of our keys made. */
export interface SignedAccessToken {
  kid: string;
  /** The public key that verified it: a reloaded or retired key is another object. */
  key: KeyObject;
  claims: Record<string, unknown>;
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Whether `value` has the shape of a compact JWS, without reading it. */
export function looksLikeJwt(value: string): boolean {
  return JWT.test(value);
}

/** The claims of a compact JWS, unverified; throws AccessTokenRejected when they do not parse. */
export function unverifiedClaims(token: string): Record<string, unknown> {
  return decodeJson(token.split('.')[1] ?? '');
}

/**
 * Checks an `at+jwt` access token's header and its ES256 signature against our keys, with
 * node:crypto and the key objects KeysService keeps (a kid not loaded yet reloads the key set,
 * at most every few seconds). Claims are the caller's to check: which ones matter differs.
 */
export async function verifyAccessTokenSignature(
  token: string,
  keys: Pick<KeysService, 'cachedVerificationKey' | 'verificationKey'>,
): Promise<SignedAccessToken> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new AccessTokenRejected('not a JWT');
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  const header = decodeJson(encodedHeader);
  if (header.alg !== SIGNING_ALGORITHM || header.typ !== 'at+jwt' || typeof header.kid !== 'string') {
    throw new AccessTokenRejected('unexpected header');
  }
  const key = keys.cachedVerificationKey(header.kid) ?? (await keys.verificationKey(header.kid));
  if (!key) throw new AccessTokenRejected('unknown key');
  const valid = verifySignature(
    'sha256',
    Buffer.from(`${encodedHeader}.${encodedPayload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(encodedSignature, 'base64url'),
  );
  if (!valid) throw new AccessTokenRejected('bad signature');
  return { kid: header.kid, key, claims: decodeJson(encodedPayload) };
}

function decodeJson(segment: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new AccessTokenRejected('malformed');
  }
}
