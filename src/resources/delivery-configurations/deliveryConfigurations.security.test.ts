// Who may do what to delivery configurations: beta (403 without the header); 401 without a token; readers read and
// writers write (validating is a POST: a writer's); custom roles need the integration actions on
// `integration/<key>/<id>` and to view the project; an unknown project is a 404; the API token is masked in every
// answer and audit entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };
const ROOT = '/api/v2/integration-capabilities/featureStore';
const SECRET = 'vercel-secret-4711';

describe('delivery configurations: security', () => {
  let s: TestServer;
  let w: World;
  let self: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const created = await s.post(`${ROOT}/${w.project}/production/vercel`, { config: { edgeConfigId: 'ec', apiToken: SECRET } }, { headers: BETA });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    self = created.body._links.self.href;
  });
  afterAll(() => s.close());

  async function forbidden(send: () => Promise<Response>, message?: string): Promise<void> {
    const res = await expectRefused(s.store, send, 403, 'forbidden');
    if (message) expect(res.body.message).toContain(message);
  }

  it('403 without LD-API-Version: beta, 401 without a token, 404 for an unknown project', async () => {
    await forbidden(() => s.get(self), 'beta');
    await forbidden(() => s.post(`${self}/validate`, {}), 'beta');
    expect((await s.get(self, { token: null, headers: BETA })).status).toBe(401);
    expect((await s.get(`${ROOT}/nope/production`, { headers: BETA })).status).toBe(404);
  });

  it('a reader reads but neither writes nor validates', async () => {
    const as = { token: s.tokens.reader, headers: BETA };
    expect((await s.get(self, as)).status).toBe(200);
    expect((await s.get(`${ROOT}/${w.project}/production`, as)).status).toBe(200);
    await forbidden(() => s.post(`${ROOT}/${w.project}/production/vercel`, { config: { edgeConfigId: 'x', apiToken: 'y' } }, as));
    await forbidden(() => s.patch(self, [{ op: 'replace', path: '/on', value: true }], as));
    await forbidden(() => s.post(`${self}/validate`, undefined, as));
    await forbidden(() => s.del(self, as));
  });

  it('a custom role needs updateOn on integration/vercel/<id> to turn it on, and viewProject to read', async () => {
    const role = await s.post('/api/v2/roles', { key: 'edge', name: 'Edge', policy: [{ effect: 'allow', resources: ['integration/vercel/*'], actions: ['updateName'] }, { effect: 'allow', resources: [`proj/${w.project}`], actions: ['viewProject'] }] });
    const token = (await s.post('/api/v2/tokens', { name: 'edge', customRoleIds: [role.body._id] })).body.token;
    const as = { token, headers: BETA };
    await forbidden(() => s.patch(self, [{ op: 'replace', path: '/on', value: true }], as), 'updateOn');
    await forbidden(() => s.post(`${ROOT}/${w.project}/production/cloudflare`, { config: {} }, as), 'createIntegration');
    expect((await s.patch(self, [{ op: 'replace', path: '/name', value: 'Renamed' }], as)).status).toBe(200);
    expect((await s.post(`${self}/validate`, undefined, as)).status).toBe(200);
    const blind = await s.post('/api/v2/roles', { key: 'blind', name: 'Blind', policy: [{ effect: 'allow', resources: ['integration/*'], actions: ['*'] }] });
    const blindToken = (await s.post('/api/v2/tokens', { name: 'blind', customRoleIds: [blind.body._id] })).body.token;
    await forbidden(() => s.get(self, { token: blindToken, headers: BETA }), 'viewProject');
  });

  it('the API token never shows, in answers or audit entries', async () => {
    expect((await s.patch(self, [{ op: 'replace', path: '/config/apiToken', value: 'another-secret' }], { headers: BETA })).status).toBe(200);
    const id = self.split('/').pop();
    for (const entry of (await s.get(`/api/v2/auditlog?spec=integration/vercel/${id}`)).body.items) {
      const full = JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body);
      expect(full).not.toContain(SECRET);
      expect(full).not.toContain('another-secret');
    }
    expect(JSON.stringify((await s.get(ROOT, { headers: BETA })).body)).not.toContain('another-secret');
  });
});
