// Reading audit log subscriptions: the list of one integration (oldest first, others' left out, empty for one with
// none) and one by id; an unknown integration key or id, or an id under another integration, is a 404 naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getSubscriptions and getSubscriptionByID', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 5);
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
  });
  afterAll(() => s.close());

  it("lists an integration's subscriptions oldest first, reads each by id; other integrations' apart", async () => {
    const made = [];
    for (const name of ['first', 'second']) {
      clock += 1000;
      made.push((await s.post('/api/v2/integrations/honeycomb', { name, config: { apiKey: 'hc-key', datasetName: 'ld' } })).body);
    }
    await s.post('/api/v2/integrations/msteams', { name: 'teams', config: { url: 'https://outlook.office.com/webhook/x' } });
    const list = await s.get('/api/v2/integrations/honeycomb');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ _links: { self: { href: '/api/v2/integrations/honeycomb', type: 'application/json' } }, items: made, key: 'honeycomb' });
    for (const sub of made) expect((await s.get(`/api/v2/integrations/honeycomb/${sub._id}`)).body).toEqual(sub);
    expect((await s.get('/api/v2/integrations/new-relic-apm')).body.items).toEqual([]);
  });

  it('404 naming the unknown integration key or subscription', async () => {
    const teams = (await s.get('/api/v2/integrations/msteams')).body.items[0];
    const cases: [string, string][] = [
      ['/api/v2/integrations/not-an-integration', 'Integration "not-an-integration" not found'],
      ['/api/v2/integrations/jira', 'Integration "jira" not found'],
      [`/api/v2/integrations/not-an-integration/${teams._id}`, 'Integration "not-an-integration" not found'],
      ['/api/v2/integrations/msteams/0123456789abcdef01234567', 'Audit log subscription "0123456789abcdef01234567" of the msteams integration not found'],
      [`/api/v2/integrations/slack/${teams._id}`, `Audit log subscription "${teams._id}" of the slack integration not found`],
    ];
    for (const [path, message] of cases) {
      const res = await s.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message: expect.stringContaining(message) });
    }
  });
});
