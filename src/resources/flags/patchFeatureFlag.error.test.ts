import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbidden } from '../../http/errors.js';
import { expectRefused } from '../../../test/support/digest.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, startExperimentIn, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { registerFlagGuard } from './guards.js';

registerFlagGuard(async (change) => {
  if (change.flagKey === 'owned' && change.after?.doc.name !== change.before.doc.name) throw forbidden('Forbidden. A running experiment owns this flag');
});

describe('patchFeatureFlag: errors', () => {
  let s: TestServer;
  let flagBody: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    const created = await s.post('/api/v2/flags/shop', { name: 'Colour', key: 'colour', variations: [{ value: 'red' }, { value: 'green' }, { value: 'blue' }] });
    flagBody = created.body;
    await s.post('/api/v2/flags/shop', { name: 'Owned', key: 'owned' });
  });
  afterAll(() => s.close());

  /** The flag must be exactly as before: nothing of a refused patch is written. */
  async function unchanged() {
    expect((await s.get('/api/v2/flags/shop/colour')).body).toEqual(flagBody);
  }

  async function expect400(patch: unknown, attribute: string, reason?: RegExp) {
    const res = await s.patch('/api/v2/flags/shop/colour', patch);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    const error = res.body.errors?.find((e: { attribute: string; reason: string }) => e.attribute === attribute && (!reason || reason.test(e.reason)));
    expect(error, JSON.stringify(res.body)).toBeDefined();
    expect(res.body.message).toContain(attribute);
    await unchanged();
    return res;
  }

  it('404 naming the project or the flag', async () => {
    const project = await s.patch('/api/v2/flags/nope/colour', [{ op: 'replace', path: '/name', value: 'x' }]);
    expect(project.status).toBe(404);
    expect(project.body.message).toBe('Project "nope" not found');
    const flag = await s.patch('/api/v2/flags/shop/ghost', [{ op: 'replace', path: '/name', value: 'x' }]);
    expect(flag.status).toBe(404);
    expect(flag.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
  });

  it('400 naming read-only paths', async () => {
    for (const [path, attribute] of [
      ['/key', 'key'],
      ['/kind', 'kind'],
      ['/creationDate', 'creationDate'],
      ['/_version', '_version'],
      ['/_links/self', '_links.self'],
      ['/variations/0/_id', 'variations[0]._id'],
      ['/environments/production/version', 'environments.production.version'],
      ['/environments/production/salt', 'environments.production.salt'],
      ['/environments/production/lastModified', 'environments.production.lastModified'],
      ['/environments/production/_site', 'environments.production._site'],
      ['/experiments', 'experiments'],
    ]) {
      const res = await expect400([{ op: 'replace', path, value: 1 }], attribute, /read-only/);
      expect(res.body.message).toContain(`path ${path}`);
    }
  });

  it('400 for paths that are not fields of a flag, or that add or remove environments', async () => {
    await expect400([{ op: 'add', path: '/colour', value: 1 }], 'colour', /not a field of a flag/);
    await expect400([{ op: 'replace', path: '/environments/moon/on', value: true }], 'environments.moon.on', /no environment "moon"/);
    await expect400([{ op: 'remove', path: '/environments/production' }], 'environments.production', /cannot be added or removed/);
    await expect400([{ op: 'replace', path: '', value: {} }], 'patch', /whole flag/);
    await expect400([{ op: 'move', from: '/environments/production/salt', path: '/description' }], 'environments.production.salt', /read-only/);
  });

  it('409 optimistic_locking_error when a `test` operation fails, and nothing is written', async () => {
    const res = await s.patch('/api/v2/flags/shop/colour', [
      { op: 'test', path: '/environments/production/version', value: 3 },
      { op: 'replace', path: '/environments/production/on', value: true },
    ]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('optimistic_locking_error');
    expect(res.body.message).toContain('/environments/production/version is 1, not 3');
    await unchanged();
    const missing = await s.patch('/api/v2/flags/shop/colour', [{ op: 'test', path: '/nothing', value: 1 }]);
    expect(missing.status).toBe(409);
  });

  it('409 for the documented `test /version` naming a version the flag is not at; nothing written; /version cannot be written', async () => {
    const stale = (flagBody._version as number) + 1;
    const res = await s.patch('/api/v2/flags/shop/colour', [
      { op: 'test', path: '/version', value: stale },
      { op: 'replace', path: '/description', value: 'The new description' },
    ]);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'optimistic_locking_error', message: `Conflict. Optimistic lock error: test failed: /version is ${flagBody._version}, not ${stale}` });
    await unchanged();
    // Only `test` reads /version as _version.
    const written = await s.patch('/api/v2/flags/shop/colour', [{ op: 'replace', path: '/version', value: stale }]);
    expect(written.status).toBe(400);
    expect(written.body.code).toBe('invalid_request');
    await unchanged();
  });

  it('400 for malformed patch documents', async () => {
    await expect400([{ op: 'nope', path: '/name' }], 'patch[0]', /op must be one of/);
    await expect400({ comment: 'x', patch: [{ op: 'add', path: '/name' }] }, 'patch[0]', /needs a value/);
    await expect400({ comment: 'x' }, 'patch', /must be present/);
    await expect400({ comment: 5, patch: [] }, 'comment', /string/);
    await expect400('name', 'body', /array of operations/);
    await expect400([{ op: 'remove', path: '/environments/production/rules/4' }], 'environments.production.rules[4]', /out of range/);
    await expect400([{ op: 'replace', path: '/description/x', value: 1 }], 'description.x', /patch\[0\]/);
    // A `replace` adds a member its object lacks, but not an array item or a member of a missing object.
    await expect400([{ op: 'replace', path: '/variations/3/name', value: 'x' }], 'variations[3].name', /patch\[0\].*out of range/);
    await expect400([{ op: 'replace', path: '/environments/production/fallthrough/rollout/bucketBy', value: 'x' }], 'environments.production.fallthrough.rollout.bucketBy', /does not exist/);
    // Terraform's ignored `fallthough` does not shift the index of the failing operation, and needs a real environment.
    await expect400([{ op: 'replace', path: '/environments/test/fallthough', value: {} }, { op: 'remove', path: '/environments/test/rules/0' }], 'environments.test.rules[0]', /patch\[1\]/);
    await expect400([{ op: 'replace', path: '/environments/moon/fallthough', value: {} }], 'environments.moon.fallthough', /no environment "moon"/);
  });

  it('400 for a JSON Patch array sent with the semantic patch content type, and for a merge that is not an object', async () => {
    const typed = await s.patch('/api/v2/flags/shop/colour', [{ op: 'replace', path: '/name', value: 'x' }], {
      headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' },
    });
    expect(typed.status).toBe(400);
    expect(typed.body.errors[0].attribute).toBe('body');
    expect(typed.body.message).toMatch(/semantic patch/);
    await unchanged();
    await expect400({ merge: [{ name: 'x' }] }, 'merge', /must be an object/);
  });

  it('400 for a body with two forms of change (instructions beside a patch or a merge), whichever content type', async () => {
    const instructions = [{ kind: 'turnFlagOff' }];
    await expect400({ environmentKey: 'production', instructions, patch: [{ op: 'replace', path: '/name', value: 'x' }] }, 'instructions', /cannot be sent with patch/);
    await expect400({ environmentKey: 'production', instructions, merge: { name: 'x' } }, 'instructions', /cannot be sent with merge/);
    const typed = await s.patch('/api/v2/flags/shop/colour', { environmentKey: 'production', instructions, patch: [] }, {
      headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' },
    });
    expect(typed.status).toBe(400);
    expect(typed.body.errors[0].attribute).toBe('instructions');
    await unchanged();
  });

  it('400 for a dryRun that is not a boolean', async () => {
    const res = await s.patch('/api/v2/flags/shop/colour?dryRun=maybe', [{ op: 'replace', path: '/name', value: 'x' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'dryRun', reason: 'must be true or false, not "maybe"' }]);
  });

  it('400 for variation indexes out of range anywhere', async () => {
    await expect400([{ op: 'replace', path: '/environments/production/fallthrough/variation', value: 3 }], 'environments.production.fallthrough.variation', /0 to 2/);
    await expect400([{ op: 'replace', path: '/environments/test/offVariation', value: -1 }], 'environments.test.offVariation');
    await expect400([{ op: 'add', path: '/environments/production/targets/-', value: { variation: 9, values: ['a'] } }], 'environments.production.targets[0].variation');
    await expect400([{ op: 'add', path: '/environments/production/rules/-', value: { variation: 5, clauses: [] } }], 'environments.production.rules[0].variation');
    await expect400([{ op: 'replace', path: '/defaults/onVariation', value: 3 }], 'defaults.onVariation');
    await expect400([{ op: 'replace', path: '/environments/production/fallthrough', value: { rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 7, weight: 50000 }] } } }], 'environments.production.fallthrough.rollout.variations[1].variation');
  });

  it('400 for rollouts whose weights are not integers from 0 to 100000 adding up to 100000', async () => {
    const rollout = (weights: unknown[]) => [
      { op: 'replace', path: '/environments/production/fallthrough', value: { rollout: { variations: weights.map((weight, variation) => ({ variation, weight })) } } },
    ];
    await expect400(rollout([50000, 40000]), 'environments.production.fallthrough.rollout.variations', /add up to 90000/);
    await expect400(rollout([50000.5, 49999.5]), 'environments.production.fallthrough.rollout.variations[0].weight', /integer/);
    await expect400(rollout([150000, -50000]), 'environments.production.fallthrough.rollout.variations[0].weight');
    await expect400(rollout(['50000', 50000]), 'environments.production.fallthrough.rollout.variations[0].weight', /integer/);
    await expect400([{ op: 'replace', path: '/environments/production/fallthrough', value: { variation: 0, rollout: { variations: [{ variation: 0, weight: 100000 }] } } }], 'environments.production.fallthrough', /exactly one/);
    await expect400([{ op: 'replace', path: '/environments/production/fallthrough', value: {} }], 'environments.production.fallthrough', /exactly one/);
  });

  it('400 for an experiment rollout (experimentAllocation, _untracked weights) that no experiment wrote, and for a seed that is not a positive 31-bit integer', async () => {
    const weights = [
      { variation: 0, weight: 50000 },
      { variation: 1, weight: 50000 },
    ];
    const fallthrough = (rollout: unknown) => [{ op: 'replace', path: '/environments/production/fallthrough', value: { rollout } }];
    await expect400(
      fallthrough({ variations: weights, experimentAllocation: { defaultVariation: 0, canReshuffle: true }, seed: 61 }),
      'environments.production.fallthrough.rollout.experimentAllocation',
      /written by an experiment/,
    );
    await expect400(
      fallthrough({ variations: [weights[0], { ...weights[1], _untracked: true }] }),
      'environments.production.fallthrough.rollout.variations[1]._untracked',
      /written by an experiment/,
    );
    await expect400(
      [{ op: 'add', path: '/environments/test/rules/-', value: { clauses: [], rollout: { variations: weights, experimentAllocation: { defaultVariation: 1, canReshuffle: false } } } }],
      'environments.test.rules[0].rollout.experimentAllocation',
      /written by an experiment/,
    );
    await expect400(fallthrough({ variations: weights, seed: 0 }), 'environments.production.fallthrough.rollout.seed', />= 1/);
    await expect400(fallthrough({ variations: weights, seed: 2 ** 31 }), 'environments.production.fallthrough.rollout.seed', /<= 2147483647/);
  });

  it('400 for clauses that are not {attribute, op, values, negate} with a LaunchDarkly operator', async () => {
    const rule = (clause: unknown) => [{ op: 'add', path: '/environments/production/rules/-', value: { variation: 0, clauses: [clause] } }];
    await expect400(rule({ attribute: 'email', op: 'like', values: ['x'], negate: false }), 'environments.production.rules[0].clauses[0].op', /must be one of "in"/);
    await expect400(rule({ op: 'in', values: ['x'], negate: false }), 'environments.production.rules[0].clauses[0].attribute', /must be present/);
    await expect400(rule({ attribute: 'email', op: 'in', values: 'x', negate: false }), 'environments.production.rules[0].clauses[0].values', /array/);
    await expect400(rule({ attribute: 'email', op: 'in', values: ['x'], negate: 'no' }), 'environments.production.rules[0].clauses[0].negate', /boolean/);
    await expect400(rule({ attribute: 'email', op: 'matches', values: ['(unclosed'], negate: false }), 'environments.production.rules[0].clauses[0].values[0]', /regular expression/);
    await expect400([{ op: 'add', path: '/environments/production/rules/-', value: { variation: 0, clauses: 'all' } }], 'environments.production.rules[0].clauses', /array/);
  });

  it('400 for a clause attribute that is not an attribute reference, and for the context kinds kind and multi', async () => {
    const rule = (clause: Record<string, unknown>) => [{ op: 'add', path: '/environments/production/rules/-', value: { variation: 0, clauses: [{ op: 'in', values: ['x'], negate: false, ...clause }] } }];
    await expect400(rule({ contextKind: 'user', attribute: '/' }), 'environments.production.rules[0].clauses[0].attribute', /not an attribute reference/);
    await expect400(rule({ contextKind: 'user', attribute: '/a~2b' }), 'environments.production.rules[0].clauses[0].attribute', /"~" must be followed by 0 or 1/);
    await expect400(rule({ contextKind: 'multi', attribute: 'key' }), 'environments.production.rules[0].clauses[0].contextKind', /"multi" is not a context kind/);
    await expect400(
      [{ op: 'add', path: '/environments/production/contextTargets/-', value: { contextKind: 'kind', values: ['k'], variation: 0 } }],
      'environments.production.contextTargets[0].contextKind',
      /"kind" is not a context kind/,
    );
    await expect400(
      [{ op: 'replace', path: '/environments/production/fallthrough', value: { rollout: { contextKind: 'multi', variations: [{ variation: 0, weight: 100000 }] } } }],
      'environments.production.fallthrough.rollout.contextKind',
      /"multi" is not a context kind/,
    );
  });

  it('400 for a reference into _meta, a bad ~ escape or an empty path part, in a clause or a rollout\'s bucketBy (with a context kind)', async () => {
    const clause = (attribute: string) => [{ op: 'add', path: '/environments/production/rules/-', value: { variation: 0, clauses: [{ contextKind: 'user', attribute, op: 'in', values: ['x'] }] } }];
    const at = 'environments.production.rules[0].clauses[0].attribute';
    await expect400(clause('/_meta/privateAttributes'), at, /"\/_meta\/privateAttributes" names _meta, which holds a context's meta attributes .*targeting cannot address it/);
    await expect400(clause('_meta'), at, /names _meta/);
    await expect400(clause('/a~'), at, /"~" must be followed by 0 or 1/);
    await expect400(clause('/a/'), at, /no double or trailing slash/);
    const rollout = (extra: Record<string, unknown>) => ({ variations: [{ variation: 0, weight: 60000 }, { variation: 1, weight: 40000 }], ...extra });
    await expect400(
      [{ op: 'replace', path: '/environments/production/fallthrough', value: { rollout: rollout({ contextKind: 'user', bucketBy: '/address//city' }) } }],
      'environments.production.fallthrough.rollout.bucketBy',
      /"\/address\/\/city" is not an attribute reference/,
    );
    await expect400(
      [{ op: 'add', path: '/environments/production/rules/-', value: { rollout: rollout({ contextKind: 'org', bucketBy: '/_meta/x' }), clauses: [] } }],
      'environments.production.rules[0].rollout.bucketBy',
      /names _meta/,
    );
  });

  it('400 for duplicate rule _ids', async () => {
    const rule = { _id: 'same', variation: 0, clauses: [] };
    await expect400([{ op: 'replace', path: '/environments/production/rules', value: [rule, { ...rule, variation: 1 }] }], 'environments.production.rules[1]._id', /duplicates/);
  });

  it('400 when a variation in use would be removed, naming where it is used', async () => {
    const fallthrough = await expect400([{ op: 'remove', path: '/variations/0' }], 'variations', /environments.production.fallthrough/);
    expect(fallthrough.body.message).toContain('defaults.onVariation');
    // Only where it is used: not also the -1 the removed variation would have left there.
    expect(fallthrough.body.message).not.toContain('not -1');
    expect(fallthrough.body.errors.every((e: { attribute: string }) => e.attribute === 'variations')).toBe(true);
    await expect400([{ op: 'replace', path: '/variations', value: [{ value: 'red' }, { value: 'green' }, { value: 'teal' }] }], 'variations', /"blue"/);
    await expect400([{ op: 'remove', path: '/variations/2' }, { op: 'remove', path: '/variations/1' }], 'variations', /at least 2/);
  });

  it('400 naming the removal sent when several removals fail read in order and read against the variations before them', async () => {
    // 3 variations: /variations/2 then /variations/3 names no fourth variation either way.
    const res = await expect400([{ op: 'remove', path: '/variations/2' }, { op: 'remove', path: '/variations/3' }], 'variations[3]', /patch\[1\] remove \/variations\/3: index 3 is out of range/);
    expect(res.body.errors).toHaveLength(1);
  });

  it('400 for duplicate or mistyped variation values', async () => {
    await expect400([{ op: 'add', path: '/variations/-', value: { value: 'red' } }], 'variations[3].value', /unique/);
    await expect400([{ op: 'add', path: '/variations/-', value: { value: 4 } }], 'variations[3].value', /string/);
    // The variation the patch changed is named, whichever its place.
    const first = await expect400([{ op: 'replace', path: '/variations/0/value', value: 5 }], 'variations[0].value', /must be a string like variations\[1\]\.value, not a number/);
    expect(first.body.errors).toHaveLength(1);
  });

  it('400 for prerequisites on unknown flags, on itself, or twice', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Parent', key: 'parent' });
    const add = (value: unknown) => ({ op: 'add', path: '/environments/production/prerequisites/-', value });
    await expect400([add({ key: 'ghost', variation: 0 })], 'environments.production.prerequisites[0].key', /no flag "ghost"/);
    await expect400([add({ key: 'parent', variation: 2 })], 'environments.production.prerequisites[0].variation', /0 to 1/);
    await expect400([add({ key: 'colour', variation: 0 })], 'environments.production.prerequisites[0].key', /its own prerequisite/);
    await expect400([add({ key: 'parent', variation: 0 }), add({ key: 'parent', variation: 1 })], 'environments.production.prerequisites[1].key', /already/);
  });

  it("400 when a variation another flag requires as a prerequisite would be removed or moved", async () => {
    await s.post('/api/v2/flags/shop', { name: 'Base', key: 'base', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }], defaults: { onVariation: 0, offVariation: 0 } });
    await s.post('/api/v2/flags/shop', { name: 'Dependent', key: 'dependent' });
    const dep = await s.patch('/api/v2/flags/shop/dependent', [{ op: 'add', path: '/environments/test/prerequisites/-', value: { key: 'base', variation: 2 } }]);
    expect(dep.status).toBe(200);
    const removed = await s.patch('/api/v2/flags/shop/base', [{ op: 'remove', path: '/variations/2' }]);
    expect(removed.status).toBe(400);
    expect(removed.body.errors[0]).toEqual({ attribute: 'variations', reason: expect.stringContaining('flag "dependent" requires as a prerequisite in environment "test"') });
    const moved = await s.patch('/api/v2/flags/shop/base', [{ op: 'add', path: '/variations/0', value: { value: 'z' } }]);
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].reason).toContain('cannot be moved');
    expect((await s.get('/api/v2/flags/shop/base')).body._version).toBe(1);
  });

  it('400 for an unknown maintainer and for fields of the wrong type', async () => {
    await expect400([{ op: 'replace', path: '/maintainerId', value: '000000000000000000000000' }], 'maintainerId', /no member/);
    await expect400([{ op: 'replace', path: '/name', value: '' }], 'name', /must not be empty/);
    await expect400([{ op: 'replace', path: '/tags', value: 'x' }], 'tags', /array/);
    await expect400([{ op: 'remove', path: '/name' }], 'name', /must be present/);
    await expect400([{ op: 'replace', path: '/environments/production/on', value: 'yes' }], 'environments.production.on', /boolean/);
  });

  it('a guard that refuses the change stops it, and nothing is written', async () => {
    const before = (await s.get('/api/v2/flags/shop/owned')).body;
    const res = await s.patch('/api/v2/flags/shop/owned', [{ op: 'replace', path: '/name', value: 'Taken' }]);
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('running experiment');
    expect((await s.get('/api/v2/flags/shop/owned')).body).toEqual(before);
    const dry = await s.patch('/api/v2/flags/shop/owned?dryRun=true', [{ op: 'replace', path: '/name', value: 'Taken' }]);
    expect(dry.status).toBe(403);
  });
});

