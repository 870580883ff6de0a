import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import { looksLikeJwt } from '../keys/access-token-signature.js';

/**
 * oidc-provider's introspection and revocation endpoints refuse any JWT outright
 * (`unsupported_token_type`), before looking it up: it assumes JWTs are never stored. Ours can
 * be found (users' are stored: stored-jwt-access-tokens.ts; clients' are verified:
 * client-credentials-tokens.ts). So a JWT in the `token` parameter is handed to the endpoint
 * with this prefix, which no JWT parser accepts, and the adapter takes it off again before
 * the lookup by digest. Sending the prefix yourself changes nothing: the lookup is the same.
 */
export const STRUCTURED_TOKEN_PREFIX = 'jwt~';

/** oidc-provider's own limit for a form body. */
const BODY_LIMIT = 56 * 1024;

/** The id a token is stored under, whether or not it came in with the prefix. */
export function storedTokenValue(value: string): string {
  return value.startsWith(STRUCTURED_TOKEN_PREFIX) ? value.slice(STRUCTURED_TOKEN_PREFIX.length) : value;
}

/**
 * The request with a JWT `token` form parameter prefixed, as a new readable request (the
 * original's body has been read); any other request as it came.
 */
export async function withStructuredTokenPrefixed(request: IncomingMessage): Promise<IncomingMessage> {
  if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return request;
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    // Too large: replayed as it came, for the provider to refuse.
    if (length > BODY_LIMIT) return replay(request, Buffer.concat(chunks), request.headers);
  }
  const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const tokens = body.getAll('token');
  // Anything but exactly one JWT goes as it came (a repeated parameter stays the provider's to refuse).
  const token = tokens.length === 1 ? tokens[0] : undefined;
  if (!token || !looksLikeJwt(token)) return replay(request, Buffer.concat(chunks), request.headers);
  body.set('token', `${STRUCTURED_TOKEN_PREFIX}${token}`);
  const rewritten = Buffer.from(body.toString());
  return replay(request, rewritten, { ...request.headers, 'content-length': String(rewritten.length) });
}

/**
 * What Koa and oidc-provider read of a request (method, url, headers, socket) over a stream
 * that replays `body`. Not a new IncomingMessage: one would start reading the connection's socket.
 */
function replay(
  original: IncomingMessage,
  body: Buffer,
  headers: IncomingMessage['headers'],
): IncomingMessage {
  const stream = new Readable({ read() {} });
  stream.push(body);
  stream.push(null);
  return Object.assign(stream, {
    method: original.method,
    url: original.url,
    headers,
    rawHeaders: original.rawHeaders,
    httpVersion: original.httpVersion,
    httpVersionMajor: original.httpVersionMajor,
    httpVersionMinor: original.httpVersionMinor,
    socket: original.socket,
    connection: original.socket,
  }) as unknown as IncomingMessage;
}
