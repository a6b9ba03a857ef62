import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchSegment: semantic patch errors', () => {
  let s: TestServer;
  let ruleId: string;
  let otherRuleId: string;
  let clauseId: string;
  const path = '/api/v2/segments/shop/production/beta';
  const patchOf = (...instructions: Record<string, unknown>[]) => ({ environmentKey: 'production', instructions });

  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/segments/shop/production', { name: 'Beta', key: 'beta', tags: ['beta'] });
    const ruled = await s.patch(
      path,
      patchOf(
        { kind: 'addRule', clauses: [{ attribute: 'country', op: 'in', values: ['SE'] }] },
        { kind: 'addRule', rolloutWeight: 50000 },
        { kind: 'addIncludedUsers', values: ['in-1'] },
        { kind: 'addExcludedTargets', contextKind: 'org', values: ['org-out'] },
      ),
    );
    [ruleId, otherRuleId] = ruled.body.rules.map((r: { _id: string }) => r._id);
    clauseId = ruled.body.rules[0].clauses[0]._id;
  });
  afterAll(() => s.close());

  /** A 400 naming `attribute` (with `reason`), named in the message too, after which the store is byte-for-byte as before. */
  async function refused(body: unknown, attribute: string, reason: string | RegExp) {
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(path, body);
    });
    expect(res!.status, JSON.stringify(res!.body)).toBe(400);
    expect(res!.body.code).toBe('invalid_request');
    const error = res!.body.errors?.find((e: { attribute: string; reason: string }) => e.attribute === attribute && (typeof reason === 'string' ? e.reason === reason : reason.test(e.reason)));
    expect(error, JSON.stringify(res!.body)).toBeDefined();
    expect(res!.body.message).toContain(attribute);
    expect(changed).toBe(false);
    return res!;
  }

  it('is atomic: one refused instruction and none applies; every refused one is named', async () => {
    const res = await refused(
      patchOf(
        { kind: 'updateName', value: 'Renamed' },
        { kind: 'addTags', values: ['new'] },
        { kind: 'updateClause', ruleId, clauseId: 'no-such-clause', clause: { attribute: 'email', op: 'in', values: ['x'] } },
        { kind: 'addIncludedUsers', values: ['u9'] },
        { kind: 'updateRuleDescription', ruleId: 'no-such-rule', description: 'x' },
      ),
      'instructions[2].clauseId',
      `updateClause: rule "${ruleId}" has no clause with _id "no-such-clause"`,
    );
    expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toEqual(['instructions[2].clauseId', 'instructions[4].ruleId']);
    expect((await s.get(path)).body).toMatchObject({ name: 'Beta', tags: ['beta'], included: ['in-1'], version: 2 });
  });

  it('400 when environmentKey is not the environment of the URL', async () => {
    await refused(
      { environmentKey: 'test', instructions: [{ kind: 'addTags', values: ['x'] }] },
      'environmentKey',
      'is "test", but the segment is in environment "production" (the URL\'s)',
    );
    await refused(
      { environmentKey: 'staging', instructions: [{ kind: 'addTags', values: ['x'] }] },
      'environmentKey',
      'is "staging", but the segment is in environment "production" (the URL\'s)',
    );
  });

  it('400 for each big segment instruction on a standard segment, naming the instruction; nothing changes', async () => {
    for (const instruction of [
      { kind: 'addBigSegmentIncludedTargets', values: ['a'] },
      { kind: 'addBigSegmentExcludedTargets', values: ['a'] },
      { kind: 'removeBigSegmentIncludedTargets', values: ['a'] },
      { kind: 'removeBigSegmentExcludedTargets', values: ['a'] },
      { kind: 'processBigSegmentImport', importId: 'a902ef4a-2faf-4eaf-88e1-ecc356708a29' },
    ]) {
      let res: Response | undefined;
      const changed = await changedBy(s.store, async () => {
        res = await s.patch(path, patchOf({ kind: 'updateName', value: 'Renamed' }, instruction));
      });
      expect(res!.status, JSON.stringify(res!.body)).toBe(400);
      expect(res!.body).toMatchObject({ code: 'invalid_request', message: expect.stringContaining(`${instruction.kind} applies only to big segments`) });
      expect(changed).toBe(false);
    }
  });

  it('400 for a big segment patch that would leave a key both included and excluded, or names an import the segment lacks', async () => {
    const big = '/api/v2/segments/shop/production/big-one';
    expect((await s.post('/api/v2/segments/shop/production', { name: 'Big one', key: 'big-one', unbounded: true })).status).toBe(201);
    expect((await s.post(`${big}/contexts`, { included: { add: ['in'] }, excluded: { add: ['out'] } })).status).toBe(204);
    const refusedOnBig = async (instructions: Record<string, unknown>[], attribute: string, reason: RegExp) => {
      let res: Response | undefined;
      const changed = await changedBy(s.store, async () => {
        res = await s.patch(big, patchOf(...instructions));
      });
      expect(res!.status, JSON.stringify(res!.body)).toBe(400);
      expect(res!.body.errors).toContainEqual({ attribute, reason: expect.stringMatching(reason) });
      expect(changed).toBe(false);
    };
    await refusedOnBig([{ kind: 'addBigSegmentExcludedTargets', values: ['in', 'new'] }], 'values', /"in" both included and excluded/);
    await refusedOnBig([{ kind: 'addBigSegmentIncludedTargets', values: ['x'] }, { kind: 'addBigSegmentExcludedTargets', values: ['x'] }], 'values', /"x" both included and excluded/);
    await refusedOnBig([{ kind: 'processBigSegmentImport', importId: 'a902ef4a-2faf-4eaf-88e1-ecc356708a29' }], 'importId', /has no import with the id "a902ef4a/);
  });

  it('400 when the target instructions of one patch name more than 1,500 keys (LaunchDarkly\'s batch limit)', async () => {
    await refused(
      patchOf(
        { kind: 'addIncludedUsers', values: Array.from({ length: 1000 }, (_, i) => `u${i}`) },
        { kind: 'removeExcludedTargets', contextKind: 'org', values: Array.from({ length: 501 }, (_, i) => `o${i}`) },
      ),
      'instructions',
      'name 1501 target keys; one patch may add or remove at most 1500',
    );
    await refused(patchOf({ kind: 'addIncludedTargets', contextKind: 'org', values: Array.from({ length: 1501 }, (_, i) => `o${i}`) }), 'instructions', /^name 1501 target keys/);
  });

  it('400 for a key the patch would leave both included and excluded', async () => {
    await refused(patchOf({ kind: 'addExcludedUsers', values: ['in-1'] }), 'included[0]', '"in-1" is also excluded; a key cannot be both included and excluded');
    await refused(
      patchOf({ kind: 'addIncludedTargets', contextKind: 'org', values: ['org-in', 'org-out'] }),
      'includedContexts[0].values[1]',
      '"org-out" (org) is also excluded; a key cannot be both included and excluded',
    );
  });

  it('400 for reorderRules with a list that is not each rule once', async () => {
    const reason = `reorderRules: must list every rule of the segment exactly once ("${ruleId}", "${otherRuleId}")`;
    await refused(patchOf({ kind: 'reorderRules', ruleIds: [ruleId] }), 'instructions[0].ruleIds', reason);
    await refused(patchOf({ kind: 'reorderRules', ruleIds: [ruleId, ruleId] }), 'instructions[0].ruleIds', reason);
    await refused(patchOf({ kind: 'reorderRules', ruleIds: [ruleId, otherRuleId, 'extra'] }), 'instructions[0].ruleIds', reason);
    await refused(patchOf({ kind: 'reorderRules', ruleIds: [ruleId, 'stranger'] }), 'instructions[0].ruleIds', reason);
  });

  it('400 naming the ruleId or clauseId that does not exist', async () => {
    const noRule = (kind: string) => `${kind}: the segment has no rule with _id "nope"`;
    await refused(patchOf({ kind: 'addClauses', ruleId: 'nope', clauses: [{ attribute: 'a', op: 'in', values: ['b'] }] }), 'instructions[0].ruleId', noRule('addClauses'));
    await refused(patchOf({ kind: 'removeClauses', ruleId: 'nope', clauseIds: [clauseId] }), 'instructions[0].ruleId', noRule('removeClauses'));
    await refused(patchOf({ kind: 'updateClause', ruleId: 'nope', clauseId, clause: { attribute: 'a', op: 'in', values: ['b'] } }), 'instructions[0].ruleId', noRule('updateClause'));
    await refused(patchOf({ kind: 'addValuesToClause', ruleId: 'nope', clauseId, values: ['x'] }), 'instructions[0].ruleId', noRule('addValuesToClause'));
    await refused(patchOf({ kind: 'removeValuesFromClause', ruleId: 'nope', clauseId, values: ['x'] }), 'instructions[0].ruleId', noRule('removeValuesFromClause'));
    await refused(patchOf({ kind: 'updateRuleDescription', ruleId: 'nope', description: 'x' }), 'instructions[0].ruleId', noRule('updateRuleDescription'));
    await refused(patchOf({ kind: 'updateRuleRolloutAndContextKind', ruleId: 'nope', weight: 1 }), 'instructions[0].ruleId', noRule('updateRuleRolloutAndContextKind'));
    await refused(patchOf({ kind: 'addRule', beforeRuleId: 'nope' }), 'instructions[0].beforeRuleId', noRule('addRule'));

    const noClause = (kind: string) => `${kind}: rule "${ruleId}" has no clause with _id "nope"`;
    await refused(patchOf({ kind: 'updateClause', ruleId, clauseId: 'nope', clause: { attribute: 'a', op: 'in', values: ['b'] } }), 'instructions[0].clauseId', noClause('updateClause'));
    await refused(patchOf({ kind: 'addValuesToClause', ruleId, clauseId: 'nope', values: ['x'] }), 'instructions[0].clauseId', noClause('addValuesToClause'));
    await refused(patchOf({ kind: 'removeValuesFromClause', ruleId, clauseId: 'nope', values: ['x'] }), 'instructions[0].clauseId', noClause('removeValuesFromClause'));
    // A rule removed earlier in the same patch is gone for the instructions after it.
    await refused(patchOf({ kind: 'removeRule', ruleId }, { kind: 'updateRuleDescription', ruleId, description: 'x' }), 'instructions[1].ruleId', `updateRuleDescription: the segment has no rule with _id "${ruleId}"`);
  });

  it('400 for an attribute reference the SDKs cannot read, naming the instruction\'s field', async () => {
    await refused(patchOf({ kind: 'addRule', clauses: [{ attribute: '/_meta/x', op: 'in', values: ['a'] }] }), 'instructions[0].clauses[0].attribute', /addRule: .*names _meta/);
    await refused(patchOf({ kind: 'addClauses', ruleId, clauses: [{ attribute: '/a//b', op: 'in', values: ['a'] }] }), 'instructions[0].clauses[0].attribute', /not an attribute reference/);
    await refused(patchOf({ kind: 'addRule', clauses: [], rolloutWeight: 10000, rolloutBucketBy: '/a~x' }), 'instructions[0].rolloutBucketBy', /"~" must be followed by 0 or 1/);
  });

  it('400 for a clause with an unknown operator, named down to the clause', async () => {
    await refused(patchOf({ kind: 'addRule', clauses: [{ attribute: 'a', op: 'in', values: [] }, { attribute: 'a', op: 'nope', values: [] }] }), 'instructions[0].clauses[1].op', /^addRule: "nope" is not an operator; use one of in, endsWith/);
    await refused(patchOf({ kind: 'addClauses', ruleId, clauses: [{ attribute: 'a', op: 'sameAs', values: [] }] }), 'instructions[0].clauses[0].op', /^addClauses: "sameAs" is not an operator/);
    await refused(patchOf({ kind: 'updateClause', ruleId, clauseId, clause: { attribute: 'a', op: 'like', values: [] } }), 'instructions[0].clause.op', /^updateClause: "like" is not an operator/);
  });

  it('400 for a rollout share out of range, or rollout details without a rolloutWeight', async () => {
    await refused(patchOf({ kind: 'addRule', rolloutWeight: 100001 }), 'instructions[0].rolloutWeight', 'must be <= 100000');
    await refused(patchOf({ kind: 'addRule', rolloutWeight: -1 }), 'instructions[0].rolloutWeight', 'must be >= 0');
    await refused(patchOf({ kind: 'addRule', rolloutBucketBy: 'region' }), 'instructions[0].rolloutWeight', 'addRule: must be present with rolloutBucketBy or rolloutContextKind');
    await refused(patchOf({ kind: 'addRule', rolloutContextKind: 'org' }), 'instructions[0].rolloutWeight', 'addRule: must be present with rolloutBucketBy or rolloutContextKind');
    await refused(patchOf({ kind: 'updateRuleRolloutAndContextKind', ruleId: otherRuleId, weight: 100001 }), 'instructions[0].weight', /^updateRuleRolloutAndContextKind: must be an integer from 0 to 100000/);
    await refused(patchOf({ kind: 'updateRuleRolloutAndContextKind', ruleId: otherRuleId, weight: -5 }), 'instructions[0].weight', /^updateRuleRolloutAndContextKind: must be an integer from 0 to 100000/);
    await refused(patchOf({ kind: 'updateRuleRolloutAndContextKind', ruleId: otherRuleId, weight: 1.5 }), 'instructions[0].weight', /^updateRuleRolloutAndContextKind: must be an integer from 0 to 100000/);
    await refused(patchOf({ kind: 'updateRuleRolloutAndContextKind', ruleId: otherRuleId, weight: '100001' }), 'instructions[0].weight', /^updateRuleRolloutAndContextKind: must be an integer from 0 to 100000/);
    await refused(patchOf({ kind: 'updateRuleRolloutAndContextKind', ruleId: otherRuleId, weight: 'most' }), 'instructions[0].weight', /^updateRuleRolloutAndContextKind: must be an integer from 0 to 100000/);
  });

  it('400 for missing or mistyped parameters, named instructions[i].parameter', async () => {
    await refused(patchOf({ kind: 'addIncludedTargets', values: ['a'] }), 'instructions[0].contextKind', 'must be present');
    await refused(patchOf({ kind: 'addIncludedUsers', values: [] }), 'instructions[0].values', 'must have at least 1 item(s)');
    await refused(patchOf({ kind: 'addExcludedUsers', values: 'a' }), 'instructions[0].values', 'must be an array');
    await refused(patchOf({ kind: 'addTags' }), 'instructions[0].values', 'must be present');
    await refused(patchOf({ kind: 'updateName', value: '' }), 'instructions[0].value', 'must not be empty');
    await refused(patchOf({ kind: 'removeRule' }), 'instructions[0].ruleId', 'must be present');
    await refused(patchOf({ kind: 'removeClauses', ruleId, clauseIds: [] }), 'instructions[0].clauseIds', 'must have at least 1 item(s)');
  });

  it('400 for an unknown kind, listing the known ones; for a missing kind; for no instructions', async () => {
    await refused(patchOf({ kind: 'turnSegmentOn' }), 'instructions[0].kind', /^unknown instruction kind "turnSegmentOn"; use one of addTags, removeTags, updateName, .*updateRuleRolloutAndContextKind/);
    await refused(patchOf({ values: ['x'] }), 'instructions[0].kind', 'must be present');
    await refused(patchOf(), 'instructions', 'must have at least 1 item(s)');
  });

  it('400 for a JSON Patch array sent with the semantic patch content type', async () => {
    const res = await s.request('PATCH', path, {
      body: [{ op: 'replace', path: '/name', value: 'x' }],
      headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'body', reason: 'this resource takes a semantic patch {"instructions": [{"kind": ...}]}, not a JSON Patch array' }]);
  });

  it('404 naming a segment that does not exist', async () => {
    const res = await s.patch('/api/v2/segments/shop/production/nope', patchOf({ kind: 'addTags', values: ['x'] }));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Segment "nope" in environment "production" of project "shop" not found' });
  });
});
