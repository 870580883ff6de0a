import type { AdapterPayload } from 'oidc-provider';
import type Provider from 'oidc-provider';

interface TokenInstance {
  format?: string;
  jti?: string;
  [field: string]: unknown;
}

interface TokenModel {
  IN_PAYLOAD: string[];
  prototype: {
    getValueAndPayload(this: TokenInstance): Promise<{ value: string; payload?: AdapterPayload }>;
  };
}

/**
 * oidc-provider keeps no record of a JWT access token, so it could be neither introspected nor
 * revoked. Here a user's JWT access token (AccessToken: ours, and those of OAuth clients acting
 * for a user) is saved like an opaque one: its payload stored under the digest of the whole
 * token, so only its holder can find it. Its grant, session and client then own it like every
 * other token (deleting them deletes it), introspection finds it (see
 * structured-token-lookup.ts), revocation deletes it, and our API refuses it once the record
 * is gone. A client's own token (ClientCredentials) is not stored: client-credentials-tokens.ts.
 */
export function storeJwtAccessTokens(provider: Provider): void {
  const Model = provider.AccessToken as unknown as TokenModel;
  const issue = Model.prototype.getValueAndPayload;
  const fields = Model.IN_PAYLOAD.filter((field) => field !== 'jti');
  Model.prototype.getValueAndPayload = async function getValueAndPayload(this: TokenInstance) {
    const issued = await issue.call(this);
    if (this.format !== 'jwt' || issued.payload) return issued;
    const { iat, exp } = jwtTimes(issued.value);
    const payload: AdapterPayload = { iat, exp };
    for (const field of fields) {
      if (this[field] !== undefined) (payload as Record<string, unknown>)[field] = this[field];
    }
    // BaseModel#save stores the payload under `jti` (the adapter keeps its digest only).
    this.jti = issued.value;
    return { value: issued.value, payload };
  };
}

function jwtTimes(jwt: string): { iat: number; exp: number } {
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as {
    iat: number;
    exp: number;
  };
  return { iat: claims.iat, exp: claims.exp };
}
