import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { registerFlagGuard, type FlagChange } from './guards.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const seenChanges: FlagChange[] = [];
registerFlagGuard(async (change) => {
  if (change.flagKey.startsWith('guarded')) seenChanges.push(change);
});

describe('patchFeatureFlag: happy path', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  let n = 0;
  const flag = async (body: Record<string, unknown> = {}) => {
    const key = (body.key as string | undefined) ?? `flag-${++n}`;
    const res = await s.post('/api/v2/flags/shop', { name: key, key, ...body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const patch = async (key: string, body: unknown, query = '') => {
    clock += 1000;
    const res = await s.patch(`/api/v2/flags/shop/${key}${query}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('turning a flag on bumps that environment and the flag, and nothing else', async () => {
    const created = await flag({ key: 'toggle' });
    const res = await patch('toggle', [{ op: 'replace', path: '/environments/production/on', value: true }]);
    expect(res._version).toBe(2);
    expect(res.environments.production).toMatchObject({ on: true, version: 2, lastModified: clock });
    expect(res.environments.test).toEqual(created.environments.test);
    expect(res.environments.production.salt).toBe(created.environments.production.salt);
    expect((await s.get('/api/v2/flags/shop/toggle')).body).toEqual(res);
  });

  it('variations sent back as read, valueHash and all, are taken (valueHash ignored, never stored) and the hashes follow the new values', async () => {
    const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
    const created = await flag({ key: 'hash-back', variations: [{ value: 'a' }, { value: 'b' }] });
    expect(created.variations.map((v: { valueHash: string }) => v.valueHash)).toEqual([sha('a'), sha('b')]);
    // JSON Patch: the list as read (with its valueHash), one value changed but its stale hash kept, one variation added with a made-up hash.
    const sent = [{ ...created.variations[0], value: 'a2' }, created.variations[1], { value: 'c', valueHash: 'made-up' }];
    const res = await patch('hash-back', [{ op: 'replace', path: '/variations', value: sent }]);
    expect(res.variations.map((v: { value: string; valueHash: string }) => [v.value, v.valueHash])).toEqual([['a2', sha('a2')], ['b', sha('b')], ['c', sha('c')]]);
    expect(res.variations[0]._id).toBe(created.variations[0]._id);
    // A merge patch carrying valueHash (and a JSON Patch writing only a valueHash) is taken and changes nothing stored.
    const merged = await patch('hash-back', { merge: { variations: res.variations.map((v: Record<string, unknown>) => ({ ...v, valueHash: 'x' })) } });
    expect(merged.variations).toEqual(res.variations);
    const only = await patch('hash-back', [{ op: 'replace', path: '/variations/0/valueHash', value: 'y' }]);
    expect(only.variations[0].valueHash).toBe(sha('a2'));
    const row = await s.store.db.selectFrom('flags').select('doc').where('key', '=', 'hash-back').executeTakeFirstOrThrow();
    expect(row.doc).not.toContain('valueHash');
  });

  it('takes the body as a bare array or as {comment, patch}; the comment goes to the audit log', async () => {
    await flag({ key: 'commented' });
    const res = await patch('commented', { comment: 'because', patch: [{ op: 'replace', path: '/name', value: 'Renamed' }] });
    expect(res.name).toBe('Renamed');
    const entries = await s.store.db.selectFrom('audit_log').selectAll().where('resource', 'like', '%flag/commented').orderBy('date').execute();
    expect(entries.map((e) => JSON.parse(e.doc).action)).toEqual(['createFlag', 'updateFlag']);
    const update = JSON.parse(entries[1].doc);
    expect(update).toMatchObject({ comment: 'because', before: { name: 'commented' }, after: { name: 'Renamed' } });
  });

  it('a new rule and its clauses get server _ids; later edits keep them', async () => {
    await flag({ key: 'rules' });
    const added = await patch('rules', [
      {
        op: 'add',
        path: '/environments/production/rules/-',
        value: { variation: 0, clauses: [{ attribute: 'email', op: 'endsWith', values: ['@example.com'], negate: false }, { contextKind: 'org', attribute: 'tier', op: 'in', values: ['gold'], negate: true }] },
      },
    ]);
    const rule = added.environments.production.rules[0];
    expect(rule._id).toMatch(UUID);
    expect(rule.clauses.map((c: { _id: string }) => c._id)).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    expect(rule).toMatchObject({ variation: 0, trackEvents: false });
    expect(rule.clauses[1]).toMatchObject({ contextKind: 'org', negate: true });
    expect(added.environments.production.version).toBe(2);
    expect(added.environments.test.version).toBe(1);

    const edited = await patch('rules', [
      { op: 'add', path: '/environments/production/rules/0/clauses/0/values/-', value: '@example.org' },
      { op: 'add', path: '/environments/production/rules/0/description', value: 'Staff' },
      { op: 'add', path: '/environments/production/rules/0/clauses/-', value: { attribute: 'country', op: 'in', values: ['NL'], negate: false } },
    ]);
    const after = edited.environments.production.rules[0];
    expect(after._id).toBe(rule._id);
    expect(after.clauses[0]._id).toBe(rule.clauses[0]._id);
    expect(after.clauses[0].values).toEqual(['@example.com', '@example.org']);
    expect(after.clauses[2]._id).toMatch(UUID);
    expect(after.description).toBe('Staff');

    // The whole list, as read from GET, written back with one more rule: existing ids are kept.
    const rules = [...edited.environments.production.rules, { variation: 1, clauses: [{ attribute: 'key', op: 'in', values: ['x'], negate: false }] }];
    const replaced = await patch('rules', [{ op: 'replace', path: '/environments/production/rules', value: rules }]);
    expect(replaced.environments.production.rules[0]).toEqual(after);
    expect(replaced.environments.production.rules[1]._id).toMatch(UUID);

    const moved = await patch('rules', [{ op: 'move', from: '/environments/production/rules/1', path: '/environments/production/rules/0' }]);
    expect(moved.environments.production.rules.map((r: { _id: string }) => r._id)).toEqual([replaced.environments.production.rules[1]._id, rule._id]);
  });

  it("a rule sent without clauses (as Terraform's provider sends a rule that has none) is a rule with none, matching every context", async () => {
    await flag({ key: 'no-clauses' });
    const res = await patch('no-clauses', { comment: 'Terraform', patch: [{ op: 'replace', path: '/environments/test/rules', value: [{ description: '', variation: 1 }] }] });
    expect(res.environments.test.rules).toEqual([{ _id: expect.stringMatching(UUID), clauses: [], variation: 1, trackEvents: false, description: '' }]);
  });

  it('takes every reference the SDKs read: paths with escapes, literal names without a context kind, a name ending in ~', async () => {
    await flag({ key: 'references' });
    const rollout = { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] };
    const res = await patch('references', [
      {
        op: 'add',
        path: '/environments/production/rules/-',
        value: {
          rollout: { ...rollout, bucketBy: '/_meta/x' },
          clauses: [
            // Without a context kind the attribute is a name as written (the old user model), whatever it holds.
            { attribute: '/_meta/x', op: 'in', values: ['a'] },
            { attribute: 'a//b~', op: 'in', values: ['a'] },
            { contextKind: 'user', attribute: '/address/a~1b~0c', op: 'in', values: ['a'] },
            // A name (no leading /) may end in ~: the Go SDK reads it so (the Node SDK alone refuses it).
            { contextKind: 'user', attribute: 'tier~', op: 'in', values: ['a'] },
            // A segmentMatch clause's attribute is never read.
            { contextKind: 'user', attribute: '/_meta', op: 'segmentMatch', values: [] },
          ],
        },
      },
      { op: 'replace', path: '/environments/production/fallthrough', value: { rollout: { ...rollout, contextKind: 'org', bucketBy: '/address/city' } } },
    ]);
    const env = res.environments.production;
    expect(env.rules[0].clauses.map((c: { attribute: string }) => c.attribute)).toEqual(['/_meta/x', 'a//b~', '/address/a~1b~0c', 'tier~', '/_meta']);
    expect(env.rules[0].rollout.bucketBy).toBe('/_meta/x');
    expect(env.fallthrough.rollout).toMatchObject({ contextKind: 'org', bucketBy: '/address/city' });
  });

  it('targeting stored before references were checked still loads and takes unrelated edits; new bad references are refused', async () => {
    await flag({ key: 'stored-references' });
    const rollout = { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }], contextKind: 'user', bucketBy: '/a//b' };
    const row = await s.store.db.selectFrom('flags').select('id').where('key', '=', 'stored-references').executeTakeFirstOrThrow();
    const envRow = await s.store.db.selectFrom('environments').select('id').where('key', '=', 'production').executeTakeFirstOrThrow();
    const config = await s.store.db.selectFrom('flag_configs').select('doc').where('flag_id', '=', row.id).where('environment_id', '=', envRow.id).executeTakeFirstOrThrow();
    const stored = {
      ...JSON.parse(config.doc),
      rules: [{ _id: 'old-rule', variation: 0, trackEvents: false, clauses: [{ _id: 'old-clause', contextKind: 'user', attribute: '/_meta/privateAttributes', op: 'in', values: ['x'], negate: false }] }],
      fallthrough: { rollout },
    };
    await s.store.tx((trx) => trx.updateTable('flag_configs').set({ doc: JSON.stringify(stored) }).where('flag_id', '=', row.id).where('environment_id', '=', envRow.id).execute());
    s.deps.changed({ kind: 'flag', projectId: row.id });

    const loaded = await s.get('/api/v2/flags/shop/stored-references');
    expect(loaded.status).toBe(200);
    expect(loaded.body.environments.production.rules[0].clauses[0].attribute).toBe('/_meta/privateAttributes');
    const toggled = await patch('stored-references', [{ op: 'replace', path: '/environments/production/on', value: true }]);
    expect(toggled.environments.production).toMatchObject({ on: true, fallthrough: { rollout: { bucketBy: '/a//b' } } });
    const semantic = await patch('stored-references', { environmentKey: 'production', instructions: [{ kind: 'turnFlagOff' }] });
    expect(semantic.environments.production.on).toBe(false);
    // A clone carries its source's targeting as it is.
    const clone = await s.post('/api/v2/flags/shop?clone=stored-references', { name: 'Clone', key: 'stored-references-clone' });
    expect(clone.status, JSON.stringify(clone.body)).toBe(201);
    expect(clone.body.environments.production.rules[0].clauses[0].attribute).toBe('/_meta/privateAttributes');

    const refused = await s.patch('/api/v2/flags/shop/stored-references', [
      { op: 'add', path: '/environments/production/rules/-', value: { variation: 1, clauses: [{ contextKind: 'user', attribute: '/_meta/x', op: 'in', values: ['y'] }] } },
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ attribute: 'environments.production.rules[1].clauses[0].attribute' })]);
  });

  it('edits fallthrough (variation or rollout), off variation, targets and prerequisites', async () => {
    const parent = await flag({ key: 'parent-flag' });
    await flag({ key: 'targeting', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    const res = await patch('targeting', [
      { op: 'replace', path: '/environments/production/fallthrough', value: { rollout: { variations: [{ variation: 0, weight: 30000 }, { variation: 2, weight: 70000 }], bucketBy: 'key', contextKind: 'user' } } },
      { op: 'replace', path: '/environments/production/offVariation', value: 1 },
      { op: 'add', path: '/environments/production/targets/-', value: { variation: 2, values: ['ann'] } },
      { op: 'add', path: '/environments/production/targets/0/values/-', value: 'bob' },
      { op: 'add', path: '/environments/production/contextTargets/-', value: { variation: 0, values: ['acme'], contextKind: 'org' } },
      { op: 'add', path: '/environments/production/prerequisites/-', value: { key: 'parent-flag', variation: 0 } },
      { op: 'replace', path: '/environments/test/fallthrough/variation', value: 1 },
      { op: 'replace', path: '/environments/test/trackEventsFallthrough', value: true },
    ]);
    const production = res.environments.production;
    expect(production.fallthrough).toEqual({ rollout: { variations: [{ variation: 0, weight: 30000 }, { variation: 2, weight: 70000 }], bucketBy: 'key', contextKind: 'user' } });
    expect(production.offVariation).toBe(1);
    expect(production.targets).toEqual([{ variation: 2, values: ['ann', 'bob'] }]);
    expect(production.contextTargets).toEqual([{ variation: 0, values: ['acme'], contextKind: 'org' }]);
    expect(production.prerequisites).toEqual([{ key: 'parent-flag', variation: 0 }]);
    expect(res.environments.test).toMatchObject({ fallthrough: { variation: 1 }, trackEventsFallthrough: true, version: 2 });
    expect(res._version).toBe(2);
    expect(parent._version).toBe(1);

    // A kind the project lacks is added to it, as LaunchDarkly adds the kinds the targeting names.
    const kinds = async () => (await s.get('/api/v2/projects/shop/context-kinds')).body.items.map((k: { key: string; createdFrom: string }) => [k.key, k.createdFrom]);
    expect(await kinds()).toContainEqual(['org', 'auto-add']);
    await patch('targeting', [{ op: 'add', path: '/environments/production/rules/-', value: { clauses: [{ contextKind: 'device', attribute: 'os', op: 'in', values: ['ios'] }], variation: 0 } }]);
    expect(await kinds()).toContainEqual(['device', 'auto-add']);
    expect(await kinds()).toContainEqual(['user', 'default']);

    // An entry without a kind is a user entry (as SDKs read it), stored and shown with its kind.
    const kindless = await patch('targeting', [{ op: 'add', path: '/environments/production/contextTargets/-', value: { variation: 1, values: [] } }]);
    expect(kindless.environments.production.contextTargets).toEqual([
      { variation: 0, values: ['acme'], contextKind: 'org' },
      { variation: 1, values: [], contextKind: 'user' },
    ]);

    const back = await patch('targeting', [{ op: 'replace', path: '/environments/production/fallthrough', value: { variation: 2 } }]);
    expect(back.environments.production.fallthrough).toEqual({ variation: 2 });
  });

  it('edits flag-level fields: name, description, tags, temporary, maintainer, archived, deprecated', async () => {
    await flag({ key: 'settings' });
    const res = await patch('settings', [
      { op: 'replace', path: '/name', value: 'Settings' },
      { op: 'replace', path: '/description', value: 'All of them' },
      { op: 'add', path: '/tags/-', value: 'ops' },
      { op: 'replace', path: '/temporary', value: false },
      { op: 'replace', path: '/maintainerId', value: s.deps.accountId },
      { op: 'replace', path: '/deprecated', value: true },
      { op: 'replace', path: '/clientSideAvailability', value: { usingMobileKey: false, usingEnvironmentId: true } },
    ]);
    expect(res).toMatchObject({ name: 'Settings', description: 'All of them', tags: ['ops'], temporary: false, deprecated: true, deprecatedDate: clock, includeInSnippet: true });
    // Client-side availability is what the SDKs are served of the flag: every environment's version moves.
    expect(res.environments.production.version).toBe(2);
    expect(res._version).toBe(2);

    const archived = await patch('settings', [{ op: 'replace', path: '/archived', value: true }]);
    expect(archived).toMatchObject({ archived: true, archivedDate: clock });
    expect(archived.environments.production).toMatchObject({ archived: true, version: 3 });
    const restored = await patch('settings', [{ op: 'replace', path: '/archived', value: false }, { op: 'remove', path: '/maintainerId' }]);
    expect(restored.archived).toBe(false);
    expect(restored.archivedDate).toBeUndefined();
    expect(restored.maintainerId).toBeUndefined();
    expect(restored._maintainer).toBeUndefined();
  });

  it('includeInSnippet is the deprecated spelling of clientSideAvailability.usingEnvironmentId', async () => {
    await flag({ key: 'snippet' });
    const res = await patch('snippet', [{ op: 'replace', path: '/includeInSnippet', value: true }]);
    expect(res.clientSideAvailability).toEqual({ usingMobileKey: true, usingEnvironmentId: true });
    expect(res.includeInSnippet).toBe(true);
  });

  it('fields LaunchDarkly does not define are not stored, so adding one changes nothing', async () => {
    const created = await flag({ key: 'extra' });
    const res = await patch('extra', [
      { op: 'add', path: '/environments/production/fallthrough/colour', value: 'red' },
      { op: 'add', path: '/clientSideAvailability/colour', value: 'red' },
    ]);
    expect(res).toEqual(created);
  });

  it("takes Terraform's launchdarkly_feature_flag_environment patches: a removed off variation set again, and destroy's `fallthough` (sic)", async () => {
    await flag({ key: 'tf-env', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    const env = (field: string) => `/environments/test/${field}`;
    // Update with off_variation unset: the off variation is removed ("Not set").
    const unset = await patch('tf-env', { comment: 'Terraform', patch: [{ op: 'remove', path: env('offVariation') }] });
    expect(unset.environments.test).not.toHaveProperty('offVariation');
    // Setting it again is a `replace` of a member that is not there: it is added, as LaunchDarkly does.
    const set = await patch('tf-env', { comment: 'Terraform', patch: [{ op: 'replace', path: env('offVariation'), value: 1 }] });
    expect(set.environments.test.offVariation).toBe(1);
    await patch('tf-env', { comment: 'Terraform', patch: [{ op: 'remove', path: env('offVariation') }] });
    await patch('tf-env', {
      comment: 'Terraform',
      patch: [
        { op: 'replace', path: env('on'), value: true },
        { op: 'replace', path: env('rules'), value: [{ description: 'r', variation: 1, clauses: [{ attribute: 'country', op: 'in', values: ['nz'], negate: false, contextKind: 'user' }] }] },
        { op: 'replace', path: env('targets'), value: [{ values: ['ann'], variation: 0, contextKind: 'user' }] },
      ],
    });
    // Destroy: every field back to its default, the fallthrough under its misspelt name (which LaunchDarkly ignores).
    const destroyed = await patch('tf-env', {
      comment: 'Terraform',
      patch: [
        { op: 'replace', path: env('on'), value: false },
        { op: 'replace', path: env('rules'), value: [] },
        { op: 'replace', path: env('trackEvents'), value: false },
        { op: 'replace', path: env('prerequisites'), value: [] },
        { op: 'replace', path: env('offVariation'), value: 2 },
        { op: 'replace', path: env('targets'), value: [] },
        { op: 'replace', path: env('contextTargets'), value: [] },
        { op: 'replace', path: env('fallthough'), value: { variation: 0 } },
      ],
    });
    expect(destroyed.environments.test).toMatchObject({ on: false, rules: [], targets: [], contextTargets: [], prerequisites: [], trackEvents: false, offVariation: 2, fallthrough: { variation: 0 } });
    expect(destroyed.environments.test).not.toHaveProperty('fallthough');
  });

  it("takes Terraform's launchdarkly_feature_flag variation and maintainer patches: replace of an unset name adds it, null clears it", async () => {
    await flag({ key: 'tf-flag', variations: [{ value: 'a', name: 'A' }, { value: 'b' }] });
    const res = await patch('tf-flag', {
      comment: 'Terraform',
      patch: [
        { op: 'replace', path: '/variations/0/value', value: 'a' },
        { op: 'replace', path: '/variations/0/name', value: null },
        { op: 'replace', path: '/variations/0/description', value: null },
        { op: 'replace', path: '/variations/1/value', value: 'b' },
        { op: 'replace', path: '/variations/1/name', value: 'Bee' },
        { op: 'replace', path: '/variations/1/description', value: 'the second' },
      ],
    });
    expect(res.variations.map(({ _id, valueHash, ...v }: Record<string, unknown>) => v)).toEqual([{ value: 'a' }, { value: 'b', name: 'Bee', description: 'the second' }]);
    const same = await patch('tf-flag', [{ op: 'replace', path: '/variations/0/name', value: null }]);
    expect(same._version).toBe(res._version);
    expect((await s.post('/api/v2/teams', { key: 'platform', name: 'Platform' })).status).toBe(201);
    const team = await patch('tf-flag', [{ op: 'replace', path: '/maintainerTeamKey', value: 'platform' }, { op: 'remove', path: '/maintainerId' }]);
    expect(team.maintainerTeamKey).toBe('platform');
    expect(team).not.toHaveProperty('maintainerId');
    // A flag has one maintainer: the one a patch sets replaces the other, without a remove of it.
    const memberId = (await s.get('/api/v2/members/me')).body._id;
    const member = await patch('tf-flag', [{ op: 'replace', path: '/maintainerId', value: memberId }]);
    expect(member.maintainerId).toBe(memberId);
    expect(member).not.toHaveProperty('maintainerTeamKey');
    expect(member).not.toHaveProperty('_maintainerTeam');
    const back = await patch('tf-flag', [{ op: 'replace', path: '/maintainerTeamKey', value: 'platform' }]);
    expect(back.maintainerTeamKey).toBe('platform');
    expect(back).not.toHaveProperty('maintainerId');
    expect((await s.get(`/api/v2/flags/shop?filter=maintainerId:${memberId}`)).body.items.map((f: { key: string }) => f.key)).not.toContain('tf-flag');
  });

  it('edits variations; an inserted variation keeps untouched targeting on the same values', async () => {
    const created = await flag({ key: 'variants', variations: [{ value: 'a' }, { value: 'b' }] });
    await patch('variants', [{ op: 'add', path: '/environments/production/targets/-', value: { variation: 1, values: ['ann'] } }]);
    const res = await patch('variants', [
      { op: 'add', path: '/variations/0', value: { value: 'z', name: 'Zed' } },
      { op: 'add', path: '/variations/2/name', value: 'Bee' },
    ]);
    expect(res.variations.map((v: { value: string }) => v.value)).toEqual(['z', 'a', 'b']);
    expect(res.variations[0]._id).toMatch(UUID);
    expect(res.variations.slice(1).map((v: { _id: string }) => v._id)).toEqual(created.variations.map((v: { _id: string }) => v._id));
    expect(res.variations[2].name).toBe('Bee');
    expect(res.defaults).toEqual({ onVariation: 1, offVariation: 2 });
    for (const env of ['production', 'test']) {
      expect(res.environments[env].fallthrough).toEqual({ variation: 1 });
      expect(res.environments[env].offVariation).toBe(2);
    }
    expect(res.environments.production.targets).toEqual([{ variation: 2, values: ['ann'] }]);

    const value = await patch('variants', [{ op: 'replace', path: '/variations/0/value', value: 'y' }]);
    expect(value.variations[0]._id).toBe(res.variations[0]._id);
  });

  it('replacing the whole variation list without ids keeps the ids of unchanged values', async () => {
    const created = await flag({ key: 'wholesale', variations: [{ value: 1 }, { value: 2 }] });
    const res = await patch('wholesale', [{ op: 'replace', path: '/variations', value: [{ value: 1, name: 'one' }, { value: 2 }, { value: 3 }] }]);
    expect(res.variations.slice(0, 2).map((v: { _id: string }) => v._id)).toEqual(created.variations.map((v: { _id: string }) => v._id));
    expect(res.variations[0].name).toBe('one');
    expect(res.kind).toBe('multivariate');
  });

  it("takes Terraform's removal of several variations: `remove /variations/2` then `remove /variations/3` removes the last two", async () => {
    const created = await flag({ key: 'tf-shrink', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }, { value: 'd' }], defaults: { onVariation: 1, offVariation: 0 } });
    // The provider's variationPatchesFromResourceData for 4 -> 2: the removals from the new length up, then a
    // replace of value, name and description of each kept variation.
    const res = await patch('tf-shrink', {
      comment: 'Terraform',
      patch: [
        { op: 'remove', path: '/variations/2' },
        { op: 'remove', path: '/variations/3' },
        { op: 'replace', path: '/variations/0/value', value: 'a' },
        { op: 'replace', path: '/variations/0/name', value: null },
        { op: 'replace', path: '/variations/0/description', value: null },
        { op: 'replace', path: '/variations/1/value', value: 'b' },
        { op: 'replace', path: '/variations/1/name', value: 'Bee' },
        { op: 'replace', path: '/variations/1/description', value: null },
      ],
    });
    expect(res.variations.map((v: { value: string }) => v.value)).toEqual(['a', 'b']);
    expect(res.variations.map((v: { _id: string }) => v._id)).toEqual(created.variations.slice(0, 2).map((v: { _id: string }) => v._id));
    expect(res.variations[1].name).toBe('Bee');
    expect(res.defaults).toEqual({ onVariation: 1, offVariation: 0 });
    expect((await s.get('/api/v2/flags/shop/tf-shrink')).body.variations).toHaveLength(2);
  });

  it('removing an unused variation is allowed', async () => {
    await flag({ key: 'removable', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }], defaults: { onVariation: 0, offVariation: 2 } });
    const res = await patch('removable', [{ op: 'remove', path: '/variations/1' }]);
    expect(res.variations.map((v: { value: string }) => v.value)).toEqual(['a', 'c']);
    expect(res.defaults).toEqual({ onVariation: 0, offVariation: 1 });
    expect(res.environments.production.offVariation).toBe(1);
  });

  it('passing `test` operations work as an optimistic lock', async () => {
    await flag({ key: 'locked' });
    const res = await patch('locked', [
      { op: 'test', path: '/environments/production/version', value: 1 },
      { op: 'test', path: '/_version', value: 1 },
      { op: 'replace', path: '/environments/production/on', value: true },
    ]);
    expect(res.environments.production.on).toBe(true);
  });

  it("LaunchDarkly's documented precondition: `test /version` reads the flag's _version, then the patch applies", async () => {
    const created = await flag({ key: 'documented-lock' });
    const res = await patch('documented-lock', [
      { op: 'test', path: '/version', value: created._version },
      { op: 'replace', path: '/description', value: 'The new description' },
    ]);
    expect(res).toMatchObject({ description: 'The new description', _version: created._version + 1 });
    expect(res).not.toHaveProperty('version');
    expect((await s.get('/api/v2/flags/shop/documented-lock')).body).toEqual(res);
  });

  it('a patch that changes nothing changes no version', async () => {
    const created = await flag({ key: 'same' });
    const res = await patch('same', [
      { op: 'replace', path: '/environments/production/on', value: false },
      { op: 'replace', path: '/name', value: 'same' },
      { op: 'test', path: '/key', value: 'same' },
    ]);
    expect(res).toEqual(created);
    const none = await patch('same', []);
    expect(none).toEqual(created);
  });

  it('dryRun=true answers with the would-be flag and writes nothing', async () => {
    const created = await flag({ key: 'dry' });
    const res = await patch('dry', [{ op: 'replace', path: '/environments/production/on', value: true }], '?dryRun=true');
    expect(res.environments.production).toMatchObject({ on: true, version: 2 });
    expect(res._version).toBe(2);
    expect((await s.get('/api/v2/flags/shop/dry')).body).toEqual(created);
  });

  it('concurrent patches are applied one after the other, none lost', async () => {
    await flag({ key: 'busy' });
    const results = await Promise.all([
      s.patch('/api/v2/flags/shop/busy', [{ op: 'replace', path: '/environments/production/on', value: true }]),
      s.patch('/api/v2/flags/shop/busy', [{ op: 'replace', path: '/environments/test/on', value: true }]),
      s.patch('/api/v2/flags/shop/busy', [{ op: 'add', path: '/tags/-', value: 'a' }]),
      s.patch('/api/v2/flags/shop/busy', [{ op: 'add', path: '/tags/-', value: 'b' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const after = (await s.get('/api/v2/flags/shop/busy')).body;
    expect(after._version).toBe(5);
    expect(after.environments.production).toMatchObject({ on: true, version: 2 });
    expect(after.environments.test).toMatchObject({ on: true, version: 2 });
    expect([...after.tags].sort()).toEqual(['a', 'b']);
  });

  it('many concurrent patches of one flag wait for each other on its row and lose none', async () => {
    await flag({ key: 'crowded' });
    const tags = Array.from({ length: 12 }, (_, i) => `t${i}`);
    const results = await Promise.all(
      tags.map((tag, i) =>
        s.patch('/api/v2/flags/shop/crowded', [
          { op: 'add', path: '/tags/-', value: tag },
          { op: 'replace', path: `/environments/${i % 2 === 0 ? 'production' : 'test'}/on`, value: true },
        ]),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(tags.map(() => 200));
    const after = (await s.get('/api/v2/flags/shop/crowded')).body;
    expect(after._version).toBe(13);
    expect([...after.tags].sort()).toEqual([...tags].sort());
    // Each environment's targeting changed on its first patch only (the same value after), each seen by the next.
    expect(after.environments.production.version).toBe(2);
    expect(after.environments.test.version).toBe(2);
  });

  it('calls the flag guards with the flag before and after the change', async () => {
    const created = await flag({ key: 'guarded' });
    seenChanges.length = 0;
    await patch('guarded', [{ op: 'replace', path: '/environments/test/on', value: true }]);
    expect(seenChanges).toHaveLength(1);
    const change = seenChanges[0];
    expect(change).toMatchObject({ flagKey: 'guarded', projectKey: 'shop', flagId: expect.any(String), projectId: expect.any(String) });
    const testEnv = await s.get('/api/v2/projects/shop/environments/test');
    expect(change.before.configs.get(testEnv.body._id)!.on).toBe(false);
    expect(change.after!.configs.get(testEnv.body._id)!.on).toBe(true);
    expect(change.before.doc._version).toBe(created._version);
    expect(change.after!.doc._version).toBe(created._version + 1);
  });
});

describe('patchFeatureFlag: a migration flag', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Moves', key: 'moves' });
    await s.post('/api/v2/flags/moves', { name: 'Orders DB', key: 'orders-db', purpose: 'migration', migrationSettings: { stageCount: 6, contextKind: 'account' } });
  });
  afterAll(() => s.close());

  it("sets, keeps and clears an environment's check ratio; other edits leave it and the stages as they are", async () => {
    const set = await s.patch('/api/v2/flags/moves/orders-db', [{ op: 'replace', path: '/environments/production/migrationSettings/checkRatio', value: 10 }]);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.environments.production).toMatchObject({ version: 2, migrationSettings: { checkRatio: 10 } });
    // Only production changed.
    expect(set.body.environments.test).toMatchObject({ version: 1, migrationSettings: { checkRatio: 1 } });
    const get = (await s.get('/api/v2/flags/moves/orders-db?expand=migrationSettings')).body;
    expect(get.environments.production.migrationSettings).toEqual({ checkRatio: 10 });

    // Moving the default cohort on to dualwrite, and renaming the flag, keep the ratio.
    const moved = await s.patch('/api/v2/flags/moves/orders-db', [
      { op: 'replace', path: '/name', value: 'Orders database' },
      { op: 'replace', path: '/environments/production/fallthrough/rollout/variations/0/weight', value: 50000 },
      { op: 'replace', path: '/environments/production/fallthrough/rollout/variations/1/weight', value: 50000 },
    ]);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.environments.production).toMatchObject({ version: 3, migrationSettings: { checkRatio: 10 } });
    expect(moved.body.variations.map((v: { value: string }) => v.value)).toEqual(['off', 'dualwrite', 'shadow', 'live', 'rampdown', 'complete']);

    // 1 is every op, the SDKs' default: stored as none.
    const reset = await s.patch('/api/v2/flags/moves/orders-db', [{ op: 'replace', path: '/environments/production/migrationSettings/checkRatio', value: 1 }]);
    expect(reset.body.environments.production).toMatchObject({ version: 4, migrationSettings: { checkRatio: 1 } });
    // The variations' names and descriptions may be written back as they are (Terraform replaces every variation).
    const same = await s.patch('/api/v2/flags/moves/orders-db', [{ op: 'replace', path: '/variations', value: reset.body.variations.map(({ valueHash: _h, ...v }: { valueHash: string }) => v) }]);
    expect(same.status).toBe(200);
    expect(same.body._version).toBe(reset.body._version);
  });

  it('copyFeatureFlag with updateFlagConfigMigrationSettings copies the check ratio', async () => {
    await s.patch('/api/v2/flags/moves/orders-db', [{ op: 'replace', path: '/environments/production/migrationSettings/checkRatio', value: 4 }]);
    const copied = await s.post('/api/v2/flags/moves/orders-db/copy', { source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateFlagConfigMigrationSettings'] });
    expect(copied.status, JSON.stringify(copied.body)).toBe(201);
    const test = (await s.get('/api/v2/flags/moves/orders-db?expand=migrationSettings')).body.environments.test;
    expect(test.migrationSettings).toEqual({ checkRatio: 4 });
    // Nothing else was copied: test's default cohort is still all off.
    expect(test.fallthrough.rollout.variations[0]).toEqual({ variation: 0, weight: 100000 });
  });

  it('a cohort on the migration\'s context kind, served by a rollout bucketed by it, is taken', async () => {
    const cohort = {
      clauses: [{ contextKind: 'account', attribute: 'tier', op: 'in', values: ['gold'] }],
      rollout: { contextKind: 'account', variations: [0, 1, 2, 3, 4, 5].map((variation) => ({ variation, weight: variation === 2 ? 100000 : 0 })) },
    };
    const res = await s.patch('/api/v2/flags/moves/orders-db', [{ op: 'add', path: '/environments/production/rules/-', value: cohort }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.environments.production.rules[0]).toMatchObject(cohort);
  });
});
