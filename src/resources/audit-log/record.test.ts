// An audit entry's stored text is the same whether its `after` is an object or that object's JSON, serialized once.
import { describe, expect, it } from 'vitest';
import { auditValues, SerializedJson, type AuditEntry } from './record.js';

const doc = { hypothesis: 'h', status: 'not_started', flags: { f: { ruleId: 'r', note: 'quote " and \\ and \u2028' } }, metrics: [], version: 0 };
const envelope: Omit<AuditEntry, 'after'> = {
  kind: 'experiment',
  resource: 'proj/p:env/e:experiment/x',
  action: 'createIteration',
  name: 'X',
  description: 'created a new iteration of the experiment X',
  projectKey: 'p',
};
const actor = { memberId: 'm1', tokenId: 't1', tokenName: 'ci "token"' };

describe('auditValues with a serialized after', () => {
  it('stores the text JSON.stringify gives for the object, with and without a token name', () => {
    for (const who of [actor, { memberId: 'm1', tokenId: undefined, tokenName: undefined }, undefined]) {
      const plain = auditValues(who as never, 1, { ...envelope, after: { _id: 'id-1', ...doc } });
      const shared = auditValues(who as never, 1, { ...envelope, after: SerializedJson.withId('id-1', JSON.stringify(doc)) });
      expect(shared.slice(1)).toEqual(plain.slice(1));
      expect(JSON.parse(shared[7] as string)).toEqual({ ...envelope, after: { _id: 'id-1', ...doc }, ...(who?.tokenName ? { tokenName: who.tokenName } : {}) });
    }
  });

  it('keeps an entry without after, or with comment and delta, as JSON.stringify makes it', () => {
    const entry = { ...envelope, comment: 'why', delta: [{ op: 'replace' }] };
    expect(auditValues(actor as never, 1, entry)[7]).toBe(JSON.stringify({ ...entry, tokenName: actor.tokenName }));
    const withAfter = { ...entry, after: SerializedJson.withId('i', '{"a":1}') };
    expect(JSON.parse(auditValues(actor as never, 1, withAfter)[7] as string)).toEqual({ ...entry, after: { _id: 'i', a: 1 }, tokenName: actor.tokenName });
  });
});
