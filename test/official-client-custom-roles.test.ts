// The official REST client (launchdarkly-api-typescript) drives the custom role routes over real HTTP, unchanged:
// CustomRolesApi.postCustomRole, getCustomRoles (limit, offset), getCustomRole by key and by _id, patchCustomRole with
// the spec's example (PatchWithComment adding a statement at /policy/0, and /policy/- to append), deleteCustomRole;
// and LaunchDarkly's {code, message, errors} on a bad body, a duplicate key, a read-only field, a missing role and a
// reader's write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, CustomRolesApi, type CustomRole, type CustomRoles } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

/** Every field the client's CustomRole declares required is present with the declared JSON type. */
function roleProblems(role: CustomRole): string[] {
  const problems: string[] = [];
  const need = (field: string, value: unknown, type: string) => {
    if (typeof value !== type) problems.push(`${field} is ${JSON.stringify(value)}, the client types it ${type}`);
  };
  need('_id', role._id, 'string');
  need('key', role.key, 'string');
  need('name', role.name, 'string');
  need('_links', role._links, 'object');
  if (!Array.isArray(role.policy)) problems.push(`policy is ${JSON.stringify(role.policy)}, the client types it an array`);
  for (const [i, statement] of (role.policy ?? []).entries()) need(`policy[${i}].effect`, statement.effect, 'string');
  return problems;
}

const PROD = { effect: 'allow' as const, resources: ['proj/*:env/production:flag/*'], actions: ['updateOn'] };
const QA = { effect: 'allow' as const, resources: ['proj/*:env/qa:flag/*'], actions: ['updateOn'] };

describe('custom roles through launchdarkly-api-typescript (CustomRolesApi)', () => {
  let s: TestServer;
  let roles: CustomRolesApi;
  let created: CustomRole;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    roles = new CustomRolesApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url }));
  });
  afterAll(() => s.close());

  it("postCustomRole answers a typed CustomRole (201) for the spec's example body", async () => {
    const res = await roles.postCustomRole({
      basePermissions: 'reader',
      description: 'An example role for members of the ops team',
      key: 'role-key-123abc',
      name: 'Ops team',
      policy: [PROD],
    });
    expect(res.status).toBe(201);
    created = res.data;
    expect(roleProblems(created)).toEqual([]);
    expect(created).toMatchObject({ key: 'role-key-123abc', name: 'Ops team', basePermissions: 'reader', resourceCategory: 'any', policy: [PROD] });
    const plain = await roles.postCustomRole({ key: 'plain', name: 'Plain', policy: [] });
    expect(plain.data).toMatchObject({ basePermissions: 'no_access', resourceCategory: 'any' });
  });

  it('getCustomRole finds the role by key and by _id', async () => {
    expect((await roles.getCustomRole('role-key-123abc')).data).toEqual(created);
    expect((await roles.getCustomRole(created._id)).data).toEqual(created);
  });

  it('getCustomRoles lists with totalCount, and pages with limit and offset', async () => {
    const all: CustomRoles = (await roles.getCustomRoles()).data;
    expect(all.items.map((r) => r.key)).toEqual(['role-key-123abc', 'plain']);
    expect(all.totalCount).toBe(2);
    for (const role of all.items) expect(roleProblems(role)).toEqual([]);
    const second = (await roles.getCustomRoles(1, 1)).data;
    expect(second.items.map((r) => r.key)).toEqual(['plain']);
    expect(second._links!.prev.href).toBe('/api/v2/roles?limit=1&offset=0');
  });

  it("patchCustomRole applies the spec's example (add at /policy/0), /policy/- appends, and a comment is kept", async () => {
    const first = await roles.patchCustomRole('role-key-123abc', { patch: [{ op: 'add', path: '/policy/0', value: QA }] });
    expect(first.status).toBe(200);
    expect(first.data.policy).toEqual([QA, PROD]);
    const second = await roles.patchCustomRole(created._id, {
      comment: 'deny deletes everywhere',
      patch: [
        { op: 'add', path: '/policy/-', value: { effect: 'deny', resources: ['proj/*'], actions: ['deleteFlag'] } },
        { op: 'replace', path: '/name', value: 'Ops' },
      ],
    });
    expect(second.data).toMatchObject({ _id: created._id, key: 'role-key-123abc', name: 'Ops', policy: [QA, PROD, { effect: 'deny', resources: ['proj/*'], actions: ['deleteFlag'] }] });
    expect(roleProblems(second.data)).toEqual([]);
    const entry = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'role/role-key-123abc').orderBy('date', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'updateName', comment: 'deny deletes everywhere' });
  });

  it("refusals carry LaunchDarkly's {code, message, errors} naming the field", async () => {
    const bad = await clientFailure(roles.postCustomRole({ key: 'bad', name: 'Bad', policy: [{ effect: 'allow', actions: ['*'] }] }));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ code: 'invalid_request', errors: [{ attribute: 'policy[0].resources', reason: expect.any(String) }] });
    expect(bad.data.message).toMatch(/^policy\[0\]\.resources: /);

    const dup = await clientFailure(roles.postCustomRole({ key: 'plain', name: 'Again', policy: [] }));
    expect(dup).toEqual({ status: 409, data: { code: 'conflict', message: 'A custom role with the key "plain" already exists' } });

    const immutable = await clientFailure(roles.patchCustomRole('plain', { patch: [{ op: 'replace', path: '/resourceCategory', value: 'project' }] }));
    expect(immutable).toEqual({
      status: 400,
      data: { code: 'invalid_request', message: '/resourceCategory: is read-only and cannot be changed', errors: [{ attribute: '/resourceCategory', reason: 'is read-only and cannot be changed' }] },
    });

    const missing = await clientFailure(roles.getCustomRole('nope'));
    expect(missing).toEqual({ status: 404, data: { code: 'not_found', message: 'Custom role "nope" not found' } });

    const reader = new CustomRolesApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    expect((await reader.getCustomRole('plain')).status).toBe(200);
    const refused = await clientFailure(reader.deleteCustomRole('plain'));
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('forbidden');
  });

  it('deleteCustomRole answers 204; the role is then 404', async () => {
    expect((await roles.deleteCustomRole('plain')).status).toBe(204);
    expect((await roles.deleteCustomRole(created._id)).status).toBe(204);
    expect((await clientFailure(roles.getCustomRole('plain'))).status).toBe(404);
    expect((await roles.getCustomRoles()).data).toMatchObject({ items: [], totalCount: 0 });
  });
});
