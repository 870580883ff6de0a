import { defineCacheRegion } from '@portcullis/core';

/** A session started or ended: live-session counts are stale. */
export const SESSIONS_REGION = defineCacheRegion('sessions');
