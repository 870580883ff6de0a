import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';

import { AppCacheModule } from './cache/app-cache.module.js';
import { Clock } from './clock/clock.js';
import { AppConfig } from './config/app-config.js';
import { fillRequestContext } from './context/request-context.js';
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
      imports: [
        ClsModule.forRoot({
          global: true,
          middleware: {
            mount: true,
            generateId: true,
            idGenerator: (request: { id: string }) => request.id,
            setup: (cls, request) => fillRequestContext(cls, request),
          },
        }),
        LoggerModule.forRoot(loggingOptions(config)),
        AppCacheModule,
      ],
      providers: [{ provide: AppConfig, useValue: config }, Clock],
      exports: [AppConfig, Clock, AppCacheModule],
    };
  }
}
