import { randomUUID } from 'node:crypto';
import { type AddressInfo, Socket, createServer } from 'node:net';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the test Redis answers. Suites that need it are skipped on a laptop without Redis,
 * never in CI (where `.ci/run` starts it), so a missing Redis cannot turn CI green.
 */
export async function redisAvailable(url = TEST_REDIS_URL): Promise<boolean> {
  if (process.env.CI) return true;
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const answer = (available: boolean) => {
      socket.destroy();
      resolve(available);
    };
    socket.setTimeout(500);
    socket.once('connect', () => answer(true));
    socket.once('timeout', () => answer(false));
    socket.once('error', () => answer(false));
    socket.connect(Number(port || 6379), hostname);
  });
}

/** Environment for an app on the test Redis, with keys of its own so parallel files stay apart. */
export function redisCacheEnvironment(namespace = `test-${randomUUID()}`): Record<string, string> {
  return { REDIS_URL: TEST_REDIS_URL, CACHE_NAMESPACE: namespace };
}

/** A redis:// URL on a port nothing listens on (bound once, then released). */
export async function unreachableRedisUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `redis://127.0.0.1:${port}`;
}
