import { pathToFileURL } from 'node:url';

import { startAuditBenchApi, type AuditBenchApi } from './audit-api-process.js';
import { seedAuditEvents } from './audit-seed.js';
import { createBenchDatabase } from './bench-database.js';
import { Cleanup } from './cleanup.js';

export interface AuditVerifyBenchResult {
  events: number;
  seedSeconds: number;
  /** GET /admin/audit/verify over the whole chain (AuditChainVerifier). */
  verifySeconds: number;
  verifyChecked: number;
  /** The API's resident memory when idle after seeding, before any export. */
  idleRssMb: number;
  exports: {
    format: 'ndjson' | 'csv';
    seconds: number;
    lines: number;
    megabytes: number;
    peakRssMb: number;
  }[];
}

const RSS_POLL_MS = 50;

function log(message: string): void {
  process.stderr.write(`[audit bench] ${message}\n`);
}

async function adminToken(api: AuditBenchApi): Promise<string> {
  const response = await fetch(`${api.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: api.adminPassword, scope: 'admin:audit:read' }),
  });
  if (!response.ok) throw new Error(`admin login answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Streams an export into nothing, counting it, while sampling the API's RSS for its peak. */
async function measureExport(api: AuditBenchApi, token: string, format: 'ndjson' | 'csv') {
  let peakRssMb = await api.rssMb();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRssMb = Math.max(peakRssMb, await api.rssMb());
      await new Promise((resolve) => setTimeout(resolve, RSS_POLL_MS));
    }
  })();
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  try {
    const response = await fetch(`${api.url}/api/v1/admin/audit/export?format=${format}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok || !response.body) throw new Error(`export answered ${response.status}`);
    for await (const chunk of response.body) {
      bytes += chunk.byteLength;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
    }
  } finally {
    sampling = false;
    await sampler;
  }
  return {
    format,
    seconds: (performance.now() - started) / 1000,
    lines,
    megabytes: bytes / 1024 / 1024,
    peakRssMb,
  };
}

/**
 * Seeds `events` chained audit events straight into a fresh database, then measures what the
 * API does with them: both exports (time and the API's peak RSS, sampled every 50 ms) and the
 * chain verification (time). Exports run first so verification cannot inflate their peak.
 */
export async function runAuditVerifyBench(events: number): Promise<AuditVerifyBenchResult> {
  const cleanup = new Cleanup();
  try {
    const database = await createBenchDatabase();
    cleanup.add(`dropping database ${database.name}`, database.drop);
    const api = await startAuditBenchApi(database.url);
    cleanup.add('stopping the API', api.stop);

    log(`seeding ${events} events into ${database.name}`);
    const seedStarted = performance.now();
    await seedAuditEvents(database.url, events, {
      onProgress: (seeded) => {
        if (seeded % 100_000 === 0) log(`  ${seeded} seeded`);
      },
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const token = await adminToken(api);
    const idleRssMb = await api.rssMb();

    const exports = [];
    for (const format of ['ndjson', 'csv'] as const) {
      log(`exporting as ${format}`);
      exports.push(await measureExport(api, token, format));
    }

    log('verifying the chain');
    const verifyStarted = performance.now();
    const response = await fetch(`${api.url}/api/v1/admin/audit/verify`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const verification = (await response.json()) as { ok: boolean; checked: number };
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (!verification.ok) throw new Error(`the seeded chain did not verify: ${JSON.stringify(verification)}`);

    return { events, seedSeconds, verifySeconds, verifyChecked: verification.checked, idleRssMb, exports };
  } finally {
    await cleanup.run();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const events = Number(process.argv[2] ?? process.env.AUDIT_BENCH_EVENTS ?? 1_000_000);
  runAuditVerifyBench(events).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(
        `audit bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
