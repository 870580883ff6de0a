import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens, type TestUser } from '../helpers/users.js';

const PATH = '/api/v1/auth/me/preferences';
const MERGE_PATCH = 'application/merge-patch+json';
const MAX_BYTES = 16 * 1024;

/** An object nested `levels` deep: `nested(1)` is `{}`, `nested(2)` is `{"a":{}}`. */
function nested(levels: number): Record<string, unknown> {
  return levels <= 1 ? {} : { a: nested(levels - 1) };
}

/** An object whose compact UTF-8 JSON takes exactly `bytes` bytes. */
function ofSize(bytes: number): Record<string, string> {
  return { p: 'x'.repeat(bytes - JSON.stringify({ p: '' }).length) };
}

describe('/api/v1/auth/me/preferences', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  async function signIn(): Promise<{ user: TestUser; tokens: TestTokens }> {
    const user = await registerUser(sut.http);
    return { user, tokens: await login(sut.http, user.username, user.password) };
  }

  async function stored(tokens: TestTokens): Promise<unknown> {
    const response = await sut.http.get(PATH).set(...bearer(tokens));
    expect(response.status).toBe(200);
    return response.body;
  }

  function put(tokens: TestTokens, body: unknown) {
    return sut.http
      .put(PATH)
      .set(...bearer(tokens))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  }

  function patch(tokens: TestTokens, body: unknown, contentType = MERGE_PATCH) {
    return sut.http
      .patch(PATH)
      .set(...bearer(tokens))
      .set('Content-Type', contentType)
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  }

  it('should answer {} when nothing is stored', async () => {
    const { tokens } = await signIn();
    const response = await sut.http.get(PATH).set(...bearer(tokens));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.body).toEqual({});
  });

  it('should store any keys and replace the whole object when PUT', async () => {
    const { tokens } = await signIn();
    const first = { theme: 'dark', is_active: false, roles: ['admin'], layout: { sidebar: true } };
    const response = await put(tokens, first);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(first);
    expect(await stored(tokens)).toEqual(first);

    const second = { locale: 'en-GB' };
    expect((await put(tokens, second)).body).toEqual(second);
    expect(await stored(tokens)).toEqual(second);
  });

  it('should merge per RFC 7396 when PATCH: objects recursively, null deletes, arrays replace', async () => {
    const { tokens } = await signIn();
    await put(tokens, {
      theme: 'dark',
      editor: { font: { family: 'mono', size: 12 }, tabs: 2 },
      pinned: ['a', 'b', 'c'],
      beta: true,
    }).expect(200);

    const response = await patch(tokens, {
      editor: { font: { size: 14 }, tabs: null, wrap: true },
      pinned: ['z'],
      beta: null,
      added: { deep: { ignored: null } },
    });
    const merged = {
      theme: 'dark',
      editor: { font: { family: 'mono', size: 14 }, wrap: true },
      pinned: ['z'],
      added: { deep: {} },
    };
    expect(response.status).toBe(200);
    expect(response.body).toEqual(merged);
    expect(await stored(tokens)).toEqual(merged);
  });

  it.each([MERGE_PATCH, `${MERGE_PATCH}; charset=utf-8`, 'application/json'])(
    'should accept a merge patch sent as %s',
    async (contentType) => {
      const { tokens } = await signIn();
      const response = await patch(tokens, { theme: 'light' }, contentType);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ theme: 'light' });
      expect(await stored(tokens)).toEqual({ theme: 'light' });
    },
  );

  it('should answer 415 for a body that is not JSON', async () => {
    const { tokens } = await signIn();
    const response = await patch(tokens, 'theme=dark', 'text/plain');
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('should store an object of exactly 16 KiB and refuse one byte more with 413, keeping the old value', async () => {
    const { tokens } = await signIn();
    const atLimit = ofSize(MAX_BYTES);
    expect(Buffer.byteLength(JSON.stringify(atLimit))).toBe(MAX_BYTES);
    await put(tokens, atLimit).expect(200);

    const response = await put(tokens, ofSize(MAX_BYTES + 1));
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 413, code: 'PREFERENCES_TOO_LARGE' });
    expect(await stored(tokens)).toEqual(atLimit);
  });

  it('should count UTF-8 bytes, not characters, against the 16 KiB limit', async () => {
    const { tokens } = await signIn();
    // 9,000 characters, 18,000 bytes.
    const response = await put(tokens, { p: 'é'.repeat(9000) });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PREFERENCES_TOO_LARGE');
  });

  it('should measure the merged result, so a small patch that makes it too large answers 413 and changes nothing', async () => {
    const { tokens } = await signIn();
    const before = ofSize(MAX_BYTES - 10);
    await put(tokens, before).expect(200);

    const response = await patch(tokens, { more: 'x'.repeat(20) });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PREFERENCES_TOO_LARGE');
    expect(await stored(tokens)).toEqual(before);
  });

  it('should accept a patch larger than the limit when the merged result fits', async () => {
    const { tokens } = await signIn();
    await put(tokens, ofSize(MAX_BYTES)).expect(200);
    const response = await patch(tokens, {
      ...ofSize(MAX_BYTES - 20),
      gone: null,
      [`x${'y'.repeat(40)}`]: null,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(ofSize(MAX_BYTES - 20));
  });

  it('should store nothing when a first patch fails', async () => {
    const { user, tokens } = await signIn();
    await patch(tokens, { p: 'x'.repeat(MAX_BYTES) }).expect(413);
    const rows = await queryDatabase(sut.databaseUrl, `SELECT 1 FROM user_preferences WHERE user_id = $1`, [
      user.id,
    ]);
    expect(rows).toEqual([]);
  });

  it('should accept objects nested 8 deep and refuse 9 with 413 PREFERENCES_TOO_DEEP', async () => {
    const { tokens } = await signIn();
    await put(tokens, nested(8)).expect(200);
    expect(await stored(tokens)).toEqual(nested(8));

    for (const response of [await put(tokens, nested(9)), await patch(tokens, nested(9))]) {
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('PREFERENCES_TOO_DEEP');
    }
    expect(await stored(tokens)).toEqual(nested(8));
  });

  it('should count arrays as levels of nesting', async () => {
    const { tokens } = await signIn();
    // The object, then seven arrays: 8 levels.
    await put(tokens, { a: [[[[[[[1]]]]]]] }).expect(200);
    const response = await put(tokens, { a: [[[[[[[[1]]]]]]]] });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PREFERENCES_TOO_DEEP');
  });

  it('should answer 413, not fail, for a body nested tens of thousands deep', async () => {
    const { tokens } = await signIn();
    const levels = 30_000;
    const response = await patch(tokens, `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`);
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PREFERENCES_TOO_DEEP');
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a string', '"dark"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('should answer 400 and store nothing when the body is %s', async (_kind, body) => {
    const { tokens } = await signIn();
    await put(tokens, { kept: true }).expect(200);
    for (const response of [
      await sut.http
        .put(PATH)
        .set(...bearer(tokens))
        .set('Content-Type', 'application/json')
        .send(body),
      await patch(tokens, body),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    expect(await stored(tokens)).toEqual({ kept: true });
  });

  it.each([MERGE_PATCH, 'application/json'])(
    'should answer 400 MALFORMED_REQUEST for malformed JSON sent as %s',
    async (contentType) => {
      const { tokens } = await signIn();
      for (const body of ['{"theme": ', '']) {
        const response = await patch(tokens, body, contentType);
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('MALFORMED_REQUEST');
      }
    },
  );

  it.each([
    ['a NUL character in a value', '{"a":{"b":"x\\u0000y"}}', '/a/b'],
    ['a NUL character in a key', '{"a\\u0000":1}', '/a\u0000'],
    ['an unpaired surrogate', '{"a":["\\ud800"]}', '/a/0'],
    ['a number too large for a double', '{"a":1e999}', '/a'],
  ])('should answer 400 for %s, which PostgreSQL cannot store as sent', async (_kind, body, field) => {
    const { tokens } = await signIn();
    const response = await patch(tokens, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field }] });
    expect(await stored(tokens)).toEqual({});
  });

  it('should answer 401 without a token', async () => {
    for (const response of [
      await sut.http.get(PATH),
      await sut.http.put(PATH).send({ theme: 'dark' }),
      await sut.http.patch(PATH).set('Content-Type', MERGE_PATCH).send('{"theme":"dark"}'),
    ]) {
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('MISSING_TOKEN');
    }
  });

  it("should keep each user's preferences to that user", async () => {
    const alice = await signIn();
    const bob = await signIn();
    await put(alice.tokens, { theme: 'dark' }).expect(200);

    expect(await stored(bob.tokens)).toEqual({});
    await patch(bob.tokens, { theme: 'light', theirs: true }).expect(200);
    expect(await stored(alice.tokens)).toEqual({ theme: 'dark' });
    expect(await stored(bob.tokens)).toEqual({ theme: 'light', theirs: true });
  });

  it('should lose no update when patches run concurrently, the first ones of a user included', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => signIn()));
    const count = 10;
    const responses = await Promise.all(
      users.flatMap(({ tokens }) =>
        Array.from({ length: count }, (_, i) =>
          patch(tokens, { [`key${i}`]: i, counters: { [`c${i}`]: i } }),
        ),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(users.length * count).fill(200));
    for (const { tokens } of users) {
      const final = (await stored(tokens)) as { counters: Record<string, number> };
      expect(Object.keys(final)).toHaveLength(count + 1);
      expect(Object.keys(final.counters)).toHaveLength(count);
    }
  });

  it('should delete the preferences with their user', async () => {
    const { user, tokens } = await signIn();
    await put(tokens, { theme: 'dark' }).expect(200);
    await queryDatabase(sut.databaseUrl, `DELETE FROM users WHERE id = $1`, [user.id]);
    const rows = await queryDatabase(sut.databaseUrl, `SELECT 1 FROM user_preferences WHERE user_id = $1`, [
      user.id,
    ]);
    expect(rows).toEqual([]);
  });
});
