// patchFeatureFlag's "Conflicts": "If a flag configuration change made through this endpoint would cause a pending
// scheduled change or approval request to fail, this endpoint will return a 400. You can ignore this check by adding
// an ignoreConflicts query parameter set to true." Nothing refused is written; a change that breaks nothing pending,
// or a pending change that already fails, is no conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const SEMANTIC = { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' };

describe('patchFeatureFlag: conflicts with pending scheduled changes and approval requests', () => {
  let s: TestServer;
  let flagKey = 0;
  const later = () => Date.now() + 3_600_000;
  /** A fresh flag with two rules in production; its rule ids and variation ids. */
  async function flagWithRules(): Promise<{ key: string; rules: string[]; variations: string[] }> {
    const key = `flag-${flagKey++}`;
    const made = await s.post('/api/v2/flags/shop', { name: key, key, variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    expect(made.status).toBe(201);
    const rule = (attr: string) => ({ kind: 'addRule', clauses: [{ attribute: attr, op: 'in', values: ['x'], contextKind: 'user' }], variationId: made.body.variations[0]._id });
    const res = await s.patch(`/api/v2/flags/shop/${key}`, { environmentKey: 'production', instructions: [rule('email'), rule('country')] }, { headers: SEMANTIC });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { key, rules: res.body.environments.production.rules.map((r: { _id: string }) => r._id), variations: made.body.variations.map((v: { _id: string }) => v._id) };
  }
  const schedule = async (key: string, instructions: object[]) => {
    const res = await s.post(`/api/v2/projects/shop/flags/${key}/environments/production/scheduled-changes`, { executionDate: later(), instructions });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body._id as string;
  };
  const removeRule = (ruleId: string) => ({ environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId }] });

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('400 naming the schedule a change would break; nothing written; ignoreConflicts=true makes the change', async () => {
    const f = await flagWithRules();
    const id = await schedule(f.key, [{ kind: 'updateRuleVariationOrRollout', ruleId: f.rules[0], variationId: f.variations[1] }]);
    const res = await expectRefused(s.store, () => s.patch(`/api/v2/flags/shop/${f.key}`, removeRule(f.rules[0]), { headers: SEMANTIC }), 400, 'invalid_request');
    expect(res.body.message).toContain(`scheduled change ${id} in "production"`);
    expect(res.body.message).toContain('ignoreConflicts=true');
    // JSON Patch alike.
    await expectRefused(s.store, () => s.patch(`/api/v2/flags/shop/${f.key}`, [{ op: 'remove', path: '/environments/production/rules/0' }]), 400, 'invalid_request');
    // Removing the other rule breaks nothing pending.
    expect((await s.patch(`/api/v2/flags/shop/${f.key}`, removeRule(f.rules[1]), { headers: SEMANTIC })).status).toBe(200);
    const ignored = await s.patch(`/api/v2/flags/shop/${f.key}?ignoreConflicts=true`, removeRule(f.rules[0]), { headers: SEMANTIC });
    expect(ignored.status).toBe(200);
    expect(ignored.body.environments.production.rules).toEqual([]);
    // A schedule that already fails is no conflict of later changes.
    expect((await s.patch(`/api/v2/flags/shop/${f.key}`, { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }] }, { headers: SEMANTIC })).status).toBe(200);
  });

  it('a pending approval request conflicts the same way, once applied or declined it does not', async () => {
    const f = await flagWithRules();
    const asked = await s.post(`/api/v2/projects/shop/flags/${f.key}/environments/production/approval-requests`, {
      description: 'Serve b on the first rule',
      instructions: [{ kind: 'updateRuleVariationOrRollout', ruleId: f.rules[0], variationId: f.variations[1] }],
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const res = await expectRefused(s.store, () => s.patch(`/api/v2/flags/shop/${f.key}`, removeRule(f.rules[0]), { headers: SEMANTIC }), 400, 'invalid_request');
    expect(res.body.message).toContain(`approval request ${asked.body._id} in "production"`);
    expect((await s.del(`/api/v2/projects/shop/flags/${f.key}/environments/production/approval-requests/${asked.body._id}`)).status).toBe(204);
    expect((await s.patch(`/api/v2/flags/shop/${f.key}`, removeRule(f.rules[0]), { headers: SEMANTIC })).status).toBe(200);
  });

  it('removing a variation a pending change serves is a conflict; a flag-wide change breaks schedules in any environment', async () => {
    const f = await flagWithRules();
    await schedule(f.key, [{ kind: 'updateFallthroughVariationOrRollout', variationId: f.variations[1] }]);
    await expectRefused(s.store, () => s.patch(`/api/v2/flags/shop/${f.key}`, { instructions: [{ kind: 'removeVariation', variationId: f.variations[1] }] }, { headers: SEMANTIC }), 400, 'invalid_request');
    const removed = await s.patch(`/api/v2/flags/shop/${f.key}?ignoreConflicts=true`, { instructions: [{ kind: 'removeVariation', variationId: f.variations[1] }] }, { headers: SEMANTIC });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
  });

  it('400 naming ignoreConflicts when it is not true or false', async () => {
    const f = await flagWithRules();
    const res = await s.patch(`/api/v2/flags/shop/${f.key}?ignoreConflicts=maybe`, removeRule(f.rules[1]), { headers: SEMANTIC });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('ignoreConflicts');
  });
});
