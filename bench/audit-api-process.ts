import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort } from './free-port.js';
import { apiServerEnvironment } from './servers.js';

const API_MAIN = new URL('../apps/api/src/main.js', import.meta.url);
const EXIT_WITH_PARENT = new URL('./exit-with-parent.js', import.meta.url);

/** The API as a child process whose memory the audit bench can read. */
export interface AuditBenchApi {
  url: string;
  adminPassword: string;
  /** Resident set size now, in MB (Linux /proc). */
  rssMb(): Promise<number>;
  /** The highest resident set size of the process so far, in MB. */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

async function statusFieldMb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return kilobytes / 1024;
}

/**
 * Starts `node dist/apps/api/src/main.js` as production would, with a known admin password and
 * no jobs (so nothing but the bench touches the audit trail), and waits for readiness.
 */
export async function startAuditBenchApi(databaseUrl: string): Promise<AuditBenchApi> {
  const port = await freePort();
  const adminPassword = randomBytes(18).toString('base64url');
  const child: ChildProcess = spawn(
    process.execPath,
    [`--import=${EXIT_WITH_PARENT.href}`, API_MAIN.pathname],
    {
      env: { ...apiServerEnvironment(databaseUrl, port, adminPassword), RUN_JOBS: 'false' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  const api: AuditBenchApi = {
    url,
    adminPassword,
    rssMb: () => statusFieldMb(pid, 'VmRSS'),
    peakRssMb: () => statusFieldMb(pid, 'VmHWM'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return api;
    await sleep(200);
  }
  await api.stop();
  throw new Error('the API did not become ready within 60 s');
}
