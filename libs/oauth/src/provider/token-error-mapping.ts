import type Provider from 'oidc-provider';

const GRANT_TYPE_NOT_ALLOWED = 'requested grant type is not allowed for this client';

/**
 * oidc-provider answers a grant type the client is not registered for with invalid_request;
 * RFC 6749 §5.2 names that error unauthorized_client, which is what clients look for.
 */
export function mapTokenErrors(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (body?.error === 'invalid_request' && body.error_description === GRANT_TYPE_NOT_ALLOWED) {
      body.error = 'unauthorized_client';
    }
  });
}
