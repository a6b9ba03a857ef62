import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createExperimentIn, createWorld, experimentsPath } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchFeatureFlag: semantic patch errors', () => {
  let s: TestServer;
  let red: string;
  let blue: string;
  let ruleId: string;
  const path = '/api/v2/flags/shop/colour';

  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    const created = await s.post('/api/v2/flags/shop', { name: 'Colour', key: 'colour', variations: [{ value: 'red' }, { value: 'green' }, { value: 'blue' }] });
    [red, , blue] = created.body.variations.map((v: { _id: string }) => v._id);
    const ruled = await s.patch(path, { environmentKey: 'production', instructions: [{ kind: 'addRule', variationId: blue, clauses: [{ attribute: 'country', op: 'in', values: ['SE'] }] }] });
    ruleId = ruled.body.environments.production.rules[0]._id;
  });
  afterAll(() => s.close());

  /** A 400 naming `attribute` (and matching `reason`), after which the store is byte-for-byte as before. */
  async function refused(body: unknown, attribute: string, reason?: RegExp) {
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(path, body);
    });
    expect(res!.status, JSON.stringify(res!.body)).toBe(400);
    expect(res!.body.code).toBe('invalid_request');
    const error = res!.body.errors?.find((e: { attribute: string; reason: string }) => e.attribute === attribute && (!reason || reason.test(e.reason)));
    expect(error, JSON.stringify(res!.body)).toBeDefined();
    expect(res!.body.message).toContain(attribute);
    expect(changed).toBe(false);
    return res!;
  }

  it('is atomic: one refused instruction and none applies; every refused one is named', async () => {
    const res = await refused(
      { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }, { kind: 'updateOffVariation', variationId: 'nope' }, { kind: 'updateName', value: 'x' }, { kind: 'removeRule', ruleId }, { kind: 'addTargets', variationId: 'nope', values: ['a'] }] },
      'instructions[1].variationId',
      /no variation with _id "nope"/,
    );
    expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toEqual(['instructions[1].variationId', 'instructions[4].variationId']);
  });

  it('400 for an unknown kind, listing the known ones, and for a missing kind', async () => {
    await refused({ instructions: [{ kind: 'turnFlagSideways' }] }, 'instructions[0].kind', /unknown instruction kind "turnFlagSideways".*turnFlagOn/);
    await refused({ instructions: [{ value: 'x' }] }, 'instructions[0].kind', /must be present/);
    await refused({ instructions: [] }, 'instructions');
  });

  it('400 when a targeting instruction has no environmentKey, or names an environment the project lacks', async () => {
    await refused({ instructions: [{ kind: 'turnFlagOn' }] }, 'environmentKey', /instructions\[0\] \(turnFlagOn\)/);
    await refused({ environmentKey: 'staging', instructions: [{ kind: 'turnFlagOn' }] }, 'environmentKey', /no environment "staging"/);
  });

  it('400 for missing or mistyped parameters, named instructions[i].parameter', async () => {
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addRule', clauses: [] }] }, 'instructions[0]', /needs variationId or rolloutWeights/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addTargets', values: 'a', variationId: red }] }, 'instructions[0].values', /array/);
    await refused({ instructions: [{ kind: 'updateName' }] }, 'instructions[0].value', /must be present/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'updateRuleTrackEvents', ruleId, trackEvents: 'yes' }] }, 'instructions[0].trackEvents', /boolean/);
  });

  it('400 for unknown rules and clauses, bad operators, and reorders that are not a permutation', async () => {
    await refused({ environmentKey: 'production', instructions: [{ kind: 'updateRuleDescription', ruleId: 'r-missing', description: 'x' }] }, 'instructions[0].ruleId', /no rule/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addValuesToClause', ruleId, clauseId: 'c-missing', values: ['x'] }] }, 'instructions[0].clauseId', /no clause/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addClauses', ruleId, clauses: [{ attribute: 'a', op: 'isAbout', values: [] }] }] }, 'instructions[0].clauses[0].op', /not an operator/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'reorderRules', ruleIds: [ruleId, ruleId] }] }, 'instructions[0].ruleIds', /exactly once/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addRule', beforeRuleId: 'r-missing', variationId: red }] }, 'instructions[0].beforeRuleId');
  });

  it('400 for an attribute reference the SDKs cannot read, naming the instruction\'s field', async () => {
    const clause = (attribute: string) => ({ attribute, op: 'in', values: ['x'] });
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addRule', variationId: red, clauses: [clause('/_meta/privateAttributes')] }] }, 'instructions[0].clauses[0].attribute', /addRule: .*names _meta/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addClauses', ruleId, clauses: [clause('country'), clause('/a~2')] }] }, 'instructions[0].clauses[1].attribute', /"~" must be followed by 0 or 1/);
    const clauseId = (await s.get(path)).body.environments.production.rules[0].clauses[0]._id;
    await refused({ environmentKey: 'production', instructions: [{ kind: 'updateClause', ruleId, clauseId, clause: { ...clause('//'), contextKind: 'org' } }] }, 'instructions[0].clause.attribute', /not an attribute reference/);
    await refused(
      { environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [red]: 50000, [blue]: 50000 }, rolloutBucketBy: '/a//b' }] },
      'instructions[0].rolloutBucketBy',
      /"\/a\/\/b" is not an attribute reference/,
    );
    await refused(
      { environmentKey: 'production', instructions: [{ kind: 'updateRuleVariationOrRollout', ruleId, rolloutWeights: { [red]: 100000 }, rolloutContextKind: 'org', rolloutBucketBy: '_meta' }] },
      'instructions[0].rolloutBucketBy',
      /names _meta/,
    );
  });

  it('400 for a context kind, a regular expression or a rule of replaceRules that the flag cannot hold, naming the instruction\'s field', async () => {
    const env = (instruction: Record<string, unknown>) => ({ environmentKey: 'production', instructions: [instruction] });
    const kindReason = /only letters, digits/;
    await refused(env({ kind: 'addTargets', variationId: red, values: ['a'], contextKind: 'a b' }), 'instructions[0].contextKind', kindReason);
    await refused(env({ kind: 'addTargets', variationId: red, values: ['a'], contextKind: 'multi' }), 'instructions[0].contextKind', /"multi" is not a context kind/);
    await refused(env({ kind: 'replaceTargets', targets: [{ variationId: red, values: ['a'] }, { contextKind: 'a b', variationId: red, values: ['b'] }] }), 'instructions[0].targets[1].contextKind', kindReason);
    await refused(env({ kind: 'addRule', variationId: red, clauses: [{ contextKind: 'a b', attribute: 'key', op: 'in', values: ['x'] }] }), 'instructions[0].clauses[0].contextKind', kindReason);
    await refused(env({ kind: 'addRule', rolloutWeights: { [red]: 100000 }, rolloutContextKind: 'a b' }), 'instructions[0].rolloutContextKind', kindReason);
    await refused(env({ kind: 'addRule', variationId: red, clauses: [{ attribute: 'email', op: 'matches', values: ['x', '('] }] }), 'instructions[0].clauses[0].values[1]', /not a valid regular expression/);
    await refused(env({ kind: 'replaceRules', rules: [{ variationId: red }, { variationId: 'nope' }] }), 'instructions[0].rules[1].variationId', /no variation with _id "nope"/);
    await refused(env({ kind: 'replaceRules', rules: [{}] }), 'instructions[0].rules[0]', /needs variationId or rolloutWeights/);
    await refused(env({ kind: 'replaceRules', rules: [{ rolloutWeights: { [red]: 100000 }, rolloutContextKind: 'multi' }] }), 'instructions[0].rules[0].rolloutContextKind', /"multi"/);
  });

  it('400 for rollout weights that do not add up to 100000 or name unknown variations', async () => {
    await refused({ environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [red]: 50000, [blue]: 40000 } }] }, 'instructions[0].rolloutWeights', /add up to 90000/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [red]: 50000, other: 50000 } }] }, 'instructions[0].rolloutWeights.other');
    await refused({ environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: red, rolloutWeights: { [red]: 100000 } }] }, 'instructions[0].variationId', /not both/);
  });

  it('400 for a context key targeted to two variations', async () => {
    await refused(
      { environmentKey: 'production', instructions: [{ kind: 'addTargets', variationId: red, values: ['u1'] }, { kind: 'addTargets', variationId: blue, values: ['u1'] }] },
      'instructions[1].values',
      /"u1" already targeted to another variation/,
    );
    // A user key a JSON Patch put in a `user` entry of contextTargets is targeted too (SDKs serve it).
    const put = await s.patch(path, [{ op: 'add', path: '/environments/test/contextTargets/-', value: { contextKind: 'user', values: ['k1'], variation: 0 } }]);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await refused({ environmentKey: 'test', instructions: [{ kind: 'addUserTargets', variationId: blue, values: ['k1'] }] }, 'instructions[0].values', /"k1" already targeted to another variation/);
    expect((await s.patch(path, [{ op: 'replace', path: '/environments/test/contextTargets', value: [] }])).status).toBe(200);
  });

  it('400 for removing a variation that is served somewhere, naming where', async () => {
    await refused({ instructions: [{ kind: 'removeVariation', variationId: blue }] }, 'instructions[0].variationId', /environments\.production\.rules\[0\]/);
    await refused({ instructions: [{ kind: 'removeVariation', variationId: red }] }, 'instructions[0].variationId', /defaults\.onVariation.*environments\.production\.fallthrough/);
  });

  it("400 for a custom property keyed __proto__, constructor or prototype, as JSON Patch refuses them; removing a key the flag lacks (toString) changes nothing", async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      await refused({ instructions: [{ kind: 'addCustomProperties', key, name: 'X', values: ['a'] }] }, 'instructions[0].key', /is not an allowed key/);
      await refused({ instructions: [{ kind: 'replaceCustomProperties', key, name: 'X', values: ['a'] }] }, 'instructions[0].key', /is not an allowed key/);
    }
    // A new property needs a name (an existing one keeps its own).
    await refused({ instructions: [{ kind: 'replaceCustomProperties', key: 'jira', values: ['a'] }] }, 'instructions[0].name', /must be present: the flag has no custom property "jira"/);
    await refused({ instructions: [{ kind: 'addCustomProperties', key: 'toString', values: ['a'] }] }, 'instructions[0].name', /must be present/);
    for (const key of ['toString', 'valueOf', 'hasOwnProperty', 'constructor']) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(path, { instructions: [{ kind: 'removeCustomProperties', key, values: ['a'] }] })))).toBe(false);
      expect(res!.status, JSON.stringify(res!.body)).toBe(200);
    }
  });

  it('400 for duplicate or null variation values', async () => {
    await refused({ instructions: [{ kind: 'addVariation', value: 'red' }] }, 'instructions[0].value', /already has the value "red"/);
    await refused({ instructions: [{ kind: 'updateVariation', variationId: blue, value: 'red' }] }, 'instructions[0].value', /unique/);
  });

  it('400 for a variation value of another type than the flag’s, naming the instruction that gave it', async () => {
    const res = await refused({ instructions: [{ kind: 'updateVariation', variationId: red, value: 5 }] }, 'instructions[0].value', /updateVariation: must be a string like variations\[1\]\.value, not a number/);
    expect(res.body.errors).toHaveLength(1);
    await refused({ instructions: [{ kind: 'updateName', value: 'Colour' }, { kind: 'addVariation', value: 42 }] }, 'instructions[1].value', /addVariation: must be a string like variations\[0\]\.value, not a number/);
  });

  it('400 for prerequisites on unknown flags or variations, or on itself', async () => {
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addPrerequisite', key: 'ghost', variationId: red }] }, 'instructions[0].key', /no flag "ghost"/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'addPrerequisite', key: 'colour', variationId: red }] }, 'instructions[0].key', /own prerequisite/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'updatePrerequisite', key: 'colour', variationId: red }] }, 'instructions[0].key', /not a prerequisite/);
  });

  it('400 for archiving a flag that another flag has as a prerequisite', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Child', key: 'child' });
    expect((await s.patch('/api/v2/flags/shop/child', { environmentKey: 'test', instructions: [{ kind: 'addPrerequisite', key: 'colour', variationId: red }] })).status).toBe(200);
    await refused({ instructions: [{ kind: 'archiveFlag' }] }, 'archived', /prerequisite of "child"/);
  });

  it('400 for a team or member that does not exist', async () => {
    await refused({ instructions: [{ kind: 'updateMaintainerTeam', value: 'team' }] }, 'maintainerTeamKey', /no team has the key "team"/);
    await refused({ instructions: [{ kind: 'updateMaintainerMember', value: 'nobody' }] }, 'maintainerId', /no member/);
  });

  it('400 for deleteFlag beside other instructions, naming it; its own parameters are checked as any instruction\'s', async () => {
    await refused({ instructions: [{ kind: 'updateName', value: 'Gone' }, { kind: 'deleteFlag' }] }, 'instructions[1]', /only instruction/);
    await refused({ environmentKey: 'production', instructions: [{ kind: 'deleteFlag' }, { kind: 'turnFlagOn' }] }, 'instructions[0]', /only instruction/);
    await refused({ instructions: [{ kind: 'deleteFlag' }, { kind: 'turnFlagSideways' }] }, 'instructions[1].kind', /unknown instruction kind/);
    await refused({ comment: 7, instructions: [{ kind: 'deleteFlag' }] }, 'comment');
  });

  it('409 for deleteFlag on a flag that another flag has as a prerequisite, as DELETE; the flag stays', async () => {
    // `child` has `colour` as a prerequisite since the archive test above.
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(path, { instructions: [{ kind: 'deleteFlag' }] });
    });
    expect(res!.status).toBe(409);
    expect(res!.body).toEqual({ code: 'conflict', message: 'Flag "colour" is a prerequisite of "child"; remove those prerequisites before deleting it' });
    expect(changed).toBe(false);
    expect((await s.get(path)).status).toBe(200);
  });

  it('404 for deleteFlag on a flag or project that does not exist', async () => {
    const res = await s.patch('/api/v2/flags/shop/ghost', { instructions: [{ kind: 'deleteFlag' }] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
    expect((await s.patch('/api/v2/flags/nope/colour', { instructions: [{ kind: 'deleteFlag' }] })).status).toBe(404);
  });
});

