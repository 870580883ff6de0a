import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens, type TestUser } from '../helpers/users.js';
import { seedAuditEvents } from '../../bench/audit-seed.js';
import { AUDIT_EXPORT, AUDIT_LIST, adminTokens, parseCsv, storedAuditRows } from './audit-test-helpers.js';

/** Enough events for the export to cross several of its keyset batches. */
const SEEDED = 2_345;
const SPREADSHEET_BAIT = `=HYPERLINK("http://evil.test"), "quoted" agent`;

describe('GET /api/v1/admin/audit/export', () => {
  let sut: TestApp;
  let admin: TestTokens;
  let alice: TestUser;

  beforeAll(async () => {
    sut = await startTestApp();
    await seedAuditEvents(sut.databaseUrl, SEEDED, { users: 20 });
    alice = await registerUser(sut.http);
    await sut.http
      .post('/api/v1/auth/login')
      .set('User-Agent', SPREADSHEET_BAIT)
      .send({ username: alice.username, password: alice.password })
      .expect(200);
    admin = await adminTokens(sut.http);
  });
  afterAll(() => sut.close());

  function download(query: Record<string, string>) {
    return sut.http
      .get(AUDIT_EXPORT)
      .query(query)
      .set(...bearer(admin))
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done(null, text));
      });
  }

  it('should stream every event as NDJSON, oldest first, each line shaped like a list item', async () => {
    const response = await download({ format: 'ndjson' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="audit-events-[\w-]+\.ndjson"$/,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['transfer-encoding']).toBe('chunked');
    const lines = (response.body as string).split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((line) => JSON.parse(line) as { id: string; sequence: number });

    const rows = (await storedAuditRows(sut.databaseUrl)).reverse();
    expect(events.map((event) => event.id)).toEqual(rows.map((row) => row.id));
    expect(events.length).toBeGreaterThan(SEEDED);
    const newest = (
      await sut.http
        .get(AUDIT_LIST)
        .query({ limit: 1 })
        .set(...bearer(admin))
    ).body.items[0];
    expect(events.find((event) => event.id === newest.id)).toEqual(newest);
  });

  it('should default to NDJSON and apply the same filters as the list', async () => {
    const response = await download({ actor: alice.id });
    expect(response.headers['content-type']).toBe('application/x-ndjson');
    const events = (response.body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.action)).toEqual(['user.registered', 'user.login.succeeded']);
  });

  it('should stream CSV with a header row, RFC 4180 quoting and formula cells neutralised', async () => {
    const response = await download({ format: 'csv', action: 'user.' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="audit-events-[\w-]+\.csv"$/,
    );
    const [header, ...rows] = parseCsv(response.body as string);
    expect(header).toEqual([
      'id',
      'sequence',
      'occurred_at',
      'action',
      'outcome',
      'actor_type',
      'actor_id',
      'target_type',
      'target_id',
      'ip',
      'user_agent',
      'request_id',
      'details',
      'previous_hash',
      'hash',
    ]);
    const stored = (await storedAuditRows(sut.databaseUrl, `action LIKE 'user.%'`)).reverse();
    expect(rows.map((row) => row[0])).toEqual(stored.map((row) => row.id));
    expect(rows.every((row) => row.length === header.length)).toBe(true);

    const column = (name: string) => header.indexOf(name);
    const login = rows.find(
      (row) => row[column('actor_id')] === alice.id && row[column('action')] === 'user.login.succeeded',
    )!;
    expect(login[column('user_agent')]).toBe(`'${SPREADSHEET_BAIT}`);
    expect(JSON.parse(login[column('details')])).toMatchObject({ client_id: 'portcullis' });
    expect(login[column('target_type')]).toBe('session');
    const failed = rows.find((row) => row[column('action')] === 'user.login.failed')!;
    expect(failed[column('actor_id')]).toBe('');
  });

  it.each([
    [{ format: 'xml' }, 'format'],
    [{ limit: '10' }, 'limit'],
    [{ from: 'last week' }, 'from'],
  ])('should answer a problem document, not a stream, for %j', async (query, field) => {
    const response = await sut.http
      .get(AUDIT_EXPORT)
      .query(query)
      .set(...bearer(admin));
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field }));
  });

  it('should answer 401 without a token, 403 INSUFFICIENT_SCOPE without admin:audit:read, and 200 with it', async () => {
    expect((await sut.http.get(AUDIT_EXPORT)).status).toBe(401);
    const forbidden = await sut.http
      .get(AUDIT_EXPORT)
      .set(...bearer(await login(sut.http, alice.username, alice.password)));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('INSUFFICIENT_SCOPE');
    const scoped = await adminTokens(sut.http, 'admin:audit:read');
    expect(
      (
        await sut.http
          .get(AUDIT_EXPORT)
          .query({ action: 'user.registered' })
          .set(...bearer(scoped))
      ).status,
    ).toBe(200);
  });
});
