import 'reflect-metadata';

import { buildDataSourceOptions } from '@portcullis/database';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MIGRATIONS } from '../../migrations/index.js';
import { AuditChain1763900000000 } from '../../migrations/1763900000000-audit-chain.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp } from '../helpers/test-app.js';
import { bearer } from '../helpers/users.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { AUDIT_VERIFY, adminTokens } from './audit-test-helpers.js';

describe(AuditChain1763900000000.name, () => {
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    url = await createTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions({ url, migrations: MIGRATIONS, poolSize: 1 }));
    await dataSource.initialize();
    const newer = MIGRATIONS.length - MIGRATIONS.indexOf(AuditChain1763900000000);
    for (let i = 0; i < newer; i++) await dataSource.undoLastMigration({ transaction: 'each' });
  });
  afterAll(() => dataSource.destroy());

  it('should take the chain, its indexes and its trigger away on the way down', async () => {
    const columns = await queryDatabase(
      url,
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_events' AND column_name IN ('sequence', 'hash', 'previous_hash')`,
    );
    expect(columns).toEqual([]);
    expect(
      await queryDatabase(url, `SELECT 1 FROM pg_proc WHERE proname = 'audit_events_refuse_change'`),
    ).toEqual([]);
    const indexes = await queryDatabase<{ indexname: string }>(
      url,
      `SELECT indexname FROM pg_indexes WHERE tablename = 'audit_events' ORDER BY indexname`,
    );
    expect(indexes.map((index) => index.indexname)).toEqual([
      'ix_audit_events_actor',
      'ix_audit_events_occurred_at',
      'ix_audit_events_request_id',
      'ix_audit_events_target',
      'pk_audit_events',
    ]);
  });

  it('should chain the events already there in occurred_at order, so that they verify', async () => {
    // Microsecond timestamps (as now() writes them), out of insertion order, jsonb details.
    await queryDatabase(
      url,
      `INSERT INTO audit_events (occurred_at, action, outcome, actor_type, actor_id, details) VALUES
         ('2025-03-01 10:00:00.000999+00', 'user.logout', 'success', 'user', 'u2', '{"b": 1, "a": {"z": [1, "ü"], "y": null}}'),
         ('2025-01-01 10:00:00.123456+00', 'user.registered', 'success', 'user', 'u1', '{}'),
         ('2025-02-01 10:00:00.5+00', 'user.login.failed', 'failure', 'anonymous', NULL, '{"reason": "invalid_credentials"}')`,
    );
    await queryDatabase(
      url,
      `INSERT INTO audit_events (action, outcome, actor_type) VALUES ('user.logout', 'success', 'system')`,
    );

    await dataSource.runMigrations({ transaction: 'each' });

    const rows = await queryDatabase<{
      sequence: string;
      action: string;
      micros: number;
      previous_hash: string | null;
    }>(
      url,
      `SELECT sequence, action, extract(microseconds FROM occurred_at)::int % 1000 AS micros, previous_hash
         FROM audit_events ORDER BY sequence`,
    );
    expect(rows.map((row) => [row.sequence, row.action])).toEqual([
      ['1', 'user.registered'],
      ['2', 'user.login.failed'],
      ['3', 'user.logout'],
      ['4', 'user.logout'],
    ]);
    expect(rows.every((row) => row.micros === 0)).toBe(true);
    expect(rows[0].previous_hash).toBeNull();

    const app = await startTestApp({ databaseUrl: url });
    try {
      const response = await app.http.get(AUDIT_VERIFY).set(...bearer(await adminTokens(app.http)));
      expect(response.body).toEqual({ ok: true, checked: 5, last_sequence: 5 });
    } finally {
      await app.close();
    }
  });
});