describe('patchFeatureFlag: semantic patch on a flag a running experiment uses', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('409 for changes to the rule the experiment owns; other targeting may change', async () => {
    const w = await createWorld(s);
    await createExperimentIn(s, w);
    expect((await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const flagPath = `/api/v2/flags/${w.project}/${w.flag}`;
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(flagPath, { environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: w.variations[1] }] });
    });
    expect(res!.status).toBe(409);
    expect(res!.body.message).toMatch(/running experiment "checkout-exp"/);
    expect(changed).toBe(false);
    const removeVariation = await s.patch(flagPath, { instructions: [{ kind: 'updateVariation', variationId: w.variations[1], name: 'Off' }] });
    expect(removeVariation.status).toBe(409);
    const rule = await s.patch(flagPath, { environmentKey: 'production', instructions: [{ kind: 'updateRuleDescription', ruleId: w.ruleId, description: 'Beta testers' }] });
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
  });

  it('409 for deleteFlag on the flag of a running experiment, as DELETE; nothing is written', async () => {
    const w = await createWorld(s, 'deleting');
    await createExperimentIn(s, w);
    expect((await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const flagPath = `/api/v2/flags/${w.project}/${w.flag}`;
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(flagPath, { instructions: [{ kind: 'deleteFlag' }] });
    });
    expect(res!.status).toBe(409);
    expect(res!.body.message).toMatch(/experiment/);
    expect(changed).toBe(false);
    expect((await s.get(flagPath)).status).toBe(200);
  });
});
