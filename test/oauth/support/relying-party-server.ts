import { createServer, type IncomingMessage, type Server } from 'node:http';

/** What the relying party's server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  body: string;
}

/**
 * A relying party's HTTP endpoints: the redirect URIs the browser lands on (answered with a
 * tiny page) and the back-channel logout URI the provider posts logout tokens to.
 */
export class RelyingPartyServer {
  readonly received: ReceivedRequest[] = [];
  private server?: Server;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        this.received.push({ method: request.method ?? 'GET', url: request.url ?? '/', body });
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<!DOCTYPE html><title>Relying party</title><p>Back at the application.</p>');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Logout tokens posted to `path` so far. */
  logoutTokens(path: string): string[] {
    return this.received
      .filter((request) => request.method === 'POST' && request.url === path)
      .map((request) => new URLSearchParams(request.body).get('logout_token') ?? '');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
