import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { formUpload } from '../../../test/support/upload.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEMANTIC = { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' };

describe('patchSegment: semantic patch', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  const base = '/api/v2/segments/shop/production';
  const segment = async (key: string, body: Record<string, unknown> = {}) => {
    clock += 1000;
    const res = await s.post(base, { name: key, key, ...body });
    expect(res.status).toBe(201);
    return res.body;
  };
  /** Sends the instructions as LaunchDarkly documents them: with the semantic patch content type. */
  const instruct = async (key: string, instructions: Record<string, unknown>[], extra: Record<string, unknown> = {}) => {
    clock += 1000;
    const res = await s.patch(`${base}/${key}`, { environmentKey: 'production', instructions, ...extra }, { headers: SEMANTIC });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('addTags, removeTags, updateName and updateDescription edit the details; one version for the whole patch', async () => {
    await segment('details', { tags: ['old', 'keep'] });
    const res = await instruct('details', [
      { kind: 'addTags', values: ['new', 'keep'] },
      { kind: 'removeTags', values: ['old', 'never-there'] },
      { kind: 'updateName', value: 'Detailed' },
      { kind: 'updateDescription', value: 'Now with a description' },
    ]);
    expect(res).toMatchObject({ name: 'Detailed', description: 'Now with a description', tags: ['keep', 'new'], version: 2, lastModifiedDate: clock });
  });

  it('generated clients send it as plain JSON: a body with instructions is a semantic patch whatever its content type', async () => {
    await segment('plain');
    const res = await s.patch(`${base}/plain`, { environmentKey: 'production', instructions: [{ kind: 'updateName', value: 'Plain JSON' }] });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Plain JSON');
  });

  it('addIncludedTargets/addExcludedTargets and their removes edit the targets of a context kind', async () => {
    await segment('contexts');
    const added = await instruct('contexts', [
      { kind: 'addIncludedTargets', contextKind: 'org', values: ['org-1', 'org-2'] },
      { kind: 'addIncludedTargets', contextKind: 'device', values: ['dev-1'] },
      { kind: 'addExcludedTargets', contextKind: 'org', values: ['org-3'] },
      { kind: 'addIncludedTargets', contextKind: 'org', values: ['org-2', 'org-4'] },
    ]);
    expect(added.includedContexts).toEqual([{ contextKind: 'org', values: ['org-1', 'org-2', 'org-4'] }, { contextKind: 'device', values: ['dev-1'] }]);
    expect(added.excludedContexts).toEqual([{ contextKind: 'org', values: ['org-3'] }]);
    expect(added.version).toBe(2);

    const removed = await instruct('contexts', [
      { kind: 'removeIncludedTargets', contextKind: 'org', values: ['org-1', 'not-there'] },
      { kind: 'removeIncludedTargets', contextKind: 'device', values: ['dev-1'] },
      { kind: 'removeExcludedTargets', contextKind: 'org', values: ['org-3'] },
    ]);
    expect(removed.includedContexts).toEqual([{ contextKind: 'org', values: ['org-2', 'org-4'] }]);
    expect(removed.excludedContexts).toEqual([]);
    expect(removed.version).toBe(3);
  });

  it('user keys go to included/excluded, whether named by the …Users instructions or as contextKind user', async () => {
    await segment('users');
    const added = await instruct('users', [
      { kind: 'addIncludedUsers', values: ['u1', 'u2'] },
      { kind: 'addExcludedUsers', values: ['u3'] },
      { kind: 'addIncludedTargets', contextKind: 'user', values: ['u4'] },
      { kind: 'addExcludedTargets', contextKind: 'user', values: ['u5'] },
    ]);
    expect(added.included).toEqual(['u1', 'u2', 'u4']);
    expect(added.excluded).toEqual(['u3', 'u5']);
    expect(added.includedContexts).toEqual([]);
    const removed = await instruct('users', [
      { kind: 'removeIncludedUsers', values: ['u1'] },
      { kind: 'removeExcludedUsers', values: ['u3'] },
      { kind: 'removeIncludedTargets', contextKind: 'user', values: ['u4'] },
      { kind: 'removeExcludedTargets', contextKind: 'user', values: ['u5'] },
    ]);
    expect(removed.included).toEqual(['u2']);
    expect(removed.excluded).toEqual([]);
  });

  it('removing user keys takes them out of an includedContexts/excludedContexts entry of kind user too (a JSON Patch may put them there)', async () => {
    await segment('user-contexts');
    expect(
      (await s.patch(`${base}/user-contexts`, [
        { op: 'add', path: '/includedContexts/-', value: { contextKind: 'user', values: ['alice', 'bob'] } },
        { op: 'add', path: '/excludedContexts/-', value: { contextKind: 'user', values: ['carol'] } },
      ])).status,
    ).toBe(200);
    const res = await instruct('user-contexts', [
      { kind: 'removeIncludedTargets', contextKind: 'user', values: ['alice'] },
      { kind: 'removeExcludedUsers', values: ['carol'] },
    ]);
    expect(res.includedContexts).toEqual([{ contextKind: 'user', values: ['bob'] }]);
    expect(res.excludedContexts).toEqual([]);
  });

  it('a key moves from excluded to included when one patch removes it from one and adds it to the other', async () => {
    await segment('move');
    await instruct('move', [{ kind: 'addExcludedUsers', values: ['mover'] }]);
    const res = await instruct('move', [
      { kind: 'removeExcludedUsers', values: ['mover'] },
      { kind: 'addIncludedUsers', values: ['mover'] },
    ]);
    expect(res.included).toEqual(['mover']);
    expect(res.excluded).toEqual([]);
  });

  it('exactly 1,500 target keys in one patch is within the batch limit', async () => {
    await segment('batch');
    const res = await instruct('batch', [
      { kind: 'addIncludedUsers', values: Array.from({ length: 1000 }, (_, i) => `u${i}`) },
      { kind: 'addExcludedTargets', contextKind: 'org', values: Array.from({ length: 500 }, (_, i) => `o${i}`) },
    ]);
    expect(res.included).toHaveLength(1000);
    expect(res.excludedContexts[0].values).toHaveLength(500);
  });

  it('addRule adds a rule with server _ids; with rolloutWeight it includes that share of the matching contexts', async () => {
    await segment('rules');
    const res = await instruct('rules', [
      { kind: 'addRule', description: 'Students', clauses: [{ attribute: 'email', op: 'endsWith', values: ['.edu'] }] },
      {
        kind: 'addRule',
        rolloutWeight: 25000,
        rolloutContextKind: 'org',
        rolloutBucketBy: 'region',
        clauses: [{ contextKind: 'org', attribute: 'tier', op: 'In', negate: true, values: ['free'] }],
      },
      { kind: 'addRule', rolloutWeight: 50000 },
    ]);
    expect(res.rules).toHaveLength(3);
    const [students, orgs, half] = res.rules;
    for (const rule of res.rules) expect(rule._id).toMatch(UUID);
    expect(students).toEqual({
      _id: students._id,
      description: 'Students',
      clauses: [{ _id: expect.stringMatching(UUID), contextKind: 'user', attribute: 'email', op: 'endsWith', values: ['.edu'], negate: false }],
    });
    // The operator is matched case-insensitively and stored as LaunchDarkly spells it.
    expect(orgs).toEqual({
      _id: orgs._id,
      weight: 25000,
      rolloutContextKind: 'org',
      bucketBy: 'region',
      clauses: [{ _id: expect.stringMatching(UUID), contextKind: 'org', attribute: 'tier', op: 'in', values: ['free'], negate: true }],
    });
    expect(half).toEqual({ _id: half._id, clauses: [], weight: 50000, rolloutContextKind: 'user' });
  });

  it('addRule with beforeRuleId inserts before that rule; reorderRules sets the order; removeRule removes one', async () => {
    await segment('order');
    const first = await instruct('order', [
      { kind: 'addRule', description: 'A' },
      { kind: 'addRule', description: 'C' },
    ]);
    const [a, c] = first.rules.map((r: { _id: string }) => r._id);
    const inserted = await instruct('order', [{ kind: 'addRule', description: 'B', beforeRuleId: c }]);
    expect(inserted.rules.map((r: { description: string }) => r.description)).toEqual(['A', 'B', 'C']);
    const b = inserted.rules[1]._id;

    const reordered = await instruct('order', [{ kind: 'reorderRules', ruleIds: [c, a, b] }]);
    expect(reordered.rules.map((r: { _id: string }) => r._id)).toEqual([c, a, b]);
    expect(reordered.version).toBe(4);

    const removed = await instruct('order', [{ kind: 'removeRule', ruleId: a }]);
    expect(removed.rules.map((r: { _id: string }) => r._id)).toEqual([c, b]);
  });

  it('removeRule of a rule that does not exist does nothing, as LaunchDarkly documents', async () => {
    const created = await segment('no-rule');
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(`${base}/no-rule`, { environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId: 'missing' }] });
    });
    expect(res!.status).toBe(200);
    expect(res!.body).toEqual(created);
    expect(changed).toBe(false);
  });

  it('addClauses, removeClauses, updateClause, addValuesToClause and removeValuesFromClause edit a rule\'s clauses', async () => {
    await segment('clauses');
    const ruled = await instruct('clauses', [{ kind: 'addRule', clauses: [{ attribute: 'country', op: 'in', values: ['SE', 'NO'] }] }]);
    const ruleId = ruled.rules[0]._id;
    const countryId = ruled.rules[0].clauses[0]._id;

    const added = await instruct('clauses', [
      { kind: 'addClauses', ruleId, clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }, { attribute: 'age', op: 'greaterThan', values: [17] }] },
    ]);
    const [, planId, ageId] = added.rules[0].clauses.map((c: { _id: string }) => c._id);
    expect(added.rules[0].clauses.map((c: { attribute: string }) => c.attribute)).toEqual(['country', 'plan', 'age']);

    const values = await instruct('clauses', [
      { kind: 'addValuesToClause', ruleId, clauseId: countryId, values: ['DK', 'SE'] },
      { kind: 'removeValuesFromClause', ruleId, clauseId: countryId, values: ['NO'] },
    ]);
    expect(values.rules[0].clauses[0]).toMatchObject({ _id: countryId, attribute: 'country', op: 'in', values: ['SE', 'DK'] });

    const updated = await instruct('clauses', [
      { kind: 'updateClause', ruleId, clauseId: planId, clause: { contextKind: 'org', attribute: 'tier', op: 'startsWith', negate: true, values: ['ent'] } },
      { kind: 'removeClauses', ruleId, clauseIds: [ageId] },
    ]);
    expect(updated.rules[0]._id).toBe(ruleId);
    expect(updated.rules[0].clauses).toEqual([
      { _id: countryId, contextKind: 'user', attribute: 'country', op: 'in', values: ['SE', 'DK'], negate: false },
      { _id: planId, contextKind: 'org', attribute: 'tier', op: 'startsWith', values: ['ent'], negate: true },
    ]);
    expect(updated.version).toBe(5);
    // Removing a clause that is not there changes nothing, as for flags.
    const again = await instruct('clauses', [{ kind: 'removeClauses', ruleId, clauseIds: [ageId] }]);
    expect(again.version).toBe(5);
  });

  it('updateRuleDescription and updateRuleRolloutAndContextKind edit a rule in place', async () => {
    await segment('rollout');
    const ruled = await instruct('rollout', [{ kind: 'addRule', rolloutWeight: 10000, description: 'Before' }]);
    const ruleId = ruled.rules[0]._id;
    const res = await instruct('rollout', [
      { kind: 'updateRuleDescription', ruleId, description: 'After' },
      { kind: 'updateRuleRolloutAndContextKind', ruleId, weight: 20000, contextKind: 'device' },
    ]);
    expect(res.rules[0]).toEqual({ _id: ruleId, clauses: [], description: 'After', weight: 20000, rolloutContextKind: 'device' });
    const kept = await instruct('rollout', [{ kind: 'updateRuleRolloutAndContextKind', ruleId, weight: 30000 }]);
    expect(kept.rules[0]).toMatchObject({ weight: 30000, rolloutContextKind: 'device' });
    // The spec's example sends the weight as a string.
    const asText = await instruct('rollout', [{ kind: 'updateRuleRolloutAndContextKind', ruleId, weight: '40000' }]);
    expect(asText.rules[0]).toMatchObject({ weight: 40000, rolloutContextKind: 'device' });
  });

  it('instructions already in effect change nothing: no new version, nothing written', async () => {
    const created = await segment('settled', { tags: ['a'] });
    await instruct('settled', [{ kind: 'addIncludedUsers', values: ['u1'] }]);
    const current = (await s.get(`${base}/settled`)).body;
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(`${base}/settled`, {
        environmentKey: 'production',
        instructions: [
          { kind: 'addTags', values: ['a'] },
          { kind: 'removeTags', values: ['z'] },
          { kind: 'updateName', value: created.name },
          { kind: 'addIncludedUsers', values: ['u1'] },
          { kind: 'removeExcludedTargets', contextKind: 'org', values: ['o1'] },
        ],
      });
    });
    expect(res!.status).toBe(200);
    const { _flags, ...rest } = current;
    expect(_flags).toEqual([]);
    expect(res!.body).toEqual(rest);
    expect(res!.body.version).toBe(2);
    expect(changed).toBe(false);
  });

  it('the update is audited with its comment and the instructions as sent', async () => {
    await segment('audited');
    const instructions = [{ kind: 'addTags', values: ['x'] }];
    await instruct('audited', instructions, { comment: 'tagging' });
    const entry = await s.store.db
      .selectFrom('audit_log')
      .select('doc')
      .where('resource', '=', 'proj/shop:env/production:segment/audited')
      .orderBy('date', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc)).toMatchObject({
      action: 'updateSegment',
      comment: 'tagging',
      delta: { environmentKey: 'production', instructions },
      before: { tags: [] },
      after: { tags: ['x'], version: 2 },
    });
  });

  it('works on the segment of the environment the URL and environmentKey name', async () => {
    await s.post('/api/v2/segments/shop/test', { name: 'Test seg', key: 'in-test' });
    const res = await s.patch('/api/v2/segments/shop/test/in-test', { environmentKey: 'test', instructions: [{ kind: 'addIncludedUsers', values: ['t1'] }] }, { headers: SEMANTIC });
    expect(res.status).toBe(200);
    expect(res.body.included).toEqual(['t1']);
    expect(res.body._links.self.href).toBe('/api/v2/segments/shop/test/in-test');
  });
  it('the big segment instructions add and remove its keys (a later instruction on a key wins), beside any other edit', async () => {
    await segment('big-list', { unbounded: true });
    const member = async (key: string) => (await s.get(`${base}/big-list/contexts/${key}`)).body;
    const res = await instruct('big-list', [
      { kind: 'updateName', value: 'Big list' },
      { kind: 'addBigSegmentIncludedTargets', values: ['ann', 'bob', 'cat'] },
      { kind: 'addBigSegmentExcludedTargets', values: ['dan'] },
      { kind: 'removeBigSegmentIncludedTargets', values: ['cat'] },
    ]);
    expect(res).toMatchObject({ name: 'Big list', unbounded: true, version: 2 });
    expect(await member('ann')).toMatchObject({ included: true, excluded: false });
    expect(await member('cat')).toMatchObject({ included: false, excluded: false });
    expect(await member('dan')).toMatchObject({ included: false, excluded: true });
    // A key moves sides when one instruction takes it off the side another puts it on.
    const moved = await instruct('big-list', [
      { kind: 'removeBigSegmentIncludedTargets', values: ['bob'] },
      { kind: 'addBigSegmentExcludedTargets', values: ['bob'] },
      { kind: 'removeBigSegmentExcludedTargets', values: ['dan'] },
    ]);
    expect(moved.version).toBe(2);
    expect(await member('bob')).toMatchObject({ included: false, excluded: true });
    expect(await member('dan')).toMatchObject({ included: false, excluded: false });
    const entries = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'proj/shop:env/production:segment/big-list').execute();
    expect(entries.filter((e) => JSON.parse(e.doc).description.includes('updated the targets of the big segment'))).toHaveLength(2);
  });

  it("processBigSegmentImport names one of the segment's imports, already processed when it was uploaded: nothing more changes", async () => {
    await segment('big-import', { unbounded: true });
    const uploaded = await s.request('POST', `${base}/big-import/imports`, formUpload([{ name: 'file', value: 'k1\nk2\n', filename: 'keys.csv' }]));
    expect(uploaded.status).toBe(204);
    const importId = String(uploaded.headers.location).split('/').pop();
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(`${base}/big-import`, { environmentKey: 'production', instructions: [{ kind: 'processBigSegmentImport', importId }] }, { headers: SEMANTIC });
    });
    expect(res!.status, JSON.stringify(res!.body)).toBe(200);
    expect(changed).toBe(false);
    expect((await s.get(`${base}/big-import/contexts/k2`)).body.included).toBe(true);
  });

  it('a dry run of the big segment instructions writes nothing', async () => {
    await segment('big-dry', { unbounded: true });
    const changed = await changedBy(s.store, async () => {
      const res = await s.patch(`${base}/big-dry?dryRun=true`, { environmentKey: 'production', instructions: [{ kind: 'addBigSegmentIncludedTargets', values: ['x'] }] }, { headers: SEMANTIC });
      expect(res.status).toBe(200);
    });
    expect(changed).toBe(false);
  });
});
