import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchSegment: errors (JSON Patch)', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production/beta';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/segments/shop/production', { name: 'Beta', key: 'beta', tags: ['beta'] });
    await s.patch(path, [
      { op: 'replace', path: '/included', value: ['in-1'] },
      { op: 'replace', path: '/excluded', value: ['out-1'] },
      { op: 'add', path: '/rules/-', value: { _id: 'rule-1', clauses: [{ _id: 'clause-1', attribute: 'email', op: 'endsWith', values: ['.edu'] }] } },
    ]);
  });
  afterAll(() => s.close());

  /** A 400 whose only error is `attribute` with `reason`, named in the message too; the store is as before. */
  async function refused(body: unknown, attribute: string, reason: string | RegExp, query = '') {
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(`${path}${query}`, body);
    });
    expect(res!.status, JSON.stringify(res!.body)).toBe(400);
    expect(res!.body.code).toBe('invalid_request');
    expect(res!.body.errors).toEqual([{ attribute, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) }]);
    expect(res!.body.message).toContain(attribute);
    expect(changed).toBe(false);
  }

  it('400 for a key both included and excluded, naming where the key is included', async () => {
    await refused([{ op: 'add', path: '/included/-', value: 'out-1' }], 'included[1]', '"out-1" is also excluded; a key cannot be both included and excluded');
    await refused([{ op: 'add', path: '/excluded/-', value: 'in-1' }], 'included[0]', '"in-1" is also excluded; a key cannot be both included and excluded');
    await refused(
      [
        { op: 'replace', path: '/includedContexts', value: [{ contextKind: 'org', values: ['o1', 'o2'] }] },
        { op: 'replace', path: '/excludedContexts', value: [{ contextKind: 'org', values: ['o2'] }] },
      ],
      'includedContexts[0].values[1]',
      '"o2" (org) is also excluded; a key cannot be both included and excluded',
    );
  });

  it('400 for a user key included in one list and excluded in the other (included and excludedContexts, or the reverse)', async () => {
    await refused(
      [{ op: 'replace', path: '/excludedContexts', value: [{ contextKind: 'user', values: ['in-1'] }] }],
      'included[0]',
      '"in-1" is also excluded; a key cannot be both included and excluded',
    );
    await refused(
      [{ op: 'replace', path: '/includedContexts', value: [{ contextKind: 'user', values: ['out-1'] }] }],
      'includedContexts[0].values[0]',
      '"out-1" (user) is also excluded; a key cannot be both included and excluded',
    );
  });

  it('400 naming each read-only field a patch would change', async () => {
    for (const [field, value] of [
      ['key', 'other'],
      ['version', 9],
      ['creationDate', 1],
      ['lastModifiedDate', 1],
      ['deleted', true],
      ['generation', 2],
      ['unbounded', true],
    ] as const) {
      await refused([{ op: 'replace', path: `/${field}`, value }], `/${field}`, 'is read-only and cannot be changed');
    }
  });

  it('400 naming a field that cannot be patched at all, or a path that names no field', async () => {
    const reason = 'is not a field that can be patched; patchable fields are name, description, tags, included, excluded, includedContexts, excludedContexts, rules, temporary';
    await refused([{ op: 'add', path: '/salt', value: 'x' }], '/salt', reason);
    await refused([{ op: 'add', path: '/_flags', value: [] }], '/_flags', reason);
    await refused([{ op: 'replace', path: '', value: {} }], 'patch[0].path', 'must name a field; the whole resource cannot be replaced');
  });

  it("400 for a write below a field whose name starts with _ (a rule's or clause's _id), as on flags; a test of it is taken", async () => {
    const reason = 'is read-only (fields whose names start with _ are)';
    await refused([{ op: 'replace', path: '/rules/0/_id', value: 'rule-2' }], '/rules/0/_id', reason);
    await refused([{ op: 'replace', path: '/rules/0/clauses/0/_id', value: 'clause-2' }], '/rules/0/clauses/0/_id', reason);
    await refused([{ op: 'remove', path: '/rules/0/_id' }], '/rules/0/_id', reason);
    await refused([{ op: 'move', from: '/rules/0/_id', path: '/rules/0/description' }], '/rules/0/_id', reason);
    await refused({ comment: 'c', patch: [{ op: 'add', path: '/rules/0/clauses/0/_id', value: 'x' }] }, '/rules/0/clauses/0/_id', reason);
    const tested = await s.patch(path, [{ op: 'test', path: '/rules/0/_id', value: 'rule-1' }]);
    expect(tested.status).toBe(200);
    expect(tested.body.rules[0]._id).toBe('rule-1');
  });

  it('400 naming the operation that is malformed or cannot apply', async () => {
    await refused([{ path: '/name', value: 'x' }], 'patch[0]', 'op must be one of add, remove, replace, move, copy, test');
    await refused([{ op: 'replace', path: '/name', value: 'ok' }, { op: 'remove', path: '/tags/5' }], 'patch[1]', 'remove /tags/5: index 5 is out of range (length 1)');
  });

  it('400 naming the field a patch leaves with the wrong shape', async () => {
    await refused([{ op: 'replace', path: '/name', value: '' }], 'name', 'must not be empty');
    await refused([{ op: 'remove', path: '/name' }], 'name', 'must be present');
    await refused([{ op: 'replace', path: '/included', value: 'u1' }], 'included', 'must be an array');
    await refused([{ op: 'replace', path: '/includedContexts', value: [{ values: ['o'] }] }], 'includedContexts[0].contextKind', 'must be present');
    await refused([{ op: 'replace', path: '/excludedContexts', value: [{}, { values: ['o'] }] }], 'excludedContexts[1].contextKind', 'must be present');
    await refused([{ op: 'add', path: '/rules/-', value: { weight: 100001, clauses: [] } }], 'rules[1].weight', 'must be <= 100000');
    await refused([{ op: 'add', path: '/rules/0/clauses/0/op', value: 'bogus' }], 'rules[0].clauses[0].op', /^must be one of "in", "endsWith", .*"segmentMatch"/);
  });

  it('400 for a regular expression that does not compile in a matches clause', async () => {
    await refused(
      [{ op: 'add', path: '/rules/-', value: { clauses: [{ attribute: 'email', op: 'matches', values: ['('] }] } }],
      'rules[1].clauses[0].values[0]',
      '"(" is not a valid regular expression',
    );
  });

  it('400 for a segmentMatch on a segment that does not exist, on itself, or that closes a cycle; a referenced segment cannot be deleted', async () => {
    const match = (key: string) => [{ op: 'add', path: '/rules/-', value: { clauses: [{ attribute: 'key', op: 'segmentMatch', values: [key] }] } }];
    await refused(match('ghost'), 'rules[1].clauses[0].values[0]', 'unknown segment "ghost" in this environment');
    await refused(match('beta'), 'rules[1].clauses[0].values[0]', 'a segment cannot match on itself');
    // outer -> inner is fine; inner -> outer would close the loop.
    for (const key of ['outer', 'inner']) expect((await s.post('/api/v2/segments/shop/production', { name: key, key })).status).toBe(201);
    expect((await s.patch('/api/v2/segments/shop/production/outer', match('inner'))).status).toBe(200);
    const loop = await s.patch('/api/v2/segments/shop/production/inner', match('outer'));
    expect(loop.status).toBe(400);
    expect(loop.body.errors).toEqual([{ attribute: 'rules[0].clauses[0].values[0]', reason: 'would make a cycle of segments (inner -> outer -> inner), which SDKs cannot evaluate' }]);
    const deleted = await s.request('DELETE', '/api/v2/segments/shop/production/inner');
    expect(deleted.status).toBe(409);
    expect(deleted.body.message).toMatch(/used by the rules of segment "outer"/);
    expect((await s.patch('/api/v2/segments/shop/production/outer', [{ op: 'remove', path: '/rules/0' }])).status).toBe(200);
    expect((await s.request('DELETE', '/api/v2/segments/shop/production/inner')).status).toBe(204);
  });

  it('400 for a clause whose attribute is not an attribute reference, or whose context kind cannot be one (kind, multi)', async () => {
    const rule = (clause: Record<string, unknown>) => [{ op: 'add', path: '/rules/-', value: { clauses: [{ op: 'in', values: ['x'], negate: false, ...clause }] } }];
    await refused(rule({ contextKind: 'user', attribute: '/' }), 'rules[1].clauses[0].attribute', /"\/" is not an attribute reference: each \/-separated part must be a non-empty name/);
    await refused(rule({ contextKind: 'user', attribute: '/address//city' }), 'rules[1].clauses[0].attribute', /not an attribute reference/);
    await refused(rule({ contextKind: 'user', attribute: '/a~2b' }), 'rules[1].clauses[0].attribute', /"~" must be followed by 0 or 1/);
    await refused(rule({ contextKind: 'multi', attribute: 'key' }), 'rules[1].clauses[0].contextKind', /"multi" is not a context kind/);
    await refused(rule({ contextKind: 'kind', attribute: 'key' }), 'rules[1].clauses[0].contextKind', /"kind" is not a context kind/);
    await refused(rule({ contextKind: 'org unit', attribute: 'key' }), 'rules[1].clauses[0].contextKind', /only letters, digits/);
    await refused([{ op: 'add', path: '/includedContexts/-', value: { contextKind: 'multi', values: ['m'] } }], 'includedContexts[0].contextKind', /"multi" is not a context kind/);
    // References that are paths, with escapes, are taken (a dry run: the segment stays as the other tests expect it).
    const ok = await s.patch(`${path}?dryRun=true`, rule({ contextKind: 'user', attribute: '/address/a~1b~0c' }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.rules[1].clauses[0].attribute).toBe('/address/a~1b~0c');
  });

  it('400 for a reference into _meta in a clause, and for a bucketBy the SDKs cannot read (a reference once the rule rolls out by a context kind)', async () => {
    const clause = (attribute: string) => [{ op: 'add', path: '/rules/-', value: { clauses: [{ contextKind: 'user', attribute, op: 'in', values: ['x'], negate: false }] } }];
    await refused(clause('/_meta/privateAttributes'), 'rules[1].clauses[0].attribute', /"\/_meta\/privateAttributes" names _meta/);
    await refused(clause('/a~'), 'rules[1].clauses[0].attribute', /"~" must be followed by 0 or 1/);
    const rule = (extra: Record<string, unknown>) => [{ op: 'add', path: '/rules/-', value: { clauses: [], weight: 50000, ...extra } }];
    await refused(rule({ rolloutContextKind: 'org', bucketBy: '/address//city' }), 'rules[1].bucketBy', /"\/address\/\/city" is not an attribute reference/);
    // A weight without a rollout context kind rolls out by user contexts (stored so), whose bucketBy is then a reference.
    await refused(rule({ bucketBy: '/_meta/x' }), 'rules[1].bucketBy', /names _meta/);
  });

  it('400 for a rule or clause _id used twice', async () => {
    await refused([{ op: 'add', path: '/rules/-', value: { _id: 'rule-1', clauses: [] } }], 'rules[1]._id', 'duplicates the _id of rules[0]');
    await refused(
      [{ op: 'add', path: '/rules/0/clauses/-', value: { _id: 'clause-1', attribute: 'country', op: 'in', values: ['SE'] } }],
      'rules[0].clauses[1]._id',
      'duplicates the _id of another clause of this rule',
    );
  });

  it('400 when the segment would hold more than 15,000 individual targets (a big segment holds more)', async () => {
    const keys = Array.from({ length: 15000 }, (_, i) => `user-${i}`);
    await refused(
      [{ op: 'replace', path: '/included', value: keys }],
      'included',
      'the segment would have 15001 individual targets; a standard segment holds at most 15000 (create a big segment, unbounded: true, for more)',
    );
  });

  it('409 optimistic_locking_error when a test operation fails; nothing changes', async () => {
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(path, [{ op: 'test', path: '/version', value: 1 }, { op: 'replace', path: '/name', value: 'Stale' }]);
    });
    expect(res!.status).toBe(409);
    expect(res!.body).toEqual({ code: 'optimistic_locking_error', message: 'Conflict. Optimistic lock error: operation 0 test failed: /version is 2, not 1' });
    expect(changed).toBe(false);
  });

  it('400 for a body that names nothing to change (empty, or a comment alone), and for a comment that is not a string', async () => {
    for (const body of [{}, { comment: 'x' }]) {
      await refused(body, 'patch', 'must be present (or send the JSON Patch array itself as the body, a JSON merge patch as the body itself or as {"merge": ...}, or a semantic patch {"instructions": [...]})');
    }
    await refused({ comment: 5, name: 'x' }, 'comment', 'must be a string');
    await refused({ comment: 5, patch: [] }, 'comment', 'must be a string');
  });

  it('400 for a dryRun that is not true or false', async () => {
    await refused([{ op: 'replace', path: '/name', value: 'x' }], 'dryRun', 'must be true or false, not "maybe"', '?dryRun=maybe');
  });

  it('404 naming the segment, the project or the environment that does not exist', async () => {
    const rename = [{ op: 'replace', path: '/name', value: 'x' }];
    const segment = await s.patch('/api/v2/segments/shop/production/nope', rename);
    expect(segment.status).toBe(404);
    expect(segment.body).toEqual({ code: 'not_found', message: 'Segment "nope" in environment "production" of project "shop" not found' });
    const project = await s.patch('/api/v2/segments/nope/production/beta', rename);
    expect(project.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const environment = await s.patch('/api/v2/segments/shop/staging/beta', rename);
    expect(environment.body).toEqual({ code: 'not_found', message: 'Environment "staging" in project "shop" not found' });
    expect((await s.patch('/api/v2/segments/shop/test/beta', rename)).status).toBe(404);
  });
});
