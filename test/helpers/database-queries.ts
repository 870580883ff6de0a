import pg from 'pg';

/** Reads (or arranges) rows in a test database directly, for assertions the API does not expose. */
export async function queryDatabase<T extends pg.QueryResultRow = pg.QueryResultRow>(
  databaseUrl: string,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, parameters)).rows;
  } finally {
    await client.end();
  }
}

export async function auditActions(databaseUrl: string, actorOrTargetId?: string): Promise<string[]> {
  const rows = await queryDatabase<{ action: string }>(
    databaseUrl,
    actorOrTargetId
      ? `SELECT action FROM audit_events WHERE actor_id = $1 OR target_id = $1 ORDER BY occurred_at, action`
      : `SELECT action FROM audit_events ORDER BY occurred_at, action`,
    actorOrTargetId ? [actorOrTargetId] : [],
  );
  return rows.map((row) => row.action);
}
