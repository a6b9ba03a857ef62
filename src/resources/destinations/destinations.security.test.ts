// Who may manage destinations: every token needs to be valid; readers read; writers and admins write (the key pairs,
// the trust policy, the warehouse setup and its completion too). Custom roles need LaunchDarkly's destination actions
// on `proj/p:env/e:destination/id` (createDestination, updateName, updateConfiguration, updateOn, deleteDestination),
// and see in the list only the
// destinations of projects they may view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('destinations: security', () => {
  let s: TestServer;
  const url = (project = 'shop', env = 'production') => `/api/v2/destinations/${project}/${env}`;
  const body = { name: 'pubsub', kind: 'google-pubsub', config: { project: 'p', topic: 't' }, on: false };
  const keyPair = '/api/v2/destinations/generate-warehouse-destination-key-pair';
  const trustPolicy = (env = 'production') => `/api/v2/destinations/projects/shop/environments/${env}/generate-trust-policy`;
  const envKeyPair = (env = 'production') => `/api/v2/destinations/projects/shop/environments/${env}/generate-warehouse-destination-key-pair`;
  const setup = (env = 'production') => `/api/v2/destinations/projects/shop/environments/${env}/kinds/redshift/setup`;
  const complete = (env = 'production') => `/api/v2/destinations/projects/shop/environments/${env}/kinds/redshift/complete-setup`;
  const terraformPatch = [
    { op: 'replace', path: '/name', value: 'renamed' },
    { op: 'replace', path: '/kind', value: 'google-pubsub' },
    { op: 'replace', path: '/on', value: true },
    { op: 'replace', path: '/config', value: { project: 'p', topic: 't2' } },
  ];
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  it('401 without a valid token; readers read but may not write; writers write', async () => {
    const id = (await s.post(url(), body)).body._id;
    const writes = (token: string | null) => [
      () => s.post(url(), body, { token }),
      () => s.patch(`${url()}/${id}`, [{ op: 'replace', path: '/on', value: true }], { token }),
      () => s.del(`${url()}/${id}`, { token }),
      () => s.post(keyPair, undefined, { token }),
      () => s.post(trustPolicy(), undefined, { token }),
      () => s.post(envKeyPair(), undefined, { token }),
      () => s.post(setup(), {}, { token }),
      () => s.post(complete(), {}, { token }),
    ];
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [() => s.get('/api/v2/destinations', { token }), () => s.get(`${url()}/${id}`, { token }), ...writes(token)]) await refused(send, 401);
    }
    expect((await s.get('/api/v2/destinations', { token: s.tokens.reader })).body.items).toHaveLength(1);
    expect((await s.get(`${url()}/${id}`, { token: s.tokens.reader })).status).toBe(200);
    for (const send of writes(s.tokens.reader)) await refused(send, 403);
    const statuses = [];
    for (const send of writes(s.tokens.writer)) statuses.push((await send()).status);
    expect(statuses).toEqual([201, 200, 204, 201, 201, 201, 201, 201]);
  });

  it('custom roles: each destination action, on destinations of that environment', async () => {
    const role = async (actions: string[], resource = 'proj/shop:env/production:destination/*') =>
      (await s.post('/api/v2/tokens', { name: actions.join() || 'view', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, { effect: 'allow', resources: [resource], actions }] })).body.token as string;
    const creator = await role(['createDestination']);
    await refused(() => s.post(url('shop', 'test'), body, { token: creator }), 403);
    const made = await s.post(url(), body, { token: creator });
    expect(made.status).toBe(201);
    const path = `${url()}/${made.body._id}`;
    await refused(() => s.patch(path, [{ op: 'replace', path: '/name', value: 'renamed' }], { token: creator }), 403);
    const renamer = await role(['updateName']);
    expect((await s.patch(path, [{ op: 'replace', path: '/name', value: 'renamed' }], { token: renamer })).status).toBe(200);
    await refused(() => s.patch(path, { merge: { config: { project: 'p', topic: 't2' } } }, { token: renamer }), 403);
    await refused(() => s.patch(path, terraformPatch, { token: renamer }), 403);
    // Terraform's update asks for all three (its unchanged /kind is a configuration member).
    expect((await s.patch(path, terraformPatch, { token: await role(['updateName', 'updateOn', 'updateConfiguration']) })).status).toBe(200);
    // Only this destination.
    const other = (await s.post(url(), body)).body._id;
    const onlyThis = await role(['deleteDestination'], `proj/shop:env/production:destination/${made.body._id}`);
    await refused(() => s.del(`${url()}/${other}`, { token: onlyThis }), 403);
    expect((await s.del(path, { token: onlyThis })).status).toBe(204);
    // The key pair is the account's: every environment's destinations; the trust policy, the environment's.
    await refused(() => s.post(keyPair, undefined, { token: creator }), 403);
    expect((await s.post(keyPair, undefined, { token: await role(['createDestination'], 'proj/*:env/*:destination/*') })).status).toBe(201);
    expect((await s.post(trustPolicy(), undefined, { token: creator })).status).toBe(201);
    expect((await s.post(trustPolicy('test'), undefined, { token: creator })).status).toBe(403);
    // The environment's key pair, its setup script and the setup's completion: createDestination there.
    for (const path of [envKeyPair, setup, complete]) await refused(() => s.post(path('test'), path === envKeyPair ? undefined : {}, { token: creator }), 403);
    expect((await s.post(envKeyPair(), undefined, { token: creator })).status).toBe(201);
    expect((await s.post(setup(), {}, { token: creator })).status).toBe(201);
    await refused(() => s.post(complete(), {}, { token: renamer }), 403);
    expect((await s.post(complete(), {}, { token: creator })).status).toBe(201);
  });

  it('the list shows a custom-role token the destinations of the projects it may view', async () => {
    await s.post(url('hidden'), body);
    const viewer = (await s.post('/api/v2/tokens', { name: 'viewer', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }] })).body.token;
    const all = (await s.get('/api/v2/destinations')).body.items.map((d: { _links: { self: { href: string } } }) => d._links.self.href);
    const seen = (await s.get('/api/v2/destinations', { token: viewer })).body.items.map((d: { _links: { self: { href: string } } }) => d._links.self.href);
    expect(all.some((href: string) => href.startsWith('/api/v2/destinations/hidden/'))).toBe(true);
    expect(seen).toEqual(all.filter((href: string) => href.startsWith('/api/v2/destinations/shop/')));
    expect(seen.length).toBeGreaterThan(0);
    await refused(() => s.get(`${url('hidden')}/0123456789abcdef01234567`, { token: viewer }), 403);
  });
});
