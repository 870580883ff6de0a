import { defineCacheRegion } from '@portcullis/core';

/** A client was created, changed or deleted: client counts are stale. */
export const CLIENTS_REGION = defineCacheRegion('clients');
