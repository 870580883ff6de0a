import type Provider from 'oidc-provider';

/**
 * oidc-provider puts `sid` into codes and ID tokens only for clients registered for
 * back-channel logout with sessions (Client#includeSid). Ours always carry it: `sid` is our
 * sessions row, which ID tokens name and our API's access tokens must carry.
 */
export function alwaysIncludeSid(provider: Provider): void {
  (provider.Client.prototype as unknown as { includeSid(): boolean }).includeSid = () => true;
}
