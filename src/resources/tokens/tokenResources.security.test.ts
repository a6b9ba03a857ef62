// Which resource names a token to a custom role: a service token is `service-token/{id}`, a personal token
// `member/{its owner}:token/{id}`, and only that one grants an action on it (GET, PATCH, DELETE and reset alike), so a
// role allowing one kind of token cannot reach the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { objectId } from '../../store/ids.js';
import { CUSTOM } from './grants.js';
import { insertToken, mintToken } from './tokens.js';

type Operation = (s: TestServer, id: string, token: string) => Promise<Response>;

// Delete last: it is the one that takes the token away.
const OPERATIONS: [string, Operation, number][] = [
  ['GET', (s, id, token) => s.get(`/api/v2/tokens/${id}`, { token }), 200],
  ['PATCH', (s, id, token) => s.patch(`/api/v2/tokens/${id}`, [{ op: 'replace', path: '/name', value: 'renamed' }], { token }), 200],
  ['reset', (s, id, token) => s.request('POST', `/api/v2/tokens/${id}/reset`, { token }), 200],
  ['DELETE', (s, id, token) => s.del(`/api/v2/tokens/${id}`, { token }), 204],
];

async function createRole(s: TestServer, key: string, policy: unknown[]): Promise<string> {
  const res = await s.post('/api/v2/roles', { key, name: key, policy });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body._id;
}

async function createToken(s: TestServer, body: Record<string, unknown>): Promise<{ _id: string; token: string }> {
  const res = await s.post('/api/v2/tokens', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Every operation on the token is a 403 naming `resource`, and leaves the store as it was. */
async function expectRefused(s: TestServer, id: string, token: string, resource: string): Promise<void> {
  for (const [name, send] of OPERATIONS) {
    const res = await unchangedBy(s.store, () => send(s, id, token));
    expect(res.status, name).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(res.body.message, name).toContain(resource);
  }
  expect((await s.get(`/api/v2/tokens/${id}`)).status).toBe(200);
}

async function expectAllowed(s: TestServer, id: string, token: string): Promise<void> {
  for (const [name, send, status] of OPERATIONS) {
    const res = await send(s, id, token);
    expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(status);
  }
  expect((await s.get(`/api/v2/tokens/${id}`)).status).toBe(404);
}

describe('tokens: the resource a custom role must allow is the targeted token’s', () => {
  let s: TestServer;
  let personalRole: string;
  let serviceRole: string;
  let personalManager: string;
  let serviceManager: string;
  beforeAll(async () => {
    s = await startServer();
    // The audit's role: personal tokens allowed, service tokens denied.
    personalRole = await createRole(s, 'personal-tokens', [
      { effect: 'allow', resources: ['member/*:token/*'], actions: ['*'] },
      { effect: 'deny', resources: ['service-token/*'], actions: ['*'] },
    ]);
    serviceRole = await createRole(s, 'service-tokens', [{ effect: 'allow', resources: ['service-token/*'], actions: ['*'] }]);
    personalManager = (await createToken(s, { name: 'personal manager', customRoleIds: [personalRole] })).token;
    serviceManager = (await createToken(s, { name: 'service manager', customRoleIds: [serviceRole] })).token;
  });
  afterAll(() => s.close());

  it('a role allowing member/*:token/* and denying service-token/* cannot read, patch, reset or delete an admin service token', async () => {
    const admin = await createToken(s, { name: 'admin service token', role: 'admin', serviceToken: true });
    await expectRefused(s, admin._id, personalManager, `service-token/${admin._id}`);
    // Still the admin's, with its old value.
    expect((await s.get('/api/v2/tokens', { token: admin.token })).status).toBe(200);
  });

  it('nor a service token holding its own role (where no escalation is involved)', async () => {
    const service = await createToken(s, { name: 'service token', customRoleIds: [personalRole], serviceToken: true });
    await expectRefused(s, service._id, personalManager, `service-token/${service._id}`);
  });

  it('a role allowing member/*:token/* still manages the caller’s own personal tokens', async () => {
    const own = await createToken(s, { name: 'own token', customRoleIds: [personalRole] });
    await expectAllowed(s, own._id, personalManager);
  });

  it('a role allowing service-token/* manages service tokens, and not personal tokens', async () => {
    const service = await createToken(s, { name: 'service token', customRoleIds: [serviceRole], serviceToken: true });
    const personal = await createToken(s, { name: 'personal token', customRoleIds: [serviceRole] });
    await expectRefused(s, personal._id, serviceManager, `member/${s.deps.accountId}:token/${personal._id}`);
    await expectAllowed(s, service._id, serviceManager);
  });

  it('a personal token is its owner’s: a role allowing the caller’s own tokens does not reach another member’s', async () => {
    const ownRole = await createRole(s, 'own-tokens', [{ effect: 'allow', resources: [`member/${s.deps.accountId}:token/*`], actions: ['*'] }]);
    const ownManager = (await createToken(s, { name: 'own manager', customRoleIds: [ownRole] })).token;
    const otherMember = objectId();
    await s.store.db
      .insertInto('members')
      .values({ id: otherMember, email: 'ana@example.com', doc: JSON.stringify({ firstName: 'Ana', lastName: 'Lee', role: 'writer' }), created_at: Date.now() })
      .execute();
    await insertToken(s.store.db, otherMember, mintToken(), { name: 'ana’s token', role: CUSTOM, customRoleIds: [ownRole] }, Date.now());
    const anas = (await s.get('/api/v2/tokens')).body.items.find((t: { name?: string }) => t.name === 'ana’s token');
    await expectRefused(s, anas._id, ownManager, `member/${otherMember}:token/${anas._id}`);
    const own = await createToken(s, { name: 'own token', customRoleIds: [ownRole] });
    await expectAllowed(s, own._id, ownManager);
  });

  it('an unknown token id is still a 404 to a role that may manage tokens', async () => {
    for (const [name, send] of OPERATIONS) {
      const res = await unchangedBy(s.store, () => send(s, objectId(), personalManager));
      expect(res.status, name).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });

  it('an admin manages every kind of token', async () => {
    await expectAllowed(s, (await createToken(s, { name: 'service', role: 'admin', serviceToken: true }))._id, s.tokens.admin);
    await expectAllowed(s, (await createToken(s, { name: 'personal', customRoleIds: [serviceRole] }))._id, s.tokens.admin);
  });

  it('listing tokens keeps its requirement: any token action on either kind', async () => {
    expect((await s.get('/api/v2/tokens', { token: personalManager })).status).toBe(200);
    expect((await s.get('/api/v2/tokens', { token: serviceManager })).status).toBe(200);
  });
});
