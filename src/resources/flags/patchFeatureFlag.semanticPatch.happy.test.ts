import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const SEMANTIC = { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } };

describe('patchFeatureFlag: semantic patch', () => {
  let s: TestServer;
  let red: string;
  let green: string;
  let blue: string;
  const path = '/api/v2/flags/shop/colour';
  const patch = (body: unknown, options = SEMANTIC) => s.patch(path, body, options);
  const inProduction = (...instructions: Record<string, unknown>[]) => patch({ environmentKey: 'production', instructions });

  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    const created = await s.post('/api/v2/flags/shop', { name: 'Colour', key: 'colour', variations: [{ value: 'red' }, { value: 'green' }, { value: 'blue' }] });
    [red, green, blue] = created.body.variations.map((v: { _id: string }) => v._id);
    expect((await s.post('/api/v2/flags/shop', { name: 'Gate', key: 'gate' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('turnFlagOn bumps the environment version and the flag _version; repeating it is a no-op that writes nothing', async () => {
    const before = (await s.get(path)).body;
    const on = await inProduction({ kind: 'turnFlagOn' });
    expect(on.status).toBe(200);
    expect(on.body.environments.production.on).toBe(true);
    expect(on.body.environments.production.version).toBe(before.environments.production.version + 1);
    expect(on.body.environments.test.version).toBe(before.environments.test.version);
    expect(on.body._version).toBe(before._version + 1);
    let again: Awaited<ReturnType<typeof inProduction>> | undefined;
    expect(await changedBy(s.store, async () => (again = await inProduction({ kind: 'turnFlagOn' })))).toBe(false);
    expect(again!.status).toBe(200);
    expect(again!.body).toEqual(on.body);
  });

  it('accepts plain application/json when the body has instructions (generated clients send that)', async () => {
    const off = await s.patch(path, { environmentKey: 'test', instructions: [{ kind: 'turnFlagOn' }, { kind: 'turnFlagOff' }] });
    expect(off.status).toBe(200);
    expect(off.body.environments.test.on).toBe(false);
  });

  it('adds, edits, reorders and removes rules and their clauses', async () => {
    const added = await inProduction(
      { kind: 'addRule', description: 'Staff', variationId: green, clauses: [{ contextKind: 'user', attribute: 'email', op: 'endsWith', negate: false, values: ['@shop.com'] }] },
      { kind: 'addRule', rolloutWeights: { [red]: 25000, [blue]: 75000 }, rolloutBucketBy: 'country', clauses: [{ attribute: 'country', op: 'in', values: ['SE'] }] },
    );
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const [staff, sweden] = added.body.environments.production.rules;
    expect(staff).toMatchObject({ description: 'Staff', variation: 1, trackEvents: false, clauses: [{ attribute: 'email', op: 'endsWith', values: ['@shop.com'], negate: false, contextKind: 'user' }] });
    expect(staff._id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sweden.rollout).toEqual({ variations: [{ variation: 0, weight: 25000 }, { variation: 2, weight: 75000 }], bucketBy: 'country', contextKind: 'user' });
    expect(sweden.clauses[0]).toMatchObject({ negate: false, contextKind: 'user' });

    const clauseId = staff.clauses[0]._id;
    const edited = await inProduction(
      { kind: 'updateRuleDescription', ruleId: staff._id, description: 'Employees' },
      { kind: 'updateRuleVariationOrRollout', ruleId: sweden._id, variationId: blue },
      { kind: 'addValuesToClause', ruleId: staff._id, clauseId, values: ['@shop.se', '@shop.com'] },
      { kind: 'removeValuesFromClause', ruleId: staff._id, clauseId, values: ['@shop.com'] },
      { kind: 'addClauses', ruleId: staff._id, clauses: [{ attribute: 'plan', op: 'in', values: ['pro'], negate: true }] },
      { kind: 'reorderRules', ruleIds: [sweden._id, staff._id] },
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const rules = edited.body.environments.production.rules;
    expect(rules.map((r: { _id: string }) => r._id)).toEqual([sweden._id, staff._id]);
    expect(rules[0]).toMatchObject({ variation: 2 });
    expect(rules[0]).not.toHaveProperty('rollout');
    expect(rules[1].description).toBe('Employees');
    expect(rules[1].clauses.map((c: { values: unknown[] }) => c.values)).toEqual([['@shop.se'], ['pro']]);
    expect(rules[1].clauses[0]._id).toBe(clauseId);

    const plan = rules[1].clauses[1];
    const updated = await inProduction(
      { kind: 'updateClause', ruleId: staff._id, clauseId: plan._id, clause: { attribute: 'plan', op: 'in', values: ['enterprise'], negate: false } },
      { kind: 'removeClauses', ruleId: staff._id, clauseIds: [clauseId] },
    );
    expect(updated.body.environments.production.rules[1].clauses).toEqual([{ _id: plan._id, attribute: 'plan', op: 'in', values: ['enterprise'], contextKind: 'user', negate: false }]);

    const removed = await inProduction({ kind: 'removeRule', ruleId: sweden._id }, { kind: 'removeRule', ruleId: 'not-there' });
    expect(removed.body.environments.production.rules.map((r: { _id: string }) => r._id)).toEqual([staff._id]);
    const front = await inProduction({ kind: 'addRule', beforeRuleId: staff._id, variationId: red, clauses: [] });
    expect(front.body.environments.production.rules[0]).toMatchObject({ variation: 0, clauses: [] });
    expect(front.body.environments.production.rules[1]._id).toBe(staff._id);
  });

  it('takes an empty clause contextKind as the default, user (LaunchDarkly\'s examples send "" on segmentMatch)', async () => {
    expect((await s.post('/api/v2/segments/shop/production', { key: 'beta', name: 'Beta' })).status).toBe(201);
    const res = await inProduction({ kind: 'addRule', variationId: green, clauses: [{ attribute: 'segmentMatch', contextKind: '', op: 'segmentMatch', values: ['beta'], negate: false }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rule = res.body.environments.production.rules.at(-1);
    expect(rule.clauses[0]).toMatchObject({ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta'], contextKind: 'user' });
    expect((await inProduction({ kind: 'removeRule', ruleId: rule._id })).status).toBe(200);
  });

  it('sets the fallthrough (variation or rollout) and the off variation', async () => {
    const res = await inProduction(
      { kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [red]: 50000, [green]: 50000 }, rolloutContextKind: 'organization' },
      { kind: 'updateOffVariation', variationId: green },
    );
    expect(res.body.environments.production.fallthrough).toEqual({ rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }], contextKind: 'organization' } });
    expect(res.body.environments.production.offVariation).toBe(1);
    const back = await inProduction({ kind: 'updateFallthroughVariationOrRollout', variationId: blue });
    expect(back.body.environments.production.fallthrough).toEqual({ variation: 2 });
    // The serving parameters sent as null are left out, as in LaunchDarkly's own example ("rolloutBucketBy": null).
    const nulls = await inProduction({ kind: 'updateFallthroughVariationOrRollout', variationId: null, rolloutWeights: { [red]: 40000, [blue]: 60000 }, rolloutBucketBy: null, rolloutContextKind: null });
    expect(nulls.status, JSON.stringify(nulls.body)).toBe(200);
    expect(nulls.body.environments.production.fallthrough).toEqual({ rollout: { variations: [{ variation: 0, weight: 40000 }, { variation: 2, weight: 60000 }], contextKind: 'user' } });
    const none = await inProduction({ kind: 'updateFallthroughVariationOrRollout', variationId: null, rolloutWeights: null });
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('instructions[0]: updateFallthroughVariationOrRollout: needs variationId or rolloutWeights');
    const back2 = await inProduction({ kind: 'updateFallthroughVariationOrRollout', variationId: blue, rolloutWeights: null, rolloutBucketBy: null });
    expect(back2.body.environments.production.fallthrough).toEqual({ variation: 2 });
  });

  it('adds, removes and replaces individual targets per context kind', async () => {
    let res = await inProduction(
      { kind: 'addTargets', variationId: red, values: ['u1', 'u2'] },
      { kind: 'addTargets', variationId: blue, contextKind: 'device', values: ['d1'] },
      { kind: 'addUserTargets', variationId: red, values: ['u2', 'u3'] },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.environments.production.targets).toEqual([{ contextKind: 'user', values: ['u1', 'u2', 'u3'], variation: 0 }]);
    expect(res.body.environments.production.contextTargets).toEqual([{ contextKind: 'device', values: ['d1'], variation: 2 }]);
    res = await inProduction({ kind: 'removeTargets', variationId: red, values: ['u1', 'nobody'] }, { kind: 'removeTargets', variationId: blue, contextKind: 'device', values: ['d1'] });
    expect(res.body.environments.production.targets).toEqual([{ contextKind: 'user', values: ['u2', 'u3'], variation: 0 }]);
    expect(res.body.environments.production.contextTargets).toEqual([]);
    res = await inProduction({
      kind: 'replaceTargets',
      targets: [
        { variationId: green, values: ['u9'] },
        { contextKind: 'device', variationId: red, values: ['d7'] },
      ],
    });
    expect(res.body.environments.production.targets).toEqual([{ contextKind: 'user', values: ['u9'], variation: 1 }]);
    expect(res.body.environments.production.contextTargets).toEqual([{ contextKind: 'device', values: ['d7'], variation: 0 }]);
    res = await inProduction({ kind: 'clearTargets', variationId: red });
    expect(res.body.environments.production.contextTargets).toEqual([]);
    // Two entries for one variation of one kind make one target, each key once.
    res = await inProduction({
      kind: 'replaceTargets',
      targets: [
        { variationId: green, values: ['u1'] },
        { variationId: green, values: ['u2', 'u2', 'u1'] },
      ],
    });
    expect(res.body.environments.production.targets).toEqual([{ contextKind: 'user', values: ['u1', 'u2'], variation: 1 }]);
  });

  it('user targeting instructions also see user keys a JSON Patch put in contextTargets (as SDKs do)', async () => {
    const entry = (values: string[], variation: number) => ({ contextKind: 'user', values, variation });
    const put = await s.patch(path, [{ op: 'replace', path: '/environments/test/contextTargets', value: [entry(['k1', 'k2'], 0), entry([], 2), { contextKind: 'org', values: ['o1'], variation: 0 }] }]);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const inTest = (...instructions: Record<string, unknown>[]) => patch({ environmentKey: 'test', instructions });
    // Already targeted to that variation: nothing to write.
    let res: Awaited<ReturnType<typeof inTest>> | undefined;
    expect(await changedBy(s.store, async () => (res = await inTest({ kind: 'addTargets', variationId: red, values: ['k1'] })))).toBe(false);
    expect(res!.status).toBe(200);
    res = await inTest({ kind: 'removeTargets', variationId: red, values: ['k1'] });
    expect(res.body.environments.test.contextTargets).toEqual([entry(['k2'], 0), entry([], 2), { contextKind: 'org', values: ['o1'], variation: 0 }]);
    res = await inTest({ kind: 'clearUserTargets', variationId: red });
    expect(res.body.environments.test.contextTargets).toEqual([entry([], 2), { contextKind: 'org', values: ['o1'], variation: 0 }]);
    await s.patch(path, [{ op: 'add', path: '/environments/test/contextTargets/-', value: entry(['k3'], 1) }]);
    res = await inTest({ kind: 'replaceUserTargets', targets: [{ variationId: green, values: ['k4'] }] });
    expect(res.body.environments.test.targets).toEqual([{ contextKind: 'user', values: ['k4'], variation: 1 }]);
    expect(res.body.environments.test.contextTargets).toEqual([entry([], 2), { contextKind: 'org', values: ['o1'], variation: 0 }]);
    expect((await inTest({ kind: 'clearTargets', variationId: red }, { kind: 'clearTargets', variationId: blue }, { kind: 'clearUserTargets', variationId: green })).status).toBe(200);
  });

  it('adds, updates and removes prerequisites by flag key and variation _id', async () => {
    const gate = (await s.get('/api/v2/flags/shop/gate')).body;
    const [yes, no] = gate.variations.map((v: { _id: string }) => v._id);
    let res = await inProduction({ kind: 'addPrerequisite', key: 'gate', variationId: yes });
    expect(res.body.environments.production.prerequisites).toEqual([{ key: 'gate', variation: 0 }]);
    res = await inProduction({ kind: 'addPrerequisite', key: 'gate', variationId: yes });
    expect(res.status).toBe(200);
    res = await inProduction({ kind: 'updatePrerequisite', key: 'gate', variationId: no });
    expect(res.body.environments.production.prerequisites).toEqual([{ key: 'gate', variation: 1 }]);
    res = await inProduction({ kind: 'removePrerequisite', key: 'gate' }, { kind: 'removePrerequisite', key: 'gate' });
    expect(res.body.environments.production.prerequisites).toEqual([]);
  });

  it('adds, updates and removes variations, renumbering every use of the ones after it', async () => {
    const before = (await s.get(path)).body;
    expect(before.environments.production.fallthrough).toEqual({ variation: 2 });
    let res = await patch({ instructions: [{ kind: 'addVariation', value: 'yellow', name: 'Yellow' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const yellow = res.body.variations[3];
    // valueHash (2026-07) follows the added value: the SHA-256 of its canonical JSON.
    expect(yellow).toEqual({ _id: expect.stringMatching(/^[0-9a-f-]{36}$/), value: 'yellow', valueHash: createHash('sha256').update('"yellow"').digest('hex'), name: 'Yellow' });
    // A new variation is served to the SDKs: every environment's version moves with it.
    expect(res.body.environments.production.version).toBe(before.environments.production.version + 1);
    expect(res.body._version).toBe(before._version + 1);

    res = await patch({ instructions: [{ kind: 'updateVariation', variationId: yellow._id, value: 'gold', description: 'shiny' }] });
    // A changed value changes its valueHash.
    expect(res.body.variations[3]).toEqual({ _id: yellow._id, value: 'gold', valueHash: createHash('sha256').update('"gold"').digest('hex'), name: 'Yellow', description: 'shiny' });

    // green (index 1) is served by the production off variation and a target: move those first, then remove it
    res = await patch({
      environmentKey: 'production',
      instructions: [
        { kind: 'updateOffVariation', variationId: red },
        { kind: 'clearTargets', variationId: green },
        { kind: 'updateRuleVariationOrRollout', ruleId: before.environments.production.rules[1]._id, variationId: red },
        { kind: 'removeVariation', variationId: green },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.variations.map((v: { value: string }) => v.value)).toEqual(['red', 'blue', 'gold']);
    expect(res.body.environments.production.fallthrough).toEqual({ variation: 1 });
    expect(res.body.environments.test.offVariation).toBe(1);
    expect(res.body.defaults).toEqual({ onVariation: 0, offVariation: 1 });
  });

  it('edits flag settings: name, description, tags, temporary, custom properties, maintainer, client-side availability', async () => {
    const res = await patch({
      comment: 'tidy up',
      instructions: [
        { kind: 'updateName', value: 'Colour scheme' },
        { kind: 'updateDescription', value: 'Which colour' },
        { kind: 'addTags', values: ['ui', 'beta'] },
        { kind: 'removeTags', values: ['beta'] },
        { kind: 'makeFlagPermanent' },
        { kind: 'addCustomProperties', key: 'jira', name: 'Jira', values: ['SHOP-1'] },
        { kind: 'removeMaintainer' },
        { kind: 'turnOnClientSideAvailability', value: 'usingEnvironmentId' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'Colour scheme', description: 'Which colour', tags: ['ui'], temporary: false, customProperties: { jira: { name: 'Jira', value: ['SHOP-1'] } } });
    expect(res.body.clientSideAvailability).toEqual({ usingMobileKey: true, usingEnvironmentId: true });
    expect(res.body.includeInSnippet).toBe(true);
    expect(res.body).not.toHaveProperty('maintainerId');
    // An existing property keeps its name when the instruction gives none (LaunchDarkly's example gives none).
    const renamed = await patch({ instructions: [{ kind: 'replaceCustomProperties', key: 'jira', values: ['SHOP-2', 'SHOP-3'] }, { kind: 'addCustomProperties', key: 'jira', values: ['SHOP-4'] }] });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.customProperties).toEqual({ jira: { name: 'Jira', value: ['SHOP-2', 'SHOP-3', 'SHOP-4'] } });
    const again = await patch({ instructions: [{ kind: 'makeFlagTemporary' }, { kind: 'updateMaintainerMember', value: s.deps.accountId }] });
    expect(again.body).toMatchObject({ temporary: true, maintainerId: s.deps.accountId });
    // A team maintains the flag instead of the member, and the other way round.
    expect((await s.post('/api/v2/teams', { key: 'ui-team', name: 'UI team' })).status).toBe(201);
    const team = await patch({ instructions: [{ kind: 'updateMaintainerTeam', value: 'ui-team' }] });
    expect(team.status, JSON.stringify(team.body)).toBe(200);
    expect(team.body.maintainerTeamKey).toBe('ui-team');
    expect(team.body._maintainerTeam).toEqual({
      key: 'ui-team',
      name: 'UI team',
      _links: { parent: { href: '/api/v2/teams', type: 'application/json' }, roles: { href: '/api/v2/teams/ui-team/roles', type: 'application/json' }, self: { href: '/api/v2/teams/ui-team', type: 'application/json' } },
    });
    expect(team.body).not.toHaveProperty('maintainerId');
    expect((await s.get(`/api/v2/flags/shop/${team.body.key}`)).body._maintainerTeam).toMatchObject({ key: 'ui-team', name: 'UI team' });
    const listed = (await s.get('/api/v2/flags/shop')).body.items.find((f: { key: string }) => f.key === team.body.key);
    expect(listed._maintainerTeam).toMatchObject({ key: 'ui-team', name: 'UI team' });
    const member = await patch({ instructions: [{ kind: 'updateMaintainerMember', value: s.deps.accountId }] });
    expect(member.body.maintainerId).toBe(s.deps.accountId);
    expect(member.body).not.toHaveProperty('maintainerTeamKey');
    expect(member.body).not.toHaveProperty('_maintainerTeam');
  });

  it('archives and restores the flag; every environment follows', async () => {
    const archived = await patch({ instructions: [{ kind: 'archiveFlag' }] });
    expect(archived.body.archived).toBe(true);
    expect(archived.body.archivedDate).toEqual(expect.any(Number));
    expect(archived.body.environments.test.archived).toBe(true);
    const restored = await patch({ instructions: [{ kind: 'restoreFlag' }] });
    expect(restored.body.archived).toBe(false);
    expect(restored.body).not.toHaveProperty('archivedDate');
  });

  it('dryRun answers the would-be flag and writes nothing; ignoreConflicts is accepted', async () => {
    let res: Awaited<ReturnType<typeof patch>> | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(`${path}?dryRun=true&ignoreConflicts=true`, { instructions: [{ kind: 'updateName', value: 'Preview' }] }, SEMANTIC);
    });
    expect(res!.status).toBe(200);
    expect(res!.body.name).toBe('Preview');
    expect(changed).toBe(false);
  });

  it('records the instructions and the comment in the audit log', async () => {
    await patch({ comment: 'ship it', environmentKey: 'test', instructions: [{ kind: 'turnFlagOn' }] });
    const entries = await s.get('/api/v2/auditlog?q=ship%20it');
    const entry = await s.get(`/api/v2/auditlog/${entries.body.items[0]._id}`);
    expect(entry.body.comment).toBe('ship it');
    expect(entry.body.delta).toEqual({ environmentKey: 'test', instructions: [{ kind: 'turnFlagOn' }] });
    expect(entry.body.previousVersion.environments.test.on).toBe(false);
    expect(entry.body.currentVersion.environments.test.on).toBe(true);
  });

  it('deleteFlag deletes the flag as DELETE does and answers it as it was (every environment)', async () => {
    expect((await s.post('/api/v2/flags/shop', { name: 'Doomed', key: 'doomed', tags: ['old'] })).status).toBe(201);
    await s.patch('/api/v2/flags/shop/doomed', { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }] });
    const before = (await s.get('/api/v2/flags/shop/doomed')).body;
    const res = await s.patch('/api/v2/flags/shop/doomed', { comment: 'retired', instructions: [{ kind: 'deleteFlag' }] }, SEMANTIC);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual(before);
    expect(res.body.environments.production.on).toBe(true);
    expect((await s.get('/api/v2/flags/shop/doomed')).status).toBe(404);
    expect(await s.store.db.selectFrom('flags').select('key').where('key', '=', 'doomed').execute()).toEqual([]);
    const entry = await s.store.db.selectFrom('audit_log').selectAll().where('resource', '=', 'proj/shop:env/*:flag/doomed').orderBy('date', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'deleteFlag', comment: 'retired', before: { key: 'doomed', name: 'Doomed' } });
    // Plain JSON (as generated clients send it), with an environmentKey the instruction does not need.
    expect((await s.post('/api/v2/flags/shop', { name: 'Doomed', key: 'doomed' })).status).toBe(201);
    const plain = await s.patch('/api/v2/flags/shop/doomed', { environmentKey: 'test', instructions: [{ kind: 'deleteFlag' }] });
    expect(plain.status).toBe(200);
    expect(plain.body.key).toBe('doomed');
    expect((await s.get('/api/v2/flags/shop/doomed')).status).toBe(404);
  });

  it('deleteFlag with dryRun answers the flag and deletes nothing', async () => {
    expect((await s.post('/api/v2/flags/shop', { name: 'Kept', key: 'kept' })).status).toBe(201);
    let res: Awaited<ReturnType<typeof patch>> | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch('/api/v2/flags/shop/kept?dryRun=true', { instructions: [{ kind: 'deleteFlag' }] }, SEMANTIC);
    });
    expect(res!.status).toBe(200);
    expect(res!.body.key).toBe('kept');
    expect(changed).toBe(false);
    expect((await s.get('/api/v2/flags/shop/kept')).status).toBe(200);
  });
});
