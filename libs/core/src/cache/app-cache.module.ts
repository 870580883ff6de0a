import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';

import { AppConfig } from '../config/app-config.js';
import { AppCache } from './app-cache.js';
import { cacheStoreOptions } from './cache-store.factory.js';

/** The one cache every lib shares (in memory, or Redis with REDIS_URL); see AppCache. */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => cacheStoreOptions(config),
    }),
  ],
  providers: [AppCache],
  exports: [AppCache],
})
export class AppCacheModule {}
