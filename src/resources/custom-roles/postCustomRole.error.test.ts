import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

type FieldError = { attribute: string; reason: string };

describe('postCustomRole: errors', () => {
  let s: TestServer;
  const base = { key: 'ops', name: 'Ops', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] };
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  /** A 400 invalid_request with exactly these errors, each named in the message; the store is untouched. */
  async function rejects(body: unknown, errors: FieldError[]) {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post('/api/v2/roles', body)))).toBe(false);
    expect(res!.status).toBe(400);
    expect(res!.body.code).toBe('invalid_request');
    expect(res!.body.errors).toEqual(errors);
    for (const e of errors) expect(res!.body.message).toContain(`${e.attribute}: ${e.reason}`);
  }

  it('400 naming each required field that is missing', async () => {
    await rejects({}, [
      { attribute: 'name', reason: 'must be present' },
      { attribute: 'key', reason: 'must be present' },
      { attribute: 'policy', reason: 'must be present' },
    ]);
  });

  it('400 naming fields of the wrong type or out of their range', async () => {
    await rejects({ key: 'bad key', name: '', policy: 'all', basePermissions: 'writer', resourceCategory: 'team' }, [
      { attribute: 'name', reason: 'must not be empty' },
      { attribute: 'key', reason: "must start with a letter or digit and contain only letters, digits, '.', '_' or '-'" },
      { attribute: 'policy', reason: 'must be an array' },
      { attribute: 'basePermissions', reason: 'must be one of "reader", "no_access"' },
      { attribute: 'resourceCategory', reason: 'must be one of "organization", "project", "any"' },
    ]);
    await rejects({ ...base, description: 7 }, [{ attribute: 'description', reason: 'must be a string' }]);
  });

  it("400 naming a statement's effect and members when their types are wrong", async () => {
    await rejects({ ...base, policy: [{ resources: ['proj/*'], actions: ['*'] }] }, [{ attribute: 'policy[0].effect', reason: 'must be present' }]);
    await rejects({ ...base, policy: [{ effect: 'permit', resources: 'proj/*', actions: ['*'] }] }, [
      { attribute: 'policy[0].effect', reason: 'must be one of "allow", "deny"' },
      { attribute: 'policy[0].resources', reason: 'must be an array' },
    ]);
  });

  it('400 naming each statement that lists both or neither of resources/notResources and actions/notActions', async () => {
    await rejects({ ...base, policy: [base.policy[0], { effect: 'allow', resources: ['proj/*'], notResources: ['proj/x'], actions: [] }] }, [
      { attribute: 'policy[1].notResources', reason: 'must be empty when resources is given; a statement takes resources or notResources, not both' },
      { attribute: 'policy[1].actions', reason: 'must list at least one of the actions the statement allows (or use notActions)' },
    ]);
    await rejects({ ...base, policy: [{ effect: 'deny', actions: ['*'] }] }, [
      { attribute: 'policy[0].resources', reason: 'must list at least one of the resource specifiers the statement denies (or use notResources)' },
    ]);
  });

  it('400 naming a resource specifier that does not parse and an action that is no name', async () => {
    const res = await s.post('/api/v2/roles', { ...base, policy: [{ effect: 'allow', resources: ['proj/*', 'proj/*:env/'], actions: ['update On'] }] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([
      { attribute: 'policy[0].resources[1]', reason: '"proj/*:env/" is not a resource specifier: it has an empty key in "env/"; use * for every key' },
      { attribute: 'policy[0].actions[0]', reason: '"update On" is not an action; an action is a name such as updateOn, or a glob such as update*' },
    ]);
    expect(res.body.message).toContain('policy[0].resources[1]: "proj/*:env/" is not a resource specifier');
    expect((await s.get('/api/v2/roles/ops')).status).toBe(404);
  });

  it('400 naming each resource specifier of a type LaunchDarkly does not define; nothing is created', async () => {
    const res = await s.post('/api/v2/roles', {
      ...base,
      policy: [
        { effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['*'] },
        { effect: 'deny', resources: ['proj/*', 'proj/*:foo/*'], actions: ['*'] },
        { effect: 'deny', notResources: ['proj/*:env/*:flags/*'], actions: ['*'] },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([
      { attribute: 'policy[1].resources[1]', reason: expect.stringMatching(/^"proj\/\*:foo\/\*" names the resource type "foo", which is not one: use acct, .*flag, /) },
      { attribute: 'policy[2].notResources[0]', reason: expect.stringContaining('"proj/*:env/*:flags/*" names the resource type "flags"') },
    ]);
    expect(res.body.message).toContain('policy[1].resources[1]');
    expect((await s.get('/api/v2/roles/ops')).status).toBe(404);
  });

  it('400 for a body that is not an object', async () => {
    const res = await s.post('/api/v2/roles', [base]);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([{ attribute: 'body', reason: 'must be an object' }]);
  });

  it('409 naming the key when a role already has it; the first role is untouched', async () => {
    expect((await s.post('/api/v2/roles', { ...base, key: 'dup' })).status).toBe(201);
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post('/api/v2/roles', { ...base, key: 'dup', name: 'Other' })))).toBe(false);
    expect(res!.status).toBe(409);
    expect(res!.body).toEqual({ code: 'conflict', message: 'A custom role with the key "dup" already exists' });
    expect((await s.get('/api/v2/roles/dup')).body.name).toBe('Ops');
  });
});
