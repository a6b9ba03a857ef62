import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('patchSegment: happy path (JSON Patch)', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  const path = '/api/v2/segments/shop/production';
  const segment = async (key: string, body: Record<string, unknown> = {}) => {
    clock += 1000;
    const res = await s.post(path, { name: key, key, ...body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const patch = async (key: string, body: unknown, query = '') => {
    clock += 1000;
    const res = await s.patch(`${path}/${key}${query}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const auditEntries = async (key: string) => {
    const rows = await s.store.db.selectFrom('audit_log').select(['doc', 'date']).where('resource', '=', `proj/shop:env/production:segment/${key}`).orderBy('date').execute();
    return rows.map((row) => JSON.parse(row.doc));
  };

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('changes name, description and tags; version goes up by one and lastModifiedDate is now', async () => {
    const created = await segment('details', { tags: ['a'] });
    const res = await patch('details', [
      { op: 'replace', path: '/name', value: 'Renamed' },
      { op: 'replace', path: '/description', value: 'Now described' },
      { op: 'add', path: '/tags/-', value: 'b' },
    ]);
    expect(res).toMatchObject({ name: 'Renamed', description: 'Now described', tags: ['a', 'b'], version: 2, lastModifiedDate: clock, creationDate: created.creationDate });
    expect(res._links).toEqual(created._links);
    expect(res).not.toHaveProperty('_flags');
    expect((await s.get(`${path}/details`)).body).toEqual({ ...res, _flags: [] });
  });

  it('every change bumps version by exactly one', async () => {
    await segment('counted');
    expect((await patch('counted', [{ op: 'add', path: '/tags/-', value: 'x' }])).version).toBe(2);
    expect((await patch('counted', [{ op: 'add', path: '/included/-', value: 'u1' }])).version).toBe(3);
    expect((await patch('counted', [{ op: 'add', path: '/tags/-', value: 'y' }, { op: 'add', path: '/excluded/-', value: 'u2' }, { op: 'replace', path: '/name', value: 'N' }])).version).toBe(4);
  });

  it('takes {comment, patch}; the update is audited with the comment, the operations, and before and after', async () => {
    await segment('commented');
    const ops = [{ op: 'replace', path: '/name', value: 'Commented' }];
    await patch('commented', { comment: 'because', patch: ops });
    const entries = await auditEntries('commented');
    expect(entries.map((e) => e.action)).toEqual(['createSegment', 'updateSegment']);
    expect(entries[1]).toMatchObject({ kind: 'segment', comment: 'because', delta: ops, name: 'Commented', before: { name: 'commented', version: 1 }, after: { name: 'Commented', version: 2 } });
  });

  it('sets individual targets: user keys in included/excluded, other kinds in the …Contexts lists; keys given twice are kept once', async () => {
    await segment('targets');
    const res = await patch('targets', [
      { op: 'replace', path: '/included', value: ['u1', 'u2', 'u1'] },
      { op: 'replace', path: '/excluded', value: ['u3'] },
      { op: 'replace', path: '/includedContexts', value: [{ contextKind: 'org', values: ['o1'] }, { contextKind: 'org', values: ['o2', 'o1'] }, { contextKind: 'device', values: ['d1'] }] },
      { op: 'replace', path: '/excludedContexts', value: [{ contextKind: 'org', values: ['o3'] }, { contextKind: 'empty', values: [] }] },
    ]);
    expect(res.included).toEqual(['u1', 'u2']);
    expect(res.excluded).toEqual(['u3']);
    expect(res.includedContexts).toEqual([{ contextKind: 'org', values: ['o1', 'o2'] }, { contextKind: 'device', values: ['d1'] }]);
    expect(res.excludedContexts).toEqual([{ contextKind: 'org', values: ['o3'] }]);
    // The kinds the project lacked are added to it, as the flags' targeting adds them.
    const kinds = (await s.get('/api/v2/projects/shop/context-kinds')).body.items.map((k: { key: string; createdFrom: string }) => [k.key, k.createdFrom]);
    expect(kinds).toEqual(expect.arrayContaining([['org', 'auto-add'], ['device', 'auto-add'], ['user', 'default']]));
    // And so does a new big segment's kind.
    await segment('big-accounts', { unbounded: true, unboundedContextKind: 'account' });
    expect((await s.get('/api/v2/projects/shop/context-kinds')).body.items.map((k: { key: string }) => k.key)).toContain('account');
  });

  it('a key may be included for one context kind and excluded for another', async () => {
    await segment('kinds');
    const res = await patch('kinds', [
      { op: 'replace', path: '/included', value: ['k'] },
      { op: 'replace', path: '/excludedContexts', value: [{ contextKind: 'org', values: ['k'] }] },
    ]);
    expect(res.included).toEqual(['k']);
    expect(res.excludedContexts).toEqual([{ contextKind: 'org', values: ['k'] }]);
  });

  it('new rules and clauses get server _ids; later edits keep them', async () => {
    await segment('rules');
    const added = await patch('rules', [
      {
        op: 'add',
        path: '/rules/0',
        value: { clauses: [{ contextKind: 'user', attribute: 'email', op: 'endsWith', values: ['.edu'], negate: false }, { attribute: 'tier', op: 'in', values: ['gold'] }] },
      },
    ]);
    const rule = added.rules[0];
    expect(rule._id).toMatch(UUID);
    expect(rule.clauses.map((c: { _id: string }) => c._id)).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    expect(rule.clauses[0]).toEqual({ _id: rule.clauses[0]._id, contextKind: 'user', attribute: 'email', op: 'endsWith', values: ['.edu'], negate: false });
    expect(rule.clauses[1]).toEqual({ _id: rule.clauses[1]._id, attribute: 'tier', op: 'in', values: ['gold'], negate: false });

    const edited = await patch('rules', [
      { op: 'add', path: '/rules/0/clauses/0/values/-', value: '.ac.uk' },
      { op: 'add', path: '/rules/0/description', value: 'Students' },
      { op: 'add', path: '/rules/-', value: { _id: 'my-rule', clauses: [{ _id: 'my-clause', attribute: 'country', op: 'in', values: ['SE'] }], weight: 25000, rolloutContextKind: 'org', bucketBy: 'key' } },
    ]);
    expect(edited.rules[0]._id).toBe(rule._id);
    expect(edited.rules[0].clauses[0]._id).toBe(rule.clauses[0]._id);
    expect(edited.rules[0].clauses[0].values).toEqual(['.edu', '.ac.uk']);
    expect(edited.rules[0].description).toBe('Students');
    expect(edited.rules[1]).toEqual({
      _id: 'my-rule',
      clauses: [{ _id: 'my-clause', attribute: 'country', op: 'in', values: ['SE'], negate: false }],
      weight: 25000,
      rolloutContextKind: 'org',
      bucketBy: 'key',
    });
    const removed = await patch('rules', [{ op: 'remove', path: '/rules/0' }]);
    expect(removed.rules.map((r: { _id: string }) => r._id)).toEqual(['my-rule']);
  });

  it('takes references the SDKs read (literal names without a context kind, a name ending in ~); stored references the check would refuse do not block other edits', async () => {
    await segment('references');
    const taken = await patch('references', [
      {
        op: 'add',
        path: '/rules/-',
        value: { clauses: [{ attribute: '/_meta/x', op: 'in', values: ['a'] }, { contextKind: 'user', attribute: 'tier~', op: 'in', values: ['a'] }], weight: 50000, rolloutContextKind: 'org', bucketBy: '/address/a~1b' },
      },
    ]);
    expect(taken.rules[0]).toMatchObject({ clauses: [{ attribute: '/_meta/x' }, { attribute: 'tier~' }], bucketBy: '/address/a~1b', rolloutContextKind: 'org' });

    // Written behind the API's back, as data stored before the check.
    const row = await s.store.db.selectFrom('segments').select(['id', 'doc']).where('key', '=', 'references').executeTakeFirstOrThrow();
    const doc = JSON.parse(row.doc);
    doc.rules[0].clauses.push({ _id: 'old-clause', contextKind: 'user', attribute: '/_meta/privateAttributes', op: 'in', values: ['x'], negate: false });
    doc.rules[0].bucketBy = '/a//b';
    await s.store.tx((trx) => trx.updateTable('segments').set({ doc: JSON.stringify(doc) }).where('id', '=', row.id).execute());
    const project = await s.store.db.selectFrom('projects').select('id').where('key', '=', 'shop').executeTakeFirstOrThrow();
    s.deps.changed({ kind: 'segment', projectId: project.id, id: row.id });

    expect((await s.get(`${path}/references`)).body.rules[0].bucketBy).toBe('/a//b');
    const renamed = await patch('references', [{ op: 'replace', path: '/name', value: 'Renamed' }]);
    expect(renamed).toMatchObject({ name: 'Renamed', rules: [{ bucketBy: '/a//b', clauses: [{}, {}, { attribute: '/_meta/privateAttributes' }] }] });
    const refused = await s.patch(`${path}/references`, [{ op: 'replace', path: '/rules/0/bucketBy', value: '/_meta/y' }]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ attribute: 'rules[0].bucketBy' })]);
  });

  it('a patch that changes nothing writes nothing: same version, same lastModifiedDate, no audit entry', async () => {
    const created = await segment('idle', { tags: ['a'], description: 'd' });
    let same: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      same = await s.patch(`${path}/idle`, [
        { op: 'replace', path: '/name', value: 'idle' },
        { op: 'replace', path: '/tags', value: ['a'] },
        { op: 'add', path: '/included', value: [] },
      ]);
    });
    expect(same!.status).toBe(200);
    expect(changed).toBe(false);
    expect(same!.body).toEqual(created);
    expect((await auditEntries('idle')).map((e) => e.action)).toEqual(['createSegment']);
  });

  it('read-only fields may be tested, or set to the value they already have', async () => {
    const created = await segment('readonly');
    const res = await patch('readonly', [
      { op: 'test', path: '/version', value: 1 },
      { op: 'test', path: '/key', value: 'readonly' },
      { op: 'replace', path: '/version', value: 1 },
      { op: 'replace', path: '/creationDate', value: created.creationDate },
      { op: 'replace', path: '/unbounded', value: false },
      { op: 'replace', path: '/name', value: 'Guarded' },
    ]);
    expect(res).toMatchObject({ name: 'Guarded', version: 2, key: 'readonly', creationDate: created.creationDate, unbounded: false, deleted: false, generation: 1 });
  });

  it('removing the description is a change', async () => {
    await segment('described', { description: 'to go' });
    const res = await patch('described', [{ op: 'remove', path: '/description' }]);
    expect(res).not.toHaveProperty('description');
    expect(res.version).toBe(2);
  });

  it("Terraform's update: `remove /tags` empties the tags, the empty `{}` entries it puts before each target are dropped, a rollout's context kind defaults to user", async () => {
    await segment('tf-update', { tags: ['old'] });
    const res = await patch('tf-update', {
      comment: 'Terraform',
      patch: [
        { op: 'replace', path: '/name', value: 'TF' },
        { op: 'replace', path: '/description', value: '' },
        { op: 'replace', path: '/temporary', value: 'temporary' },
        { op: 'replace', path: '/included', value: ['u1'] },
        { op: 'replace', path: '/excluded', value: [] },
        { op: 'replace', path: '/rules', value: [{ clauses: [{ attribute: 'plan', op: 'in', values: ['pro'], negate: false, contextKind: 'user' }], weight: 50000, bucketBy: 'bucket' }] },
        { op: 'replace', path: '/includedContexts', value: [{}, {}, { values: ['a1', 'a2'], contextKind: 'account' }, { values: ['o1'], contextKind: 'org' }] },
        { op: 'replace', path: '/excludedContexts', value: [{}, { values: ['bad'], contextKind: 'account' }] },
        { op: 'remove', path: '/tags' },
      ],
    });
    expect(res).toMatchObject({ name: 'TF', tags: [], included: ['u1'], version: 2 });
    // A rollout without a context kind is a rollout of users ("should default when missing", the provider's tests say).
    expect(res.rules[0]).toMatchObject({ weight: 50000, bucketBy: 'bucket', rolloutContextKind: 'user' });
    expect(res.includedContexts).toEqual([{ contextKind: 'account', values: ['a1', 'a2'] }, { contextKind: 'org', values: ['o1'] }]);
    expect(res.excludedContexts).toEqual([{ contextKind: 'account', values: ['bad'] }]);
    expect((await s.get(`${path}/tf-update`)).body).toMatchObject({ tags: [], includedContexts: res.includedContexts });
  });

  it('dryRun=true answers with the would-be segment and writes nothing', async () => {
    const created = await segment('dry');
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(`${path}/dry?dryRun=true`, [{ op: 'replace', path: '/name', value: 'Dry run' }]);
    });
    expect(res!.status).toBe(200);
    expect(res!.body).toMatchObject({ name: 'Dry run', version: 2 });
    expect(changed).toBe(false);
    expect((await s.get(`${path}/dry`)).body).toEqual({ ...created, _flags: [] });
    expect((await patch('dry', [{ op: 'replace', path: '/name', value: 'For real' }], '?dryRun=false')).version).toBe(2);
  });

  it('patches one environment\'s segment only: the same key in the other environment is untouched', async () => {
    await segment('twin');
    const other = (await s.post('/api/v2/segments/shop/test', { name: 'twin', key: 'twin' })).body;
    await patch('twin', [{ op: 'replace', path: '/name', value: 'Production twin' }]);
    expect((await s.get('/api/v2/segments/shop/test/twin')).body).toEqual({ ...other, _flags: [] });
  });

  it('concurrent patches are applied one after the other, none lost', async () => {
    await segment('busy');
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((tag) => s.patch(`${path}/busy`, [{ op: 'add', path: '/tags/-', value: tag }])));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const after = (await s.get(`${path}/busy`)).body;
    expect([...after.tags].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(after.version).toBe(5);
  });
});
