// The shared patch reader and applier as a resource's route sees them (applications and custom roles here): a body that
// is itself a merge patch, and LaunchDarkly's documented `test /version` lock on a representation with `_version`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverWithApplications } from '../../../test/support/applications.js';
import { changedBy } from '../../../test/support/digest.js';
import { BETA, withBeta } from '../../../test/support/experimentRefs.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { wrapBareMergePatch } from './resourcePatch.js';

describe('wrapBareMergePatch', () => {
  it('reads an object naming no form, with a member besides comment, as {comment?, merge}', () => {
    expect(wrapBareMergePatch({ description: 'd' })).toEqual({ merge: { description: 'd' } });
    expect(wrapBareMergePatch({ comment: 'why', description: 'd' })).toEqual({ comment: 'why', merge: { description: 'd' } });
    // A comment that is no string is still the comment, for readComment to refuse.
    expect(wrapBareMergePatch({ comment: 5, description: 'd' })).toEqual({ comment: 5, merge: { description: 'd' } });
  });

  it('leaves every other body as it is', () => {
    for (const body of [[], 'x', null, {}, { comment: 'only' }, { patch: [] }, { merge: {} }, { instructions: [] }, { description: 'd', patch: [] }]) {
      expect(wrapBareMergePatch(body)).toBe(body);
    }
  });
});

describe('readResourceEdit and applyResourcePatch over HTTP', () => {
  let s: TestServer;
  const path = '/api/v2/applications/cafe';
  beforeAll(async () => {
    ({ s } = await serverWithApplications(['application-id/cafe application-name/Cafe']));
  });
  afterAll(() => s.close());

  it('a bare merge patch changes the description and moves _version on, as {merge} does; its comment is the comment', async () => {
    const before = (await s.get(path, BETA)).body;
    const bare = await s.patch(path, { description: 'New description' }, BETA);
    expect(bare.status, JSON.stringify(bare.body)).toBe(200);
    expect(bare.body).toEqual({ ...before, description: 'New description', _version: before._version + 1 });
    const wrapped = await s.patch(path, { merge: { description: 'Wrapped description' } }, BETA);
    expect(wrapped.body).toEqual({ ...before, description: 'Wrapped description', _version: before._version + 2 });

    const commented = await s.patch(path, { comment: 'as documented', description: 'Commented' }, withBeta({ headers: { 'content-type': 'application/merge-patch+json' } }));
    expect(commented.status, JSON.stringify(commented.body)).toBe(200);
    expect(commented.body).toEqual({ ...before, description: 'Commented', _version: before._version + 3 });
    expect((await s.get(path, BETA)).body).toEqual(commented.body);
    const entries = await s.get('/api/v2/auditlog?spec=application/cafe');
    const latest = await s.get(`/api/v2/auditlog/${entries.body.items[0]._id}`);
    expect(latest.body).toMatchObject({ comment: 'as documented', delta: { description: 'Commented' } });
  });

  it('a bare merge patch keeps the rules of {merge}, and a body with nothing to change is still a 400; nothing written', async () => {
    const cases: [unknown, { attribute: string; reason: string | RegExp }][] = [
      [{ name: 'Renamed' }, { attribute: '/name', reason: 'is read-only and cannot be changed' }],
      [{ owner: 'me' }, { attribute: '/owner', reason: /^is not a field that can be patched/ }],
      [{ comment: 5, description: 'x' }, { attribute: 'comment', reason: 'must be a string' }],
      [{}, { attribute: 'patch', reason: 'must be present (or send the JSON Patch array itself as the body, or a JSON merge patch as the body itself or as {"merge": ...})' }],
      [{ comment: 'nothing' }, { attribute: 'patch', reason: /^must be present/ }],
    ];
    for (const [body, error] of cases) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(path, body, BETA)))).toBe(false);
      expect(res!.status, JSON.stringify(body)).toBe(400);
      expect(res!.body.code).toBe('invalid_request');
      expect(res!.body.errors, JSON.stringify(body)).toContainEqual({ attribute: error.attribute, reason: typeof error.reason === 'string' ? error.reason : expect.stringMatching(error.reason) });
    }
  });

  it("`test /version` reads _version (LaunchDarkly's documented lock): the current one lets the patch apply, a stale one is a 409", async () => {
    const before = (await s.get(path, BETA)).body;
    const lock = (version: number) => [
      { op: 'test', path: '/version', value: version },
      { op: 'replace', path: '/description', value: `Locked at ${version}` },
    ];
    let stale: Response | undefined;
    expect(await changedBy(s.store, async () => (stale = await s.patch(path, lock(before._version - 1), BETA)))).toBe(false);
    expect(stale!.status).toBe(409);
    expect(stale!.body).toEqual({ code: 'optimistic_locking_error', message: `Conflict. Optimistic lock error: operation 0 test failed: /version is ${before._version}, not ${before._version - 1}` });

    const res = await s.patch(path, lock(before._version), BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...before, description: `Locked at ${before._version}`, _version: before._version + 1 });
  });
});

describe('a bare merge patch of a custom role', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/roles', { key: 'ops', name: 'Ops', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] });
  });
  afterAll(() => s.close());

  it('changes the description, as {merge} does', async () => {
    const before = (await s.get('/api/v2/roles/ops')).body;
    const res = await s.patch('/api/v2/roles/ops', { description: 'New role description' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...before, description: 'New role description' });
    expect((await s.get('/api/v2/roles/ops')).body).toEqual(res.body);
  });
});
