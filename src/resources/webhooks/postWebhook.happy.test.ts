// Creating webhooks: signed with the secret given or a generated one, unsigned without one; statements normalized,
// tags without repeats; listed and read back; the creation audited without the secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postWebhook', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it("200 with the Webhook: the spec's fields and links; the secret given", async () => {
    const res = await s.post('/api/v2/webhooks', {
      name: 'apidocs test webhook',
      url: 'https://example.com/hooks',
      sign: true,
      secret: 'frobozz',
      on: true,
      statements: [{ effect: 'allow', resources: [' proj/test '], actions: ['*'], notActions: [] }],
      tags: ['example-tag', 'example-tag', 'b'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      _links: { parent: { href: '/api/v2/webhooks', type: 'application/json' }, self: { href: `/api/v2/webhooks/${res.body._id}`, type: 'application/json' } },
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'apidocs test webhook',
      url: 'https://example.com/hooks',
      secret: 'frobozz',
      statements: [{ effect: 'allow', resources: ['proj/test'], actions: ['*'] }],
      on: true,
      tags: ['example-tag', 'b'],
    });
    expect((await s.get(`/api/v2/webhooks/${res.body._id}`)).body).toEqual(res.body);
  });

  it('signed without a secret: one is generated; unsigned: no secret is kept, even one given', async () => {
    const generated = (await s.post('/api/v2/webhooks', { url: 'http://localhost:9/a', sign: true, on: false })).body;
    expect(generated.secret).toMatch(/^[0-9a-f]{32}$/);
    const emptySecret = (await s.post('/api/v2/webhooks', { url: 'http://localhost:9/b', sign: true, secret: '', on: false })).body;
    expect(emptySecret.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(emptySecret.secret).not.toBe(generated.secret);
    const unsigned = (await s.post('/api/v2/webhooks', { url: 'http://localhost:9/c', sign: false, secret: 'ignored', on: false })).body;
    expect(unsigned).not.toHaveProperty('secret');
    expect(unsigned).not.toHaveProperty('name');
    expect(unsigned).not.toHaveProperty('statements');
    expect(unsigned.tags).toEqual([]);
  });

  it('listed oldest first; the creation is in the audit log, without the secret', async () => {
    const list = (await s.get('/api/v2/webhooks')).body;
    expect(list._links).toEqual({ self: { href: '/api/v2/webhooks', type: 'application/json' } });
    expect(list.items.map((w: { url: string }) => w.url)).toEqual(['https://example.com/hooks', 'http://localhost:9/a', 'http://localhost:9/b', 'http://localhost:9/c']);
    const entries = (await s.get('/api/v2/auditlog?spec=webhook/*')).body.items;
    expect(entries).toHaveLength(4);
    const entry = (await s.get(`/api/v2/auditlog/${entries[entries.length - 1]._id}`)).body;
    expect(entry).toMatchObject({ kind: 'webhook', accesses: [{ action: 'createWebhook', resource: `webhook/${list.items[0]._id}` }], name: 'apidocs test webhook', currentVersion: { url: 'https://example.com/hooks' } });
    expect(JSON.stringify(entry)).not.toContain('frobozz');
  });
});
