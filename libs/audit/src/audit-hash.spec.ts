import { describe, expect, it } from 'vitest';

import {
  canonicalAuditContent,
  canonicalJson,
  computeAuditHash,
  type AuditChainContent,
} from './audit-hash.js';

const event: AuditChainContent = {
  sequence: '7',
  occurredAt: new Date('2025-01-02T03:04:05.678Z'),
  action: 'user.login.succeeded',
  outcome: 'success',
  actorType: 'user',
  actorId: 'u1',
  targetType: 'session',
  targetId: 's1',
  ip: '127.0.0.1',
  userAgent: 'agent',
  requestId: 'r1',
  details: { scope: 'openid', client_id: 'portcullis' },
};

describe(canonicalJson.name, () => {
  it('should sort keys at every depth and keep array order', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 2 }, 3], a: { d: null, c: 'x' } })).toBe(
      '{"a":{"c":"x","d":null},"b":[{"a":2,"z":1},3]}',
    );
  });

  it('should leave out undefined members as stored JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1, c: [undefined] })).toBe('{"b":1,"c":[null]}');
  });
});

describe(canonicalAuditContent.name, () => {
  it('should be canonicalJson of the snake_case event with its previous hash', () => {
    expect(canonicalAuditContent(event, 'p')).toBe(
      canonicalJson({
        sequence: '7',
        occurred_at: '2025-01-02T03:04:05.678Z',
        action: event.action,
        outcome: event.outcome,
        actor_type: event.actorType,
        actor_id: event.actorId,
        target_type: event.targetType,
        target_id: event.targetId,
        ip: event.ip,
        user_agent: event.userAgent,
        request_id: event.requestId,
        details: event.details,
        previous_hash: 'p',
      }),
    );
    expect(canonicalAuditContent({ ...event, ip: null, details: {} }, null)).toContain('"ip":null');
  });
});

describe(computeAuditHash.name, () => {
  it('should give the same hash whatever the key order of details', () => {
    const reordered = { ...event, details: { client_id: 'portcullis', scope: 'openid' } };
    expect(computeAuditHash(reordered, 'p')).toBe(computeAuditHash(event, 'p'));
  });

  it('should change with any field, the sequence or the previous hash', () => {
    const sut = computeAuditHash(event, 'p');
    expect(sut).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAuditHash({ ...event, sequence: 8 }, 'p')).not.toBe(sut);
    expect(computeAuditHash({ ...event, ip: null }, 'p')).not.toBe(sut);
    expect(computeAuditHash({ ...event, details: { scope: 'openid' } }, 'p')).not.toBe(sut);
    expect(computeAuditHash(event, null)).not.toBe(sut);
  });

  it('should treat a sequence as the same whether it comes as a string, number or bigint', () => {
    expect(computeAuditHash({ ...event, sequence: 7n }, null)).toBe(computeAuditHash(event, null));
    expect(computeAuditHash({ ...event, sequence: 7 }, null)).toBe(computeAuditHash(event, null));
  });
});
