import { describe, expect, it } from 'vitest';

import { AUDIT_EXPORT_FORMATS, csvField } from './audit-export.formats.js';
import type { AuditEventRecord } from './audit-event.record.js';

const record: AuditEventRecord = {
  id: 'e1',
  sequence: 3,
  occurred_at: '2025-01-02T03:04:05.678Z',
  action: 'user.logout',
  outcome: 'success',
  actor: { type: 'user', id: 'u1' },
  target: null,
  ip: null,
  user_agent: 'Mozilla/5.0 (X11, "Linux")',
  request_id: 'r1',
  details: { a: 1 },
  previous_hash: null,
  hash: 'h',
};

describe(csvField.name, () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['@SUM(A1)', `'@SUM(A1)`],
  ])('should write %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('should write null as an empty field and numbers as they are', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(-1)).toBe('-1');
  });
});

describe('AUDIT_EXPORT_FORMATS', () => {
  it('should write a CSV row per event under the header, details as JSON', () => {
    const sut = AUDIT_EXPORT_FORMATS.csv;
    expect(sut.header.split(',')).toHaveLength(15);
    expect(sut.line(record)).toBe(
      'e1,3,2025-01-02T03:04:05.678Z,user.logout,success,user,u1,,,,"Mozilla/5.0 (X11, ""Linux"")",r1,"{""a"":1}",,h\r\n',
    );
  });

  it('should write one JSON document per NDJSON line', () => {
    expect(JSON.parse(AUDIT_EXPORT_FORMATS.ndjson.line(record))).toEqual(record);
  });
});
