// patchOAuthClient: a JSON Patch of name, description and redirectUri (bare or with a comment): 200 with the client;
// its id, creation date and secret stay; a patch that changes nothing records nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchOAuthClient', () => {
  let s: TestServer;
  let id: string;
  let made: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    made = (await s.post('/api/v2/oauth/clients', { name: 'Example Client', redirectUri: 'https://example.com/cb' })).body;
    id = made._clientId as string;
  });
  afterAll(() => s.close());

  it("the spec's example: replace /name", async () => {
    const res = await s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'replace', path: '/name', value: 'Example Client V2' }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _clientId: id, name: 'Example Client V2', redirectUri: 'https://example.com/cb', _creationDate: made._creationDate });
    expect(res.body).not.toHaveProperty('_clientSecret');
  });

  it('adds and removes the description, moves the redirect URI; the secret still hashes the same', async () => {
    const before = (await s.store.db.selectFrom('oauth_clients').select('doc').where('id', '=', id).executeTakeFirstOrThrow()).doc;
    const res = await s.patch(`/api/v2/oauth/clients/${id}`, { comment: 'new host', patch: [{ op: 'add', path: '/description', value: 'Signs in' }, { op: 'replace', path: '/redirectUri', value: 'https://new.example.com/cb' }] });
    expect(res.body).toMatchObject({ description: 'Signs in', redirectUri: 'https://new.example.com/cb' });
    const after = (await s.store.db.selectFrom('oauth_clients').select('doc').where('id', '=', id).executeTakeFirstOrThrow()).doc;
    expect(JSON.parse(after).secretHash).toBe(JSON.parse(before).secretHash);
    const removed = await s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'remove', path: '/description' }]);
    expect(removed.body).not.toHaveProperty('description');
    expect((await s.get(`/api/v2/oauth/clients/${id}`)).body).toEqual(removed.body);
  });

  it('setting what is there, or testing it, changes nothing', async () => {
    const current = (await s.get(`/api/v2/oauth/clients/${id}`)).body;
    let res: { status: number } | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'test', path: '/_clientId', value: id }, { op: 'replace', path: '/name', value: current.name }])))).toBe(false);
    expect(res!.status).toBe(200);
  });
});
