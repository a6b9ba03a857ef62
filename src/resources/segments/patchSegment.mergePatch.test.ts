import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('patchSegment: JSON merge patch', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  const path = '/api/v2/segments/shop/production/beta';
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/segments/shop/production', { name: 'Beta', key: 'beta', description: 'Opted in', tags: ['beta'] });
  });
  afterAll(() => s.close());

  it('sets values and replaces arrays; rules get _ids; one version for the merge', async () => {
    const before = (await s.get(path)).body;
    clock += 1000;
    const res = await s.patch(path, {
      comment: 'merge',
      merge: {
        name: 'Beta testers',
        tags: ['beta', 'qa'],
        included: ['u1', 'u2'],
        excludedContexts: [{ contextKind: 'org', values: ['o1'] }],
        rules: [{ clauses: [{ attribute: 'email', op: 'endsWith', values: ['.edu'] }], weight: 40000, rolloutContextKind: 'user' }],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Beta testers',
      description: 'Opted in',
      tags: ['beta', 'qa'],
      included: ['u1', 'u2'],
      excluded: [],
      excludedContexts: [{ contextKind: 'org', values: ['o1'] }],
      version: before.version + 1,
      lastModifiedDate: clock,
      creationDate: before.creationDate,
    });
    expect(res.body.rules).toEqual([
      { _id: expect.stringMatching(UUID), weight: 40000, rolloutContextKind: 'user', clauses: [{ _id: expect.stringMatching(UUID), attribute: 'email', op: 'endsWith', values: ['.edu'], negate: false }] },
    ]);
    expect((await s.get(path)).body).toEqual({ ...res.body, _flags: [] });
  });

  it('the update is audited with the comment and the merge as the delta', async () => {
    clock += 1000;
    await s.patch(path, { comment: 'tags only', merge: { tags: ['beta'] } });
    const entry = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'proj/shop:env/production:segment/beta').orderBy('date', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'updateSegment', comment: 'tags only', delta: { tags: ['beta'] }, before: { tags: ['beta', 'qa'] }, after: { tags: ['beta'] } });
  });

  it('null removes the description; a merge that changes nothing writes nothing, read-only values sent back unchanged included', async () => {
    clock += 1000;
    const res = await s.patch(path, { merge: { description: null } });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('description');
    const current = res.body;
    let same: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      same = await s.patch(path, { merge: { key: 'beta', version: current.version, unbounded: false, name: current.name, tags: current.tags } });
    });
    expect(changed).toBe(false);
    expect(same!.status).toBe(200);
    expect(same!.body).toEqual(current);
  });

  it('400 naming merge.<field> for read-only or unknown fields, and the field a merge leaves invalid; nothing changes', async () => {
    const patchable = 'is not a field that can be patched; patchable fields are name, description, tags, included, excluded, includedContexts, excludedContexts, rules';
    const cases: [unknown, string, string][] = [
      [{ merge: { key: 'other' } }, 'merge.key', 'is read-only and cannot be changed'],
      [{ merge: { version: 99 } }, 'merge.version', 'is read-only and cannot be changed'],
      [{ merge: { creationDate: 1 } }, 'merge.creationDate', 'is read-only and cannot be changed'],
      [{ merge: { unbounded: true } }, 'merge.unbounded', 'is read-only and cannot be changed'],
      [{ merge: { salt: 'x' } }, 'merge.salt', patchable],
      [{ merge: { _flags: [] } }, 'merge._flags', patchable],
      [{ merge: { tags: null } }, 'tags', 'must be present'],
      [{ merge: { name: '' } }, 'name', 'must not be empty'],
      [{ merge: { rules: [{ weight: 100001, clauses: [] }] } }, 'rules[0].weight', 'must be <= 100000'],
      [{ merge: { included: ['u1'], excluded: ['u1'] } }, 'included[0]', '"u1" is also excluded; a key cannot be both included and excluded'],
      [{ merge: 'name' }, 'merge', 'must be an object (RFC 7386 JSON merge patch of the segment)'],
      [{ merge: ['name'] }, 'merge', 'must be an object (RFC 7386 JSON merge patch of the segment)'],
      [{ comment: 5, merge: {} }, 'comment', 'must be a string'],
    ];
    for (const [body, attribute, reason] of cases) {
      let res: Response | undefined;
      const changed = await changedBy(s.store, async () => (res = await s.patch(path, body)));
      expect(res!.status, `${JSON.stringify(body)} -> ${JSON.stringify(res!.body)}`).toBe(400);
      expect(res!.body.code).toBe('invalid_request');
      expect(res!.body.errors, JSON.stringify(body)).toEqual([{ attribute, reason }]);
      expect(res!.body.message).toContain(attribute);
      expect(changed).toBe(false);
    }
  });

  it('the body itself as a merge patch is taken as {merge} is: its comment is the comment, its rules the same', async () => {
    const before = (await s.get(path)).body;
    clock += 1000;
    const res = await s.patch(path, { comment: 'bare', description: 'New segment description' }, { headers: { 'content-type': 'application/merge-patch+json' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect({ ...res.body, _flags: [] }).toEqual({ ...before, description: 'New segment description', version: before.version + 1, lastModifiedDate: clock });
    const entry = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'proj/shop:env/production:segment/beta').orderBy('date', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'updateSegment', comment: 'bare', delta: { description: 'New segment description' } });
    let refused: Response | undefined;
    expect(await changedBy(s.store, async () => (refused = await s.patch(path, { version: 99 })))).toBe(false);
    expect(refused!.body.errors).toEqual([{ attribute: 'merge.version', reason: 'is read-only and cannot be changed' }]);
  });

  it('a reader may not merge', async () => {
    const res = await s.patch(path, { merge: { name: 'Reader' } }, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });
});
