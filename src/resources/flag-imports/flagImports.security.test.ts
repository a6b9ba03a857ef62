// Who may do what to flag import configurations: beta (403 without the header); 401 without a token; readers read,
// writers write and trigger imports; custom roles need the integration actions on `integration/<key>/<id>`
// (running an import is updateConfiguration) and to view the project; an unknown project is a 404; both API keys
// are masked in every answer and audit entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };
const ROOT = '/api/v2/integration-capabilities/flag-import';

describe('flag import configurations: security', () => {
  let s: TestServer;
  let w: World;
  let self: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const created = await s.post(`${ROOT}/${w.project}/split`, { config: { workspaceApiKey: 'split-secret-1', workspaceId: 'w', environmentId: 'e', ldApiKey: 'api-secret-2' } }, { headers: BETA });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    self = created.body._links.self.href;
  });
  afterAll(() => s.close());

  async function forbidden(send: () => Promise<Response>, message?: string): Promise<void> {
    const res = await expectRefused(s.store, send, 403, 'forbidden');
    if (message) expect(res.body.message).toContain(message);
  }

  it('403 without LD-API-Version: beta, 401 without a token, 404 for an unknown project', async () => {
    await forbidden(() => s.post(`${self}/trigger`, undefined), 'beta');
    expect((await s.get(ROOT, { token: null, headers: BETA })).status).toBe(401);
    expect((await s.post(`${ROOT}/nope/split`, { config: {} }, { headers: BETA })).status).toBe(404);
  });

  it('a reader reads but neither writes nor triggers', async () => {
    const as = { token: s.tokens.reader, headers: BETA };
    expect((await s.get(self, as)).status).toBe(200);
    await forbidden(() => s.post(`${self}/trigger`, undefined, as));
    await forbidden(() => s.patch(self, [{ op: 'replace', path: '/name', value: 'x' }], as));
    await forbidden(() => s.del(self, as));
  });

  it('a custom role needs updateConfiguration on integration/split/<id> to trigger, updateTags to tag', async () => {
    const role = await s.post('/api/v2/roles', { key: 'imports', name: 'Imports', policy: [{ effect: 'allow', resources: ['integration/split/*'], actions: ['updateTags'] }, { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }] });
    const token = (await s.post('/api/v2/tokens', { name: 'imports', customRoleIds: [role.body._id] })).body.token;
    const as = { token, headers: BETA };
    await forbidden(() => s.post(`${self}/trigger`, undefined, as), 'updateConfiguration');
    await forbidden(() => s.patch(self, [{ op: 'replace', path: '/config/splitTag', value: 'x' }], as), 'updateConfiguration');
    expect((await s.patch(self, [{ op: 'add', path: '/tags/-', value: 'tagged' }], as)).status).toBe(200);
  });

  it('the API keys never show, in answers or audit entries', async () => {
    expect((await s.post(`${self}/trigger`, undefined, { headers: BETA })).status).toBe(201);
    const id = self.split('/').pop();
    for (const entry of (await s.get(`/api/v2/auditlog?spec=integration/split/${id}`)).body.items) {
      const full = JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body);
      expect(full).not.toMatch(/split-secret-1|api-secret-2/);
    }
    expect(JSON.stringify((await s.get(ROOT, { headers: BETA })).body)).not.toMatch(/split-secret-1|api-secret-2/);
  });
});
