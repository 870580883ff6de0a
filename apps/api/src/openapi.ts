import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME } from '@portcullis/auth';
import { DOCUMENT_OPENER_POLICY } from '@portcullis/core';
import type { onRequestHookHandler } from 'fastify';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/** The OpenAPI 3 document SDKs are generated from; operation ids come from each route. */
export function buildOpenApiDocument(app: INestApplication, serverUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Portcullis')
    .setDescription(
      'Identity and user management: first-party auth API, OAuth 2.1 / OpenID Connect provider, admin API.',
    )
    .setVersion('1.0.0')
    .addServer(serverUrl)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          "An access token of a user's session. Routes that require scopes (the admin API) also take a client's own token (client_credentials) carrying them.",
      },
      BEARER_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/**
 * Swagger UI is a document that runs its own scripts and styles, which the API's policy
 * (nothing may load) would block: its pages get a document policy of their own.
 */
const DOCS_PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
  ...DOCUMENT_OPENER_POLICY,
};

const setDocsPageHeaders: onRequestHookHandler = (_request, reply, done) => {
  reply.headers(DOCS_PAGE_HEADERS);
  done();
};

export function serveOpenApi(app: NestFastifyApplication, document: OpenAPIObject): void {
  // A hook on the Swagger UI's own routes only, added as SwaggerModule registers them below.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      if (route.url !== `/${OPENAPI_UI_PATH}` && !route.url.startsWith(`/${OPENAPI_UI_PATH}/`)) return;
      const own = route.onRequest ?? [];
      route.onRequest = [...(Array.isArray(own) ? own : [own]), setDocsPageHeaders];
    });
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'] });
}
