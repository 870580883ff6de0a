import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase } from '../helpers/test-database.js';

const MAIN = 'dist/apps/api/src/main.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function run(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitUntilReady(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not become ready');
}

describe('the server process', () => {
  const children: ChildProcess[] = [];

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build (npm test does)`);
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it.each([
    ['PORT', 'abc', 'PORT: expected a whole number'],
    ['BCRYPT_COST', '99', 'BCRYPT_COST: expected a number from 4 to 15'],
    [
      'DATABASE_URL',
      'mysql://nope',
      'DATABASE_URL: expected a URL starting with postgres:// or postgresql://',
    ],
  ])('should exit 1 with one line naming %s when it is invalid', async (name, value, message) => {
    const server = run({ [name]: value });
    children.push(server.child);
    expect(await server.exit).toBe(1);
    const lines = server
      .output()
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('Invalid configuration'));
    expect(lines).toEqual([expect.stringContaining(message)]);
  });

  it('should refuse to start in production without KEY_ENCRYPTION_KEY rather than generate one', async () => {
    const server = run({ NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none' });
    children.push(server.child);
    expect(await server.exit).toBe(1);
    expect(server.output()).toContain(
      'Invalid configuration: KEY_ENCRYPTION_KEY: must be set when NODE_ENV=production',
    );
  });

  it('should finish a request in flight on SIGTERM, then exit 0', async () => {
    const port = await freePort();
    const server = run({
      DATABASE_URL: await createTestDatabase(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      ADMIN_PASSWORD: 'process test admin password',
      BCRYPT_COST: '12',
    });
    children.push(server.child);
    await waitUntilReady(port);

    const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'process test admin password' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await server.exit).toBe(0);
  });
});
