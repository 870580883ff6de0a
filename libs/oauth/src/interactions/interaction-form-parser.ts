import { errorCodes, type FastifyInstance } from 'fastify';

import { INTERACTION_PATH_PREFIX } from '../provider/oauth-routes.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Parses the interaction pages' form POSTs. Only there: every other JSON API route still
 * answers 415 to a form body, as it does to any body that is not JSON. (The provider's own
 * endpoints never reach Fastify's parsers: they are handed over in an onRequest hook.)
 */
export function registerInteractionFormParser(fastify: FastifyInstance): void {
  if (fastify.hasContentTypeParser(FORM)) fastify.removeContentTypeParser(FORM);
  fastify.addContentTypeParser(FORM, { parseAs: 'string' }, (request, body, done) => {
    if (!request.url.startsWith(`${INTERACTION_PATH_PREFIX}/`)) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(FORM), undefined);
      return;
    }
    const fields: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      if (!(name in fields)) fields[name] = value;
    }
    done(null, fields);
  });
}
