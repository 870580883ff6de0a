import { SetMetadata } from '@nestjs/common';

/** The metadata the global AuthGuard (libs/auth) reads to let a route through without a token. */
export const IS_PUBLIC = 'portcullis:public';

/**
 * Opens a route to callers without a token (the guard denies by default). In core, so that
 * libs left of auth (the OAuth pages in libs/oauth) mark their routes the same way.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