describe('patchFeatureFlag: migration flag errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Moves', key: 'moves' });
    await s.post('/api/v2/flags/moves', { name: 'Mail', key: 'mail', purpose: 'migration', migrationSettings: { stageCount: 2 } });
    await s.post('/api/v2/flags/moves', { name: 'Plain', key: 'plain' });
    await s.post('/api/v2/flags/moves', { name: 'Orders DB', key: 'orders-db', purpose: 'migration', migrationSettings: { stageCount: 6, contextKind: 'account' } });
  });
  afterAll(() => s.close());

  async function refused(flag: string, patch: unknown, attribute: string, reason: RegExp) {
    const res = await expectRefused(s.store, () => s.patch(`/api/v2/flags/moves/${flag}`, patch), 400, 'invalid_request');
    const error = res.body.errors.find((e: { attribute: string }) => e.attribute === attribute);
    expect(error, JSON.stringify(res.body.errors)).toBeDefined();
    expect(error.reason).toMatch(reason);
    expect(res.body.message).toContain(attribute);
  }

  it("a migration flag's variations are its stages: none may be added, removed, changed or renamed", async () => {
    await refused('mail', [{ op: 'add', path: '/variations/-', value: { value: 'shadow' } }], 'variations', /migration flag's stages/);
    await refused('mail', [{ op: 'replace', path: '/variations/1/value', value: 'done' }], 'variations', /migration flag's stages/);
    await refused('mail', [{ op: 'replace', path: '/variations/0/name', value: 'Old' }], 'variations', /migration flag's stages/);
    await refused('mail', { instructions: [{ kind: 'addVariation', value: 'live' }] }, 'variations', /migration flag's stages/);
  });

  it('its defaults stay off on and off', async () => {
    await refused('mail', [{ op: 'replace', path: '/defaults/onVariation', value: 1 }], 'defaults', /must stay/);
    await refused('mail', [{ op: 'replace', path: '/defaults', value: { onVariation: 0, offVariation: 1 } }], 'defaults', /must stay/);
  });

  it('a check ratio must be a whole number from 0, and only migration flags have one', async () => {
    await refused('mail', [{ op: 'replace', path: '/environments/production/migrationSettings/checkRatio', value: -1 }], 'environments.production.migrationSettings.checkRatio', /0/);
    await refused('mail', [{ op: 'replace', path: '/environments/production/migrationSettings/checkRatio', value: 1.5 }], 'environments.production.migrationSettings.checkRatio', /integer/);
    await refused('plain', [{ op: 'add', path: '/environments/production/migrationSettings', value: { checkRatio: 5 } }], 'environments.production.migrationSettings', /migration flags only/);
  });

  it('no individual targets and an off variation of "off", in any migration flag', async () => {
    await refused('mail', [{ op: 'add', path: '/environments/production/targets/-', value: { values: ['ada'], variation: 1 } }], 'environments.production.targets[0]', /cannot target individual contexts/);
    await refused('mail', [{ op: 'add', path: '/environments/test/contextTargets/-', value: { contextKind: 'org', values: ['acme'], variation: 1 } }], 'environments.test.contextTargets[0]', /cannot target individual contexts/);
    await refused('mail', [{ op: 'replace', path: '/environments/production/offVariation', value: 1 }], 'environments.production.offVariation', /must be 0/);
    await refused('mail', [{ op: 'remove', path: '/environments/production/offVariation' }], 'environments.production.offVariation', /must be 0/);
  });

  it('cohorts serve a rollout, never a single variation (patchFeatureFlag: "provide a rollout instead of a single variationId")', async () => {
    await refused('mail', [{ op: 'replace', path: '/environments/production/fallthrough', value: { variation: 1 } }], 'environments.production.fallthrough.rollout', /percentage rollout/);
    await refused('mail', [{ op: 'add', path: '/environments/test/rules/-', value: { variation: 1, clauses: [{ attribute: 'key', op: 'in', values: ['ada'] }] } }], 'environments.test.rules[0].rollout', /percentage rollout/);
    await refused('mail', { environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: (await s.get('/api/v2/flags/moves/mail')).body.variations[1]._id }] }, 'environments.production.fallthrough.rollout', /percentage rollout/);
  });

  it("a six-stage migration's cohorts match and bucket on its context kind only, and match no segment", async () => {
    const cohort = (clause: Record<string, unknown>, rolloutKind?: string) => ({
      clauses: [clause],
      rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }], ...(rolloutKind ? { contextKind: rolloutKind } : {}) },
    });
    const add = (rule: unknown) => [{ op: 'add', path: '/environments/production/rules/-', value: rule }];
    await refused('orders-db', add(cohort({ contextKind: 'user', attribute: 'key', op: 'in', values: ['ada'] }, 'account')), 'environments.production.rules[0].clauses[0].contextKind', /must be "account"/);
    await refused('orders-db', add(cohort({ attribute: 'key', op: 'in', values: ['ada'] }, 'account')), 'environments.production.rules[0].clauses[0].contextKind', /must be "account"/);
    await refused('orders-db', add(cohort({ contextKind: 'account', attribute: 'tier', op: 'in', values: ['gold'] })), 'environments.production.rules[0].rollout.contextKind', /must be "account"/);
    await refused('orders-db', add(cohort({ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta'] }, 'account')), 'environments.production.rules[0].clauses[0].op', /cannot match segments/);
    await refused('orders-db', [{ op: 'remove', path: '/environments/test/fallthrough/rollout/contextKind' }], 'environments.test.fallthrough.rollout.contextKind', /must be "account"/);
  });
});

describe('patchFeatureFlag: a running experiment’s rollout', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    // One experiment on production's fallthrough, another on its rule.
    await startExperimentIn(s, w);
    const version = await flagVersion(s, w.project, w.flag);
    await createExperimentIn(s, w, 'rule-exp', iterationBody({ ...w, version }, { flags: { [w.flag]: { ruleId: w.ruleId, flagConfigVersion: version } } }));
    expect((await s.patch(experimentsPath(w, 'rule-exp'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('409 conflict naming the experiment for any change to its rollout (seed, allocation, weights, context kind), as for the rest of its rule', async () => {
    const owners = [
      { at: '/environments/production/fallthrough', owner: `The fallthrough of flag "${w.flag}" in environment "production" is owned by the running experiment "checkout-exp"` },
      { at: '/environments/production/rules/0', owner: `Rule "${w.ruleId}" of flag "${w.flag}" in environment "production" is owned by the running experiment "rule-exp"` },
    ];
    for (const { at, owner } of owners) {
      for (const patch of [
        [{ op: 'replace', path: `${at}/rollout/seed`, value: 42 }],
        [{ op: 'replace', path: `${at}/rollout/experimentAllocation/canReshuffle`, value: false }],
        [
          { op: 'replace', path: `${at}/rollout/variations/0/weight`, value: 40000 },
          { op: 'replace', path: `${at}/rollout/variations/1/weight`, value: 60000 },
        ],
        [{ op: 'replace', path: `${at}/rollout/contextKind`, value: 'org' }],
        [{ op: 'remove', path: `${at}/rollout/experimentAllocation` }],
      ]) {
        const res = await expectRefused(s.store, () => s.patch(`/api/v2/flags/${w.project}/${w.flag}`, patch), 409, 'conflict');
        expect(res.body.message, JSON.stringify(patch)).toBe(`${owner}; stop the experiment before changing it`);
      }
    }
  });
});
