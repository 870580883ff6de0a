import { describe, expect, it } from 'vitest';

import { buildPage, decodeCursor, encodeCursor } from './pagination.js';

describe(buildPage.name, () => {
  const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

  it('should keep limit rows and give a cursor when one more row was fetched', () => {
    const sut = buildPage(rows, {
      limit: 2,
      offset: 0,
      total: 3,
      toItem: (row) => row.id,
      cursorOf: (row) => ({ id: row.id }),
    });
    expect(sut).toEqual({
      items: ['a', 'b'],
      total: 3,
      limit: 2,
      offset: 0,
      has_more: true,
      next_cursor: encodeCursor({ id: 'b' }),
    });
  });

  it('should say there is no more when fewer rows than limit + 1 came back', () => {
    const sut = buildPage(rows, {
      limit: 3,
      offset: 0,
      toItem: (row) => row.id,
      cursorOf: (row) => ({ id: row.id }),
    });
    expect(sut).toMatchObject({ has_more: false, next_cursor: null });
    expect(sut).not.toHaveProperty('total');
  });
});

describe(decodeCursor.name, () => {
  it('should round-trip a position', () => {
    expect(decodeCursor(encodeCursor({ seq: 42, id: 'x' }), ['seq', 'id'])).toEqual({ seq: 42, id: 'x' });
  });

  it.each(['not base64 json', encodeCursor({ other: 1 }), Buffer.from('[1]').toString('base64url')])(
    'should refuse %s with a 400',
    (cursor) => {
      expect(() => decodeCursor(cursor, ['seq'])).toThrow(
        expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }),
      );
    },
  );
});
