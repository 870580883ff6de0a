import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * The base of the adapters for models the provider only finds by id and never writes (clients,
 * client_credentials tokens): none is found by uid or user code, consumed, or part of a grant.
 */
export abstract class ReadOnlyModelAdapter implements Adapter {
  /** Why the provider may not write this model, for the error if it ever tries. */
  protected abstract readonly notWritten: string;

  abstract find(id: string): Promise<AdapterPayload | undefined>;

  abstract destroy(id: string): Promise<void>;

  upsert(): Promise<void> {
    return Promise.reject(new Error(this.notWritten));
  }

  findByUid(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  consume(): Promise<void> {
    return Promise.resolve();
  }

  revokeByGrantId(): Promise<void> {
    return Promise.resolve();
  }
}
