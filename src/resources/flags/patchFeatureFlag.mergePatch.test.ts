import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchFeatureFlag: JSON merge patch', () => {
  let s: TestServer;
  const path = '/api/v2/flags/shop/dark-mode';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { name: 'Dark mode', key: 'dark-mode', tags: ['ui'] });
  });
  afterAll(() => s.close());

  it('merges objects, replaces arrays and values, and bumps only what changed', async () => {
    const before = (await s.get(path)).body;
    const res = await s.patch(path, {
      comment: 'merge',
      merge: { description: 'Dark theme', tags: ['ui', 'theme'], environments: { production: { on: true, rules: [{ variation: 0, clauses: [{ attribute: 'beta', op: 'in', values: [true] }] }] } } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ description: 'Dark theme', tags: ['ui', 'theme'], _version: before._version + 1 });
    expect(res.body.environments.production).toMatchObject({ on: true, version: before.environments.production.version + 1 });
    expect(res.body.environments.production.rules[0]).toMatchObject({ variation: 0, trackEvents: false, clauses: [{ attribute: 'beta', negate: false }] });
    expect(res.body.environments.test.version).toBe(before.environments.test.version);
  });

  it("the body itself as a merge patch, as LaunchDarkly documents ({\"description\": ...}), is taken as {merge} is", async () => {
    for (const contentType of ['application/json', 'application/merge-patch+json']) {
      const before = (await s.get(path)).body;
      const res = await s.patch(path, { description: `New flag description (${contentType})` }, { headers: { 'content-type': contentType } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ ...before, description: `New flag description (${contentType})`, _version: before._version + 1 });
      expect((await s.get(path)).body).toEqual(res.body);
    }
    // A string `comment` is the update's comment, not a member of the flag; the audit log keeps the merge as its delta.
    const before = (await s.get(path)).body;
    const res = await s.patch(path, { comment: 'documented', description: 'Commented' });
    expect(res.body).toEqual({ ...before, description: 'Commented', _version: before._version + 1 });
    const entries = await s.get('/api/v2/auditlog?spec=proj/shop:env/*:flag/dark-mode');
    const latest = await s.get(`/api/v2/auditlog/${entries.body.items[0]._id}`);
    expect(latest.body).toMatchObject({ comment: 'documented', delta: { description: 'Commented' } });
  });

  it('a JSON Patch and a merge patch side by side: 400 naming merge, nothing written', async () => {
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.patch(path, { patch: [{ op: 'replace', path: '/description', value: 'x' }], merge: { environments: { production: { on: false } } } });
    });
    expect(res?.status).toBe(400);
    expect(res?.body).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('merge') });
    expect(changed).toBe(false);
  });

  it('null removes an optional field; a merge that changes nothing writes nothing', async () => {
    const res = await s.patch(path, { merge: { maintainerId: null } });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('maintainerId');
    const current = res.body;
    let same: Response | undefined;
    // Sending back read-only values unchanged (e.g. a whole GET response) is allowed.
    expect(await changedBy(s.store, async () => (same = await s.patch(path, { merge: { key: 'dark-mode', _version: current._version, name: current.name } })))).toBe(false);
    expect(same!.status).toBe(200);
    expect(same!.body).toEqual(current);
  });

  it('400 naming merge.<field> for read-only fields it would change, unknown environments and invalid results; nothing changes', async () => {
    const cases: [unknown, string][] = [
      [{ merge: { key: 'other' } }, 'merge.key'],
      [{ merge: { _version: 99 } }, 'merge._version'],
      [{ merge: { environments: { production: { version: 7 } } } }, 'merge.environments.production.version'],
      [{ merge: { environments: { staging: { on: true } } } }, 'merge.environments.staging'],
      [{ merge: { environments: { production: null } } }, 'merge.environments.production'],
      [{ merge: { description: null } }, 'description'],
      [{ merge: { environments: { production: { offVariation: 5 } } } }, 'environments.production.offVariation'],
      [{ merge: 'name' }, 'merge'],
      [{ comment: 5, merge: {} }, 'comment'],
      // The body itself as the merge patch: the same rules; a body with nothing to change is no merge patch.
      [{ key: 'other' }, 'merge.key'],
      [{ comment: 5, description: 'x' }, 'comment'],
      [{}, 'patch'],
      [{ comment: 'nothing to change' }, 'patch'],
    ];
    for (const [body, attribute] of cases) {
      let res: Response | undefined;
      const changed = await changedBy(s.store, async () => (res = await s.patch(path, body)));
      expect(res!.status, `${JSON.stringify(body)} -> ${JSON.stringify(res!.body)}`).toBe(400);
      expect(res!.body.errors.map((e: { attribute: string }) => e.attribute), JSON.stringify(body)).toContain(attribute);
      expect(changed).toBe(false);
    }
    // A body whose content type says semantic patch is one, whatever its members: it needs instructions.
    const semantic = await s.patch(path, { description: 'x' }, { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
    expect(semantic.status).toBe(400);
    expect(semantic.body.errors.map((e: { attribute: string }) => e.attribute)).toContain('instructions');
  });
});
