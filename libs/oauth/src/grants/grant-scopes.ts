import type { Grant } from 'oidc-provider';

/** Scopes asked for: the OIDC ones and, per resource indicator, the resource's. */
export interface RequestedScopes {
  oidc: string[];
  resources: Record<string, string[]>;
}

/** admin:* scopes go only to users whose roles hold them. */
export function isRoleBoundScope(scope: string): boolean {
  return scope.startsWith('admin:');
}

/**
 * Puts into a grant every requested scope the user consented to (`consented`) and may hold,
 * and marks role-bound scopes the user's roles lack as rejected, so the provider neither
 * issues them nor asks for them again. Returns the names of the scopes granted.
 */
export function applyScopes(
  grant: Grant,
  requested: RequestedScopes,
  consented: (scope: string) => boolean,
  userScopes: ReadonlySet<string>,
): string[] {
  const granted = new Set<string>();
  const split = (scopes: string[]) => {
    const allowed = scopes.filter((scope) => !isRoleBoundScope(scope) || userScopes.has(scope));
    const rejected = scopes.filter((scope) => !allowed.includes(scope));
    const given = allowed.filter(consented);
    for (const scope of given) granted.add(scope);
    return { given: given.join(' '), rejected: rejected.join(' ') };
  };
  const oidc = split(requested.oidc);
  if (oidc.given) grant.addOIDCScope(oidc.given);
  if (oidc.rejected) grant.rejectOIDCScope(oidc.rejected);
  for (const [indicator, scopes] of Object.entries(requested.resources)) {
    const resource = split(scopes);
    if (resource.given) grant.addResourceScope(indicator, resource.given);
    if (resource.rejected) grant.rejectResourceScope(indicator, resource.rejected);
  }
  return [...granted];
}

/** Every scope named in a request, once. */
export function allScopes(requested: RequestedScopes): string[] {
  return [...new Set([...requested.oidc, ...Object.values(requested.resources).flat()])];
}
