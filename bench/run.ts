import { benchConfigFromEnvironment } from './bench-config.js';
import { createBenchDatabase } from './bench-database.js';
import { getMe, login } from './api-client.js';
import { Cleanup } from './cleanup.js';
import { RefreshTokenPool } from './refresh-token-pool.js';
import { buildReport, formatTable, writeJsonReport } from './report.js';
import { adminUsersScenario } from './scenarios/admin-users.js';
import { bareScenario } from './scenarios/bare.js';
import { clientCredentialsScenario } from './scenarios/client-credentials.js';
import { loginScenario } from './scenarios/login.js';
import { liveScenario } from './scenarios/live.js';
import { loginsUnderLoadScenario } from './scenarios/logins-under-load.js';
import { meScenario } from './scenarios/me.js';
import { pruneUnderLoginsScenario } from './scenarios/prune-under-logins.js';
import { refreshScenario } from './scenarios/refresh.js';
import type { Scenario, ScenarioContext, ScenarioRow } from './scenarios/scenario.js';
import { seedUsers } from './seed.js';
import type { ServerProcess } from './server-process.js';
import { startApiServer, startBareServer } from './servers.js';

/**
 * In this order: login fills the refresh token pool that refresh draws from; prune seeds a
 * million rows and admin 100,000 users with their sessions, so they run last.
 */
const SCENARIOS: Scenario[] = [
  liveScenario,
  meScenario,
  loginScenario,
  refreshScenario,
  clientCredentialsScenario,
  loginsUnderLoadScenario,
  pruneUnderLoginsScenario,
  adminUsersScenario,
];

const started = Date.now();

function log(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
}

async function main(): Promise<void> {
  const config = benchConfigFromEnvironment();
  const startedAt = new Date();
  const cleanup = new Cleanup();
  cleanup.runOnSignals();
  let api: ServerProcess | undefined;
  try {
    const database = await createBenchDatabase();
    cleanup.add(`dropping database ${database.name}`, database.drop);
    log(`database ${database.name}; starting the API`);
    api = await startApiServer(config, database.url);
    cleanup.add('stopping the API server', api.stop);

    log(`seeding ${config.seededUsers} users`);
    const users = await seedUsers(database.url, config.seededUsers, config.bcryptCost);
    // The baseline answers exactly what /auth/me answers, so both move the same bytes.
    const { access_token } = await login(api.url, users.username(0), users.password);
    const me = await getMe(api.url, access_token);
    const bare = await startBareServer(me.body, me.contentType);
    cleanup.add('stopping the bare server', bare.stop);

    const context: ScenarioContext = {
      config,
      apiUrl: api.url,
      bareUrl: bare.url,
      databaseUrl: database.url,
      users,
      refreshTokens: new RefreshTokenPool(),
    };
    const rows: ScenarioRow[] = [];
    for (const scenario of [
      bareScenario,
      ...SCENARIOS.filter((s) => config.only.length === 0 || config.only.includes(s.id)),
    ]) {
      log(`scenario ${scenario.id}`);
      const scenarioRows = await scenario.run(context);
      rows.push(...scenarioRows);
    }

    const report = buildReport(config, startedAt, rows);
    process.stdout.write(formatTable(report));
    log(`written to ${(await writeJsonReport(report)).pathname}`);
  } catch (error) {
    // The API logs at warn: its last lines usually say why a request failed.
    if (api) log(`the API's last output:\n${api.recentOutput()}`);
    throw error;
  } finally {
    await cleanup.run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
