import { RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  API_SECURITY_HEADERS,
  type AppConfig,
  REQUEST_ID_HEADER,
  requestContextHook,
  requestIdFor,
  requestLogHook,
} from '@portcullis/core';
import { OidcProviderService, registerInteractionFormParser } from '@portcullis/oauth';
import { Logger, PinoLogger } from 'nestjs-pino';

import { ApiModule } from './api.module.js';
import { buildOpenApiDocument, serveOpenApi } from './openapi.js';

/**
 * Builds the API application exactly as production runs it; main.ts and the e2e tests both
 * call this. Returns it initialised but not listening.
 */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.get('BODY_LIMIT_BYTES'),
    trustProxy: config.get('TRUST_PROXY'),
    requestIdHeader: false,
    genReqId: requestIdFor,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  // Only JSON bodies for our API (the provider parses its own form bodies): anything else is a 415.
  fastify.removeContentTypeParser(['text/plain']);
  // RFC 7396 merge patches (PATCH /auth/me/preferences) are JSON under their own media type:
  // parse them as application/json is parsed, with the same body limit, malformed-JSON 400 and
  // prototype-poisoning checks.
  fastify.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    fastify.getDefaultJsonParser('error', 'error'),
  );
  // Our answers carry tokens and personal data: no cache keeps them unless a route says so.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id).header('cache-control', 'no-store');
    done();
  });
  fastify.addHook('onRequest', requestContextHook());
  fastify.addHook('onResponse', requestLogHook(PinoLogger.root));
  // While closing, answers to requests in flight also close their keep-alive connection,
  // so the server can finish draining instead of waiting on idle clients.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  // Nest's built-in security headers resolve the header set once (@fastify/helmet built a
  // new helmet middleware, and parsed the CSP, on every request).
  app.useSecurityHeaders(API_SECURITY_HEADERS);
  // Without allowed origins there is no cross-origin access to describe: no CORS headers.
  const corsOrigins = config.get('CORS_ORIGINS');
  if (corsOrigins.length > 0) {
    app.enableCors({
      origin: corsOrigins,
      credentials: true,
      exposedHeaders: [REQUEST_ID_HEADER, 'retry-after', 'www-authenticate'],
    });
  }
  app.setGlobalPrefix('api', { exclude: [{ path: 'health/*path', method: RequestMethod.ALL }] });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });

  mountOidcProvider(app);
  serveOpenApi(app, buildOpenApiDocument(app, config.issuer));
  await app.init();
  // The sign-in and consent pages post HTML forms; nothing else accepts them. After init,
  // which registers Nest's own urlencoded parser for every route.
  registerInteractionFormParser(fastify);
  return app;
}

/**
 * Hands the provider's own paths (discovery, JWKS, token...) to oidc-provider before Fastify
 * parses the body; everything else goes through Nest.
 */
function mountOidcProvider(app: NestFastifyApplication): void {
  const oidc = app.get(OidcProviderService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const path = request.url.split('?', 1)[0];
      if (!oidc.handles(path, request.method)) {
        done();
        return;
      }
      reply.hijack();
      reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
      oidc.handle(request.raw, reply.raw);
    });
}
