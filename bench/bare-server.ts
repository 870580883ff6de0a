import { createServer } from 'node:http';

/**
 * The baseline: a bare node:http server, run as a child process of its own like the API, that
 * answers every request with the body and content type the API's GET /auth/me answered (given
 * by the bench in BARE_BODY and BARE_CONTENT_TYPE), so both put the same bytes on the wire.
 */
const body = Buffer.from(process.env.BARE_BODY ?? '{}');
const headers = {
  'content-type': process.env.BARE_CONTENT_TYPE ?? 'application/json; charset=utf-8',
  'content-length': body.length,
};

createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
