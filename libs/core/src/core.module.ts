import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';

import { Clock } from './clock/clock.js';
import { AppConfig } from './config/app-config.js';
import { loggingOptions } from './logging/logging.options.js';

/**
 * Configuration, the clock, the per-request context (request id, ip, user agent) and JSON
 * logging. Global: every other module may inject AppConfig and Clock.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        // Not mounted as middleware: the API opens the context in a Fastify hook
        // (requestContextHook), which is far cheaper per request.
        ClsModule.forRoot({ global: true }),
        LoggerModule.forRoot(loggingOptions(config)),
      ],
      providers: [{ provide: AppConfig, useValue: config }, Clock],
      exports: [AppConfig, Clock],
    };
  }
}
