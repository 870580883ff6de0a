import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

const ADMIN_PASSWORD = 'process test admin password';

/** A server on its own database and port, with a known admin and real bcrypt cost. */
async function serverEnvironment(
  port: number,
  extra: Record<string, string>,
): Promise<Record<string, string>> {
  return {
    DATABASE_URL: await createTestDatabase(),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    ADMIN_PASSWORD,
    BCRYPT_COST: '12',
    ...extra,
  };
}

/** A login that takes a bcrypt hash's time: a request still in flight a moment later. */
function adminLogin(port: number): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
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
    const server = run(await serverEnvironment(port, { API_WORKERS: '1' }));
    children.push(server.child);
    await waitUntilReady(port);

    const inFlight = adminLogin(port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await server.exit).toBe(0);
  });

  it('should serve from API_WORKERS processes, replace one that dies, and drain them all on SIGTERM', async () => {
    const port = await freePort();
    const server = run(await serverEnvironment(port, { API_WORKERS: '2' }));
    children.push(server.child);
    await waitUntilReady(port);
    const workers = workerPids(server.child);
    expect(workers).toHaveLength(2);
    for (const pid of workers) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(argv).toContain('--max-semi-space-size=64');
    }

    process.kill(workers[0], 'SIGKILL');
    await waitFor(() => {
      const now = workerPids(server.child);
      return now.length === 2 && !now.includes(workers[0]);
    });
    expect(server.output()).toContain(`Worker ${workers[0]} died (SIGKILL); starting another`);
    await waitUntilReady(port);

    const inFlight = adminLogin(port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopping = workerPids(server.child);
    server.child.kill('SIGTERM');

    expect((await inFlight).status).toBe(200);
    expect(await server.exit).toBe(0);
    expect(stopping.filter(isRunning)).toEqual([]);
  });

  it('should exit 1 when the first worker cannot start', async () => {
    const port = await freePort();
    const taken = createServer().listen(port, '127.0.0.1');
    try {
      const server = run(await serverEnvironment(port, { API_WORKERS: '2' }));
      children.push(server.child);
      expect(await server.exit).toBe(1);
      expect(server.output()).toContain('Could not start the API workers');
      expect(server.output()).toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
  });
});

function workerPids(primary: ChildProcess): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(primary.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the condition was not met in time');
}
