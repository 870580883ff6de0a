import { createServer } from 'node:net';

import { startTestApp, type TestApp } from '../../helpers/test-app.js';

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface ListeningApp extends TestApp {
  issuer: string;
}

/**
 * The real app listening on 127.0.0.1, its issuer being its own origin, for real clients
 * and a real browser. The port is chosen first so ISSUER_URL is known when the app is built.
 */
export async function startListeningApp(
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<ListeningApp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const sut = await startTestApp({
    databaseUrl: options.databaseUrl,
    env: { ISSUER_URL: issuer, ...options.env },
  });
  await sut.app.listen({ port, host: '127.0.0.1' });
  return { ...sut, issuer };
}
