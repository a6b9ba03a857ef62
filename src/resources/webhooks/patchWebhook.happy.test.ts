// Updating webhooks by JSON Patch, as Terraform's launchdarkly_webhook sends them: every field replaced at once, the
// secret set, cleared with "" (unsigned) or removed, statements replaced and removed, `{comment, patch}`; the audit
// entry names the change, keeps the comment and never the secret; a patch that changes nothing writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchWebhook', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/webhooks', { url: 'https://example.com/a', sign: false, on: false, name: 'First' })).body._id;
  });
  afterAll(() => s.close());
  const path = () => `/api/v2/webhooks/${id}`;

  it("Terraform's update: every field replaced, the secret making it signed; tags and statements", async () => {
    const res = await s.patch(path(), [
      { op: 'replace', path: '/url', value: 'https://example.com/b' },
      { op: 'replace', path: '/secret', value: 'frobozz' },
      { op: 'replace', path: '/on', value: true },
      { op: 'replace', path: '/name', value: 'Renamed' },
      { op: 'replace', path: '/tags', value: ['terraform'] },
      { op: 'replace', path: '/statements', value: [{ effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['*'] }] },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: id, url: 'https://example.com/b', secret: 'frobozz', on: true, name: 'Renamed', tags: ['terraform'], statements: [{ effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['*'] }] });
    expect((await s.get(path())).body).toEqual(res.body);
  });

  it('the secret "" (Terraform, unsigned) or removed: unsigned; statements removed; a comment', async () => {
    expect((await s.patch(path(), [{ op: 'replace', path: '/secret', value: '' }])).body).not.toHaveProperty('secret');
    await s.patch(path(), [{ op: 'replace', path: '/secret', value: 'again' }]);
    const res = await s.patch(path(), { comment: 'no more filter', patch: [{ op: 'remove', path: '/secret' }, { op: 'remove', path: '/statements' }] });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('secret');
    expect(res.body).not.toHaveProperty('statements');
  });

  it('audited per change, with the comment, never the secret; a patch that changes nothing writes nothing', async () => {
    const entries = (await s.get(`/api/v2/auditlog?spec=webhook/${id}`)).body.items;
    expect(entries.map((e: { accesses: { action: string }[] }) => e.accesses[0].action)).toEqual(['updateSecret', 'updateSecret', 'updateSecret', 'updateUrl', 'createWebhook']);
    const last = (await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(last).toMatchObject({ comment: 'no more filter', delta: [{ op: 'remove', path: '/secret' }, { op: 'remove', path: '/statements' }] });
    const setSecret = (await s.get(`/api/v2/auditlog/${entries[1]._id}`)).body;
    expect(setSecret.delta).toEqual([{ op: 'replace', path: '/secret', value: '(secret)' }]);
    for (const entry of entries) expect(JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body)).not.toMatch(/frobozz|"again"/);

    const same = await s.patch(path(), [{ op: 'replace', path: '/name', value: 'Renamed' }, { op: 'test', path: '/_id', value: id }]);
    expect(same.status).toBe(200);
    expect((await s.get(`/api/v2/auditlog?spec=webhook/${id}`)).body.items).toHaveLength(entries.length);
  });
});
