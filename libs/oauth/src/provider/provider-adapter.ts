import type { AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { DataSource } from 'typeorm';

import { toProviderMetadata } from '../clients/client-metadata.js';
import type { ClientTokens } from '../clients/client-tokens.js';
import type { ClientsService } from '../clients/clients.service.js';
import type { KeysService } from '../keys/keys.service.js';
import { ClientCredentialsAdapter } from './client-credentials-tokens.js';
import { createPostgresAdapter } from './postgres.adapter.js';
import type { ProviderRequestWrites } from './provider-request-writes.js';
import { ReadOnlyModelAdapter } from './read-only-model-adapter.js';

/**
 * The provider's storage: clients come from the oauth_clients table (only active ones, so a
 * deactivated client is unknown to every endpoint), client_credentials tokens are verified
 * rather than stored, everything else is in oidc_payloads.
 */
export function createProviderAdapter(
  dataSource: DataSource,
  keys: KeysService,
  clients: ClientsService,
  clientTokens: ClientTokens,
  requestWrites: ProviderRequestWrites,
  issuer: string,
): AdapterFactory {
  const PostgresAdapter = createPostgresAdapter(dataSource, requestWrites);
  const clientAdapter = new ClientsAdapter(clients);
  const clientCredentialsAdapter = new ClientCredentialsAdapter(keys, clientTokens, issuer);
  return (model: string) => {
    if (model === 'Client') return clientAdapter;
    if (model === 'ClientCredentials') return clientCredentialsAdapter;
    return new PostgresAdapter(model);
  };
}

/** Clients are managed through ClientsService, never by the provider. */
class ClientsAdapter extends ReadOnlyModelAdapter {
  protected readonly notWritten = 'Clients are managed through ClientsService';

  constructor(private readonly clients: ClientsService) {
    super();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.clients.findActiveForProvider(id);
    return client ? (toProviderMetadata(client) as AdapterPayload) : undefined;
  }

  destroy(): Promise<void> {
    return Promise.resolve();
  }
}
