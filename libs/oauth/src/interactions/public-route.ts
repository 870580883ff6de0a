import { SetMetadata } from '@nestjs/common';

/**
 * The AuthGuard's `@Public()`: libs/auth depends on this lib, so its decorator cannot be
 * imported here; the metadata key is the guard's (IS_PUBLIC in libs/auth/src/auth.decorators.ts).
 * test/oauth/authorization-code.e2e-spec.ts (pages answered without a token) fails if they drift.
 */
export const PublicRoute = () => SetMetadata('portcullis:public', true);
