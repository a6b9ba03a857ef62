import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { RESOURCE_TYPES } from './policy.js';

type FieldError = { attribute: string; reason: string };

describe('patchCustomRole: errors', () => {
  let s: TestServer;
  let original: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    original = (await s.post('/api/v2/roles', { key: 'ops', name: 'Ops', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body;
  });
  afterAll(() => s.close());

  /** The status, code and errors expected, each error named in the message; the store is untouched. */
  async function rejects(body: unknown, status: number, code: string, errors?: FieldError[]) {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch('/api/v2/roles/ops', body)))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
    expect(res!.body.code).toBe(code);
    if (errors) {
      expect(res!.body.errors).toEqual(errors);
      for (const e of errors) expect(res!.body.message).toContain(`${e.attribute}: ${e.reason}`);
    }
    expect((await s.get('/api/v2/roles/ops')).body).toEqual(original);
  }

  it('400 naming read-only fields: key, _id, resourceCategory (immutable), _links, assignedTo, _access', async () => {
    for (const [path, value] of [
      ['/key', 'other'],
      ['/_id', '0123456789abcdef01234567'],
      ['/resourceCategory', 'project'],
      ['/_links', {}],
      ['/assignedTo', { membersCount: 3, teamsCount: 0 }],
      ['/_access', { denied: [], allowed: [] }],
    ] as const) {
      await rejects([{ op: 'add', path, value }], 400, 'invalid_request', [{ attribute: path, reason: 'is read-only and cannot be changed' }]);
    }
    await rejects({ merge: { resourceCategory: 'organization' } }, 400, 'invalid_request', [{ attribute: '/resourceCategory', reason: 'is read-only and cannot be changed' }]);
  });

  it('400 naming a field that is no field of a role', async () => {
    const reason = 'is not a field that can be patched; patchable fields are name, description, policy, basePermissions';
    await rejects([{ op: 'add', path: '/inlineRole', value: [] }], 400, 'invalid_request', [{ attribute: '/inlineRole', reason }]);
    await rejects({ merge: { color: null } }, 400, 'invalid_request', [{ attribute: '/color', reason }]);
  });

  it('400 naming the field when the result is not a valid role', async () => {
    await rejects([{ op: 'remove', path: '/name' }], 400, 'invalid_request', [{ attribute: 'name', reason: 'must be present' }]);
    await rejects([{ op: 'replace', path: '/name', value: '' }], 400, 'invalid_request', [{ attribute: 'name', reason: 'must not be empty' }]);
    await rejects([{ op: 'replace', path: '/basePermissions', value: 'writer' }], 400, 'invalid_request', [{ attribute: 'basePermissions', reason: 'must be one of "reader", "no_access"' }]);
    await rejects([{ op: 'add', path: '/description', value: 42 }], 400, 'invalid_request', [{ attribute: 'description', reason: 'must be a string' }]);
    await rejects([{ op: 'replace', path: '/policy', value: {} }], 400, 'invalid_request', [{ attribute: 'policy', reason: 'must be an array' }]);
    await rejects([{ op: 'replace', path: '/policy/0/effect', value: 'maybe' }], 400, 'invalid_request', [{ attribute: 'policy[0].effect', reason: 'must be one of "allow", "deny"' }]);
  });

  it("400 naming a statement the policy's rules refuse", async () => {
    await rejects([{ op: 'add', path: '/policy/-', value: { effect: 'allow' } }], 400, 'invalid_request', [
      { attribute: 'policy[1].resources', reason: 'must list at least one of the resource specifiers the statement allows (or use notResources)' },
      { attribute: 'policy[1].actions', reason: 'must list at least one of the actions the statement allows (or use notActions)' },
    ]);
    await rejects([{ op: 'add', path: '/policy/0/notActions', value: ['deleteFlag'] }], 400, 'invalid_request', [
      { attribute: 'policy[0].notActions', reason: 'must be empty when actions is given; a statement takes actions or notActions, not both' },
    ]);
    await rejects([{ op: 'add', path: '/policy/0/resources/-', value: 'proj/*:' }], 400, 'invalid_request', [
      { attribute: 'policy[0].resources[1]', reason: '"proj/*:" is not a resource specifier: it has a malformed part ""; each part is type/key, optionally followed by ;tags' },
    ]);
    await rejects([{ op: 'add', path: '/policy/0/resources/-', value: 'proj/*:env/*:ai-config/*' }], 400, 'invalid_request', [
      { attribute: 'policy[0].resources[1]', reason: `"proj/*:env/*:ai-config/*" names the resource type "ai-config", which is not one: use ${[...RESOURCE_TYPES].sort().join(', ')}` },
    ]);
  });

  it('400 for a malformed patch, naming the operation or the body', async () => {
    await rejects('nope', 400, 'invalid_request', [{ attribute: 'body', reason: 'must be an array of operations' }]);
    // An object with members to change is a merge patch; one with a comment alone changes nothing.
    await rejects({ comment: 'Not a patch' }, 400, 'invalid_request', [
      { attribute: 'patch', reason: 'must be present (or send the JSON Patch array itself as the body, or a JSON merge patch as the body itself or as {"merge": ...})' },
    ]);
    await rejects({ merge: [] }, 400, 'invalid_request', [{ attribute: 'merge', reason: 'must be an object (RFC 7386 JSON merge patch of the custom role)' }]);
    await rejects({ patch: [], comment: 5 }, 400, 'invalid_request', [{ attribute: 'comment', reason: 'must be a string' }]);
    await rejects([{ op: 'jump', path: '/name' }], 400, 'invalid_request', [{ attribute: 'patch[0]', reason: 'op must be one of add, remove, replace, move, copy, test' }]);
    await rejects([{ op: 'remove', path: '/policy/5' }], 400, 'invalid_request', [{ attribute: 'patch[0]', reason: 'remove /policy/5: index 5 is out of range (length 1)' }]);
    await rejects([{ op: 'replace', path: '', value: {} }], 400, 'invalid_request', [{ attribute: 'patch[0].path', reason: 'must name a field; the whole resource cannot be replaced' }]);
  });

  it('409 optimistic_locking_error when a test operation fails', async () => {
    await rejects([{ op: 'test', path: '/name', value: 'Someone else' }, { op: 'replace', path: '/name', value: 'Mine' }], 409, 'optimistic_locking_error');
  });

  it('404 naming a role that does not exist', async () => {
    const res = await s.patch('/api/v2/roles/nope', [{ op: 'replace', path: '/name', value: 'x' }]);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Custom role "nope" not found' });
  });
});
