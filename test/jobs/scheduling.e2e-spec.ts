import { JobRunner } from '@portcullis/database';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp } from '../helpers/test-app.js';
import { bearer, registerUser } from '../helpers/users.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const EVERY_SECOND = {
  RUN_JOBS: 'true',
  SESSION_PRUNE_SCHEDULE: '* * * * * *',
  KEY_ROTATION_SCHEDULE: '0 0 1 1 *',
};

async function pruneRuns(databaseUrl: string, after = new Date(0)) {
  return queryDatabase<{ node: string; scheduled_for: Date; outcome: string }>(
    databaseUrl,
    `SELECT node, scheduled_for, outcome FROM job_runs WHERE job = 'session-prune' AND trigger = 'schedule' AND started_at > $1 ORDER BY scheduled_for`,
    [after],
  );
}

/** Inserts `count` sessions of one user that ended long before the retention. */
async function seedEndedSessions(databaseUrl: string, userId: string, count: number) {
  await queryDatabase(
    databaseUrl,
    `INSERT INTO sessions (user_id, client_id, created_at, last_seen_at, expires_at, idle_expires_at)
     SELECT $1, 'portcullis', now() - interval '60 days', now() - interval '60 days', now() - interval '30 days', now() - interval '59 days'
       FROM generate_series(1, $2)`,
    [userId, count],
  );
}

