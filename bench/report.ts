import { mkdir, writeFile } from 'node:fs/promises';

import type { BenchConfig } from './bench-config.js';
import type { ScenarioRow } from './scenarios/scenario.js';

/** bench/results/ in the repository (git-ignored), from dist/bench/ where this file runs. */
export const resultsDirectory = new URL('../../bench/results/', import.meta.url);

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  node: string;
  config: BenchConfig;
  rows: (ScenarioRow & { shareOfBare: number | null })[];
}

export function buildReport(config: BenchConfig, startedAt: Date, rows: ScenarioRow[]): BenchReport {
  const bare = rows.find((row) => row.scenario === 'bare node:http');
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    config,
    rows: rows.map((row) => {
      // A row measured in rounds alternating with the bare server is compared to those rounds.
      const bareRequestsPerSecond = row.bareRequestsPerSecond ?? bare?.requestsPerSecond;
      return {
        ...row,
        shareOfBare:
          row.comparableToBare && bareRequestsPerSecond
            ? row.requestsPerSecond / bareRequestsPerSecond
            : null,
      };
    }),
  };
}

const COLUMNS = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'failed', 'goal'] as const;

function cells(row: BenchReport['rows'][number]): string[] {
  return [
    row.scenario,
    row.requestsPerSecond.toFixed(row.requestsPerSecond < 100 ? 1 : 0),
    String(row.p50Ms),
    String(row.p99Ms),
    row.shareOfBare === null ? '-' : `${(row.shareOfBare * 100).toFixed(row.shareOfBare < 0.1 ? 2 : 1)}%`,
    String(row.failed),
    row.goal ? `${row.goal.met ? 'MET' : 'MISSED'}: ${row.goal.description}` : '',
  ];
}

export function formatTable(report: BenchReport): string {
  const { config } = report;
  const table = [[...COLUMNS], ...report.rows.map(cells)];
  const widths = COLUMNS.map((_, column) => Math.max(...table.map((line) => line[column].length)));
  const lines = table.map((line) =>
    line
      .map((cell, column) =>
        column === 0 || column === 6 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  const heading =
    `Portcullis bench ${report.startedAt}: node ${report.node}, ${config.cores} cores, ` +
    `${config.connections} connections, ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s, ` +
    `BCRYPT_COST ${config.bcryptCost}, ` +
    `API_WORKERS ${config.apiWorkers ?? 'default'}, ` +
    `PASSWORD_HASH_THREADS ${config.passwordHashThreads ?? 'default'}`;
  return `${heading}\n${lines.join('\n')}\n`;
}

export async function writeJsonReport(report: BenchReport): Promise<URL> {
  await mkdir(resultsDirectory, { recursive: true });
  const file = new URL('latest.json', resultsDirectory);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
