import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerProcessOptions {
  /** Used in messages only. */
  name: string;
  script: URL;
  port: number;
  env: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  /** Polled until it answers 200. */
  readyPath: string;
  readyTimeoutMs?: number;
  /** After SIGTERM, how long to wait before SIGKILL. */
  stopTimeoutMs?: number;
}

export interface ServerProcess {
  name: string;
  /** http://127.0.0.1:<port>, without a trailing slash. */
  url: string;
  /** Its last lines of output, for a failure report. */
  recentOutput(): string;
  stop(): Promise<void>;
}

const OUTPUT_LINES_KEPT = 40;
const EXIT_WITH_PARENT = new URL('./exit-with-parent.js', import.meta.url);
/** Children the bench is stopping on purpose: their exit is not worth a warning. */
const stopping = new WeakSet<ChildProcess>();

/**
 * Starts a Node.js server as a child process on 127.0.0.1 and resolves once its readiness path
 * answers 200. Its output is kept (the last lines) and shown only when it fails, so a healthy
 * run prints nothing from the servers.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), `--import=${EXIT_WITH_PARENT.href}`, options.script.pathname],
    { env: options.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    output.splice(0, Math.max(0, output.length - OUTPUT_LINES_KEPT));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)),
  );

  const url = `http://127.0.0.1:${options.port}`;
  const server: ServerProcess = {
    name: options.name,
    url,
    recentOutput: () => output.join('\n'),
    stop: () => stopChild(child, exited, options),
  };
  try {
    await waitUntilReady(`${url}${options.readyPath}`, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(
      `${options.name} did not become ready: ${(error as Error).message}\n${output.join('\n')}`,
      { cause: error },
    );
  }
  child.once('exit', () => {
    if (!stopping.has(child))
      process.stderr.write(`${options.name} exited unexpectedly:\n${output.join('\n')}\n`);
  });
  return server;
}

async function waitUntilReady(readyUrl: string, exited: Promise<string>, timeoutMs: number): Promise<void> {
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) throw new Error(`it exited with ${exitReason}`);
    const status = await fetch(readyUrl, { signal: AbortSignal.timeout(1_000) }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0, // not listening yet
    );
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`no 200 from ${readyUrl} within ${timeoutMs} ms`);
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<string>,
  options: ServerProcessOptions,
): Promise<void> {
  stopping.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeoutMs = options.stopTimeoutMs ?? 15_000;
  const result = await Promise.race([exited, sleep(timeoutMs, 'timeout')]);
  if (result === 'timeout') {
    process.stderr.write(`${options.name} ignored SIGTERM for ${timeoutMs} ms; killing it\n`);
    child.kill('SIGKILL');
    await exited;
  }
}
