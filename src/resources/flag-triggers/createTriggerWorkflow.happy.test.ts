// Creating flag triggers: 201 with the trigger and its URL in full, once; listed and read back with the URL
// obscured; per environment; audited on the flag without the URL's secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('createTriggerWorkflow', () => {
  let s: TestServer;
  let w: World;
  const path = (env = 'production') => `/api/v2/flags/${w.project}/${w.flag}/triggers/${env}`;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it("201 with the spec's fields; the URL in full; enabled; maintained by the caller's member", async () => {
    const me = (await s.get('/api/v2/members/me')).body;
    const res = await s.post(path(), { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOff' }], comment: 'kill switch' }, { headers: { host: 'flags.example.com:8030' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _version: 1,
      _creationDate: expect.any(Number),
      _maintainerId: me._id,
      _maintainer: { _links: { self: { href: `/api/v2/members/${me._id}`, type: 'application/json' } }, _id: me._id, firstName: me.firstName, lastName: me.lastName, role: me.role, email: me.email },
      enabled: true,
      _integrationKey: 'generic-trigger',
      instructions: [{ kind: 'turnFlagOff' }],
      _recentTriggerBodies: [],
      _triggerCount: 0,
      _status: 'active',
      triggerURL: expect.stringMatching(new RegExp(`^http://flags\\.example\\.com:8030/webhook/triggers/${res.body._id}/[0-9a-f-]{36}$`)),
      _links: {
        parent: { href: path(), type: 'application/json' },
        self: { href: `${path()}/${res.body._id}`, type: 'application/json' },
      },
    });
  });

  it('listed and read with the URL obscured; each environment has its own', async () => {
    await s.post(path('test'), { integrationKey: 'datadog', instructions: [{ kind: 'turnFlagOn' }] });
    const list = (await s.get(path())).body;
    expect(list._links).toEqual({ self: { href: path(), type: 'application/json' } });
    expect(list.items).toHaveLength(1);
    expect(list.items[0].triggerURL).toMatch(/\/webhook\/triggers\/[0-9a-f]{24}\/\*{8}$/);
    expect((await s.get(`${path()}/${list.items[0]._id}`)).body).toEqual(list.items[0]);
    expect((await s.get(path('test'))).body.items.map((t: { _integrationKey: string }) => t._integrationKey)).toEqual(['datadog']);
  });

  it('audited on the flag in its environment, without the secret', async () => {
    const trigger = (await s.post(path(), { integrationKey: 'honeycomb', instructions: [{ kind: 'turnFlagOn' }] })).body;
    const secret = trigger.triggerURL.split('/').pop();
    const entry = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items[0];
    expect(entry).toMatchObject({ accesses: [{ action: 'createTriggers', resource: `proj/${w.project}:env/production:flag/${w.flag}` }], shortDescription: 'created a honeycomb trigger on the flag Checkout button in production' });
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(full.currentVersion).toMatchObject({ _id: trigger._id, integrationKey: 'honeycomb', enabled: true });
    expect(JSON.stringify(full)).not.toContain(secret);
  });
});
