// Who may do what to integration configurations, and what no one sees: they are beta (403 without the header); 401
// without a token; readers read, writers write; custom roles need the integration actions on `integration/<key>/<id>`,
// checked once the configuration (named by id alone) is found, an unknown id being the same 403 to a role that does
// not reach every integration; the secret is masked in every answer and audit entry, and a `test` op cannot probe it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';

const BETA = { 'LD-API-Version': 'beta' };
const SECRET = 'dd-secret-4711';

describe('integration configurations: security', () => {
  let s: TestServer;
  let datadog: string;
  let honeycomb: string;
  beforeAll(async () => {
    s = await startServer();
    const created = await s.post('/api/v2/integration-configurations/keys/datadog', { name: 'dd', configValues: { apiKey: SECRET } }, { headers: BETA });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    datadog = created.body._links.self.href;
    honeycomb = (await s.post('/api/v2/integration-configurations/keys/honeycomb', { name: 'hc', configValues: { apiKey: 'hc-key', datasetName: 'd' } }, { headers: BETA })).body._links.self.href;
  });
  afterAll(() => s.close());

  async function forbidden(send: () => Promise<Response>, message?: string): Promise<void> {
    const res = await expectRefused(s.store, send, 403, 'forbidden');
    if (message) expect(res.body.message).toContain(message);
  }

  async function roleToken(key: string, policy: unknown[]): Promise<string> {
    const role = await s.post('/api/v2/roles', { key, name: key, policy });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    return (await s.post('/api/v2/tokens', { name: key, customRoleIds: [role.body._id] })).body.token;
  }

  it('403 without LD-API-Version: beta, 401 without a token', async () => {
    await forbidden(() => s.get(datadog), 'beta');
    await forbidden(() => s.post('/api/v2/integration-configurations/keys/datadog', { name: 'x', configValues: { apiKey: 'k' } }), 'beta');
    expect((await s.get(datadog, { token: null, headers: BETA })).status).toBe(401);
    expect((await s.get('/api/v2/integration-configurations/keys/datadog', { token: null, headers: BETA })).status).toBe(401);
  });

  it('a reader reads but does not write', async () => {
    const reader = s.tokens.reader;
    expect((await s.get(datadog, { token: reader, headers: BETA })).status).toBe(200);
    await forbidden(() => s.post('/api/v2/integration-configurations/keys/datadog', { name: 'r', configValues: { apiKey: 'k' } }, { token: reader, headers: BETA }));
    await forbidden(() => s.patch(datadog, [{ op: 'replace', path: '/name', value: 'x' }], { token: reader, headers: BETA }));
    await forbidden(() => s.del(datadog, { token: reader, headers: BETA }));
  });

  it('a custom role needs the action per member on integration/<key>/<id>, checked on the configuration found by id', async () => {
    const token = await roleToken('dd-names', [{ effect: 'allow', resources: ['integration/datadog/*'], actions: ['updateName'] }]);
    const as = { token, headers: BETA };
    await forbidden(() => s.patch(datadog, [{ op: 'replace', path: '/enabled', value: true }], as), 'updateOn on integration/datadog/');
    await forbidden(() => s.patch(datadog, [{ op: 'replace', path: '/name', value: 'y' }, { op: 'replace', path: '/enabled', value: true }], as));
    await forbidden(() => s.patch(honeycomb, [{ op: 'replace', path: '/name', value: 'y' }], as), 'integration/honeycomb/');
    await forbidden(() => s.del(datadog, as), 'deleteIntegration');
    await forbidden(() => s.post('/api/v2/integration-configurations/keys/datadog', { name: 'n', configValues: { apiKey: 'k' } }, as), 'createIntegration');
    // An unknown id tells this role nothing: the same 403 as a configuration it may not reach.
    await forbidden(() => s.patch('/api/v2/integration-configurations/0123456789abcdef01234567', [{ op: 'replace', path: '/name', value: 'y' }], as), 'or there is no such configuration');
    const renamed = await s.patch(datadog, [{ op: 'replace', path: '/name', value: 'Renamed' }], as);
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    // Reads are open to every token, secrets masked.
    expect((await s.get(honeycomb, as)).status).toBe(200);
    const everywhere = await roleToken('all-integrations', [{ effect: 'allow', resources: ['integration/*'], actions: ['*'] }]);
    expect((await s.del('/api/v2/integration-configurations/0123456789abcdef01234567', { token: everywhere, headers: BETA })).status).toBe(404);
    const made = await s.post('/api/v2/integration-configurations/keys/datadog', { name: 'by role', configValues: { apiKey: 'k' } }, { token: everywhere, headers: BETA });
    expect(made.status).toBe(201);
  });

  it('the secret never shows: masked in answers, lists and audit entries; a test op cannot probe it', async () => {
    const read = await s.get(datadog, { headers: BETA });
    expect(read.body.configValues.apiKey).toBe(SECRET_MASK);
    expect((await s.patch(datadog, [{ op: 'test', path: '/configValues/apiKey', value: SECRET }], { headers: BETA })).status).toBe(409);
    expect((await s.patch(datadog, [{ op: 'copy', from: '/configValues/apiKey', path: '/name' }], { headers: BETA })).body.name).toBe(SECRET_MASK);
    expect((await s.patch(datadog, [{ op: 'replace', path: '/configValues/apiKey', value: 'another-secret' }], { headers: BETA })).status).toBe(200);
    const entries = (await s.get(`/api/v2/auditlog?spec=integration/datadog/${read.body._id}`)).body.items;
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) {
      const full = JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body);
      expect(full).not.toContain(SECRET);
      expect(full).not.toContain('another-secret');
    }
    expect(JSON.stringify((await s.get('/api/v2/integration-configurations/keys/datadog', { headers: BETA })).body)).not.toContain('another-secret');
  });
});
