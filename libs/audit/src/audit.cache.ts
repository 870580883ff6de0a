import { defineCacheRegion } from '@portcullis/core';

/** An audit event was recorded: counts of recent actions (sign-ins, tokens) are stale. */
export const AUDIT_REGION = defineCacheRegion('audit');
