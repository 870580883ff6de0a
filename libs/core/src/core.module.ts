import { type DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { AppCacheModule } from './cache/app-cache.module.js';
import { Clock } from './clock/clock.js';
import { AppConfig } from './config/app-config.js';
import { loggingOptions } from './logging/logging.options.js';

/**
 * Configuration, the clock, the per-request context (request id, ip, user agent), JSON
 * logging and the shared cache. Global: every other module may inject AppConfig and Clock.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      // No ClsModule: the request context is nestjs-cls's process-wide ClsService
      // (ClsServiceManager), opened by the API's requestContextHook. The module would add
      // nothing we use but a no-op global guard and a no-op global interceptor, and the
      // interceptor alone puts every request through Nest's RxJS pipeline.
      imports: [LoggerModule.forRoot(loggingOptions(config)), AppCacheModule],
      providers: [{ provide: AppConfig, useValue: config }, Clock],
      exports: [AppConfig, Clock, AppCacheModule],
    };
  }
}