describe('scheduled jobs across nodes', () => {
  it('should run each tick once when two nodes run the scheduler', async () => {
    const nodeA = await startTestApp({ env: { ...EVERY_SECOND, NODE_NAME: 'node-a' } });
    const nodeB = await startTestApp({
      databaseUrl: nodeA.databaseUrl,
      env: { ...EVERY_SECOND, NODE_NAME: 'node-b' },
    });
    try {
      await sleep(4_500);
    } finally {
      await Promise.all([nodeA.close(), nodeB.close()]);
    }
    const runs = await pruneRuns(nodeA.databaseUrl);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const ticks = runs.map((run) => run.scheduled_for.toISOString());
    expect(new Set(ticks).size).toBe(ticks.length);
    // A run still going when the nodes shut down ends at a batch boundary as interrupted.
    // A run still going when the nodes shut down ends at a batch boundary as interrupted.
    expect(runs.filter((run) => !['succeeded', 'skipped', 'interrupted'].includes(run.outcome))).toEqual([]);
  });

  it('should honour a pause set on one node on every node, and a resume likewise', async () => {
    const nodeA = await startTestApp({ env: { ...EVERY_SECOND, NODE_NAME: 'node-a' } });
    const nodeB = await startTestApp({
      databaseUrl: nodeA.databaseUrl,
      env: { ...EVERY_SECOND, NODE_NAME: 'node-b' },
    });
    try {
      const admin = await adminLogin(nodeA.http);
      await nodeA.http
        .post('/api/v1/admin/jobs/session-prune/pause')
        .set(...bearer(admin))
        .expect(200);
      await sleep(1_200);
      const pausedSince = new Date();
      await sleep(2_500);
      expect(await pruneRuns(nodeA.databaseUrl, pausedSince)).toEqual([]);
      const listed = await nodeB.http.get('/api/v1/admin/jobs').set(...bearer(admin));
      expect(listed.body.items.find((job: { name: string }) => job.name === 'session-prune').paused).toBe(
        true,
      );

      await nodeB.http
        .post('/api/v1/admin/jobs/session-prune/resume')
        .set(...bearer(admin))
        .expect(200);
      const resumedAt = new Date();
      await sleep(2_500);
      expect((await pruneRuns(nodeA.databaseUrl, resumedAt)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all([nodeA.close(), nodeB.close()]);
    }
  });

  it('should prune 200,000 ended sessions while a login loop keeps succeeding', async () => {
    const sut = await startTestApp();
    try {
      const user = await registerUser(sut.http);
      await seedEndedSessions(sut.databaseUrl, user.id, 200_000);
      const admin = await adminLogin(sut.http);

      let pruning = true;
      const statuses: number[] = [];
      const loginLoop = (async () => {
        while (pruning) {
          const response = await sut.http
            .post('/api/v1/auth/login')
            .send({ username: user.username, password: user.password });
          statuses.push(response.status);
        }
      })();
      const run = await sut.http.post('/api/v1/admin/jobs/session-prune/run').set(...bearer(admin));
      pruning = false;
      await loginLoop;

      expect(run.body).toMatchObject({
        outcome: 'succeeded',
        counts: expect.objectContaining({ sessions: 200_000 }),
      });
      expect(statuses.length).toBeGreaterThan(5);
      expect(statuses.every((status) => status === 200)).toBe(true);
      const [{ left }] = await queryDatabase<{ left: number }>(
        sut.databaseUrl,
        `SELECT count(*)::int AS left FROM sessions WHERE user_id = $1`,
        [user.id],
      );
      expect(left).toBe(statuses.length);
    } finally {
      await sut.close();
    }
  }, 120_000);

  it('should not wait on an ended session another transaction holds, and take it at the next run', async () => {
    const sut = await startTestApp({ env: { PRUNE_BATCH_SIZE: '100' } });
    const holder = new pg.Client({ connectionString: sut.databaseUrl });
    try {
      const user = await registerUser(sut.http);
      await seedEndedSessions(sut.databaseUrl, user.id, 2_000);
      const [held] = await queryDatabase<{ id: string }>(
        sut.databaseUrl,
        `SELECT id FROM sessions WHERE user_id = $1 AND expires_at < now() ORDER BY ctid DESC LIMIT 1`,
        [user.id],
      );
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE', [held.id]);

      const first = await sut.app.get(JobRunner).runNow('session-prune');
      const stillThere = await queryDatabase(sut.databaseUrl, 'SELECT 1 FROM sessions WHERE id = $1', [
        held.id,
      ]);
      await holder.query('ROLLBACK');
      const second = await sut.app.get(JobRunner).runNow('session-prune');

      expect(first.outcome).toBe('succeeded');
      expect(first.counts.sessions).toBeGreaterThan(1_000);
      expect(first.counts.sessions).toBeLessThan(2_000);
      expect(stillThere).toHaveLength(1);
      expect(second.counts.sessions).toBe(2_000 - first.counts.sessions);
      const [{ ended }] = await queryDatabase<{ ended: number }>(
        sut.databaseUrl,
        `SELECT count(*)::int AS ended FROM sessions WHERE user_id = $1 AND expires_at < now()`,
        [user.id],
      );
      expect(ended).toBe(0);
    } finally {
      await holder.end();
      await sut.close();
    }
  }, 60_000);

  it('should rest between prune batches as PRUNE_DUTY_PERCENT says', async () => {
    // At 1% a batch of a few milliseconds is followed by a rest of about a second: in the
    // time an unpaced run deletes them all, a paced one has done a batch or two.
    const sut = await startTestApp({ env: { PRUNE_BATCH_SIZE: '100', PRUNE_DUTY_PERCENT: '1' } });
    const user = await registerUser(sut.http);
    await seedEndedSessions(sut.databaseUrl, user.id, 2_000);

    const running = sut.app.get(JobRunner).runNow('session-prune');
    await sleep(1_500);
    const [{ left }] = await queryDatabase<{ left: number }>(
      sut.databaseUrl,
      `SELECT count(*)::int AS left FROM sessions WHERE user_id = $1`,
      [user.id],
    );
    expect(left).toBeGreaterThan(1_000);
    await sut.close();
    expect((await running).outcome).toBe('interrupted');
  }, 60_000);

  it('should let a running job reach a batch boundary on shutdown and record it as interrupted', async () => {
    const sut = await startTestApp({ env: { PRUNE_BATCH_SIZE: '100' } });
    const user = await registerUser(sut.http);
    await seedEndedSessions(sut.databaseUrl, user.id, 30_000);

    const running = sut.app.get(JobRunner).runNow('session-prune');
    await sleep(300);
    await sut.close();
    const run = await running;

    expect(run.outcome).toBe('interrupted');
    expect(run.counts.sessions).toBeGreaterThan(0);
    expect(run.counts.sessions).toBeLessThan(30_000);
    // Batches are page ranges of about PRUNE_BATCH_SIZE rows, so the count is no exact multiple;
    // that every committed batch was counted, and nothing else deleted, is checked below.
    const [{ left }] = await queryDatabase<{ left: number }>(
      sut.databaseUrl,
      `SELECT count(*)::int AS left FROM sessions WHERE user_id = $1`,
      [user.id],
    );
    expect(left).toBe(30_000 - run.counts.sessions);
  }, 60_000);
});
